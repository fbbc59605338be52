import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { wallClockText } from '../../../src/shared/zoned-time.ts';
import type { FakeCode, FakePlatform } from '../fake-platform.ts';

/**
 * A local IdoSell shop's admin API as INTEGRATIONS.md and public clients describe it:
 * `POST /api/admin/v6/orders/orders/search` with `X-API-KEY`, a body
 * `{"params":{"ordersRange":{"ordersDateRange":{"ordersDateType":"modified","ordersDateBegin",
 * "ordersDateEnd"}},"resultsPage":0,"resultsLimit":100}}`, answering `{"Results":[…],
 * "resultsNumberAll","resultsNumberPage","resultsPage","resultsLimit"}`, or 207 with an error
 * note when nothing matches. Times are zone-less in the shop's zone (Europe/Warsaw); ids numbers.
 * It counts every call: on the cloud plan each one is billed to the merchant.
 */
export interface FakeIdoSell extends FakePlatform {
  url: string;
  addOrder(order: FakeIdoSellOrder): void;
  /** Changes an order's status as the panel does (its modification time moves). */
  setStatus(serial: number, status: string, at: string): void;
  /** Runs `fn` just before the fake answers search page `page` (a change while a run reads). */
  beforePage(page: number, fn: () => void): void;
  readonly zone: string;
}

export interface FakeIdoSellOrder {
  serial: number;
  added: string;
  changed: string;
  status: string;
  currency?: string;
  products: number;
  delivery?: number;
  clientId?: number;
  email?: string;
}

const API_KEY = 'YXBpLWtleS1pZG9zZWxsLXRlc3Q=';

export async function startFakeIdoSell(): Promise<FakeIdoSell> {
  const zone = 'Europe/Warsaw';
  const orders = new Map<number, FakeIdoSellOrder>();
  const hooks = new Map<number, () => void>();
  let down = false;
  const calls: Array<{ at: number; method: string; path: string; status: number }> = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const send = (status: number, body: unknown) => {
        calls.push({ at, method: req.method ?? 'GET', path, status });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (down)
        return send(503, { errors: { faultCode: 503, faultString: 'Service unavailable' } });
      if (req.headers['x-api-key'] !== API_KEY) {
        return send(401, { errors: { faultCode: 2, faultString: 'Błędny klucz API' } });
      }
      if (req.method !== 'POST' || path !== '/api/admin/v6/orders/orders/search') {
        return send(404, { errors: { faultCode: 404, faultString: 'Not found' } });
      }
      const params = (
        JSON.parse(Buffer.concat(chunks).toString('utf8')) as { params: Record<string, unknown> }
      ).params;
      const range = (params.ordersRange as { ordersDateRange: Record<string, string> })
        .ordersDateRange;
      if (range.ordersDateType !== 'modified')
        return send(400, { errors: { faultString: 'date type' } });
      const page = Number(params.resultsPage ?? 0);
      const limit = Math.min(100, Number(params.resultsLimit ?? 100));
      hooks.get(page)?.();
      hooks.delete(page);
      const matching = [...orders.values()]
        .filter((o) => o.changed >= range.ordersDateBegin! && o.changed <= range.ordersDateEnd!)
        .sort((a, b) => a.serial - b.serial);
      const slice = matching.slice(page * limit, (page + 1) * limit);
      if (slice.length === 0) {
        return send(207, {
          errors: { faultCode: 2, faultString: 'Zwrócono pusty wynik' },
          resultsNumberAll: matching.length,
          Results: [],
        });
      }
      send(200, {
        Results: slice.map(render),
        resultsNumberAll: matching.length,
        resultsNumberPage: Math.ceil(matching.length / limit),
        resultsPage: page,
        resultsLimit: limit,
      });
    });
  });

  function render(o: FakeIdoSellOrder) {
    const currency = o.currency ?? 'PLN';
    return {
      orderId: `sklep-${o.serial}`,
      orderSerialNumber: o.serial,
      orderType: 'retail',
      clientResult: {
        clientAccount: {
          clientId: o.clientId ?? 0,
          clientEmail: o.email ?? '',
          clientPhone1: '600100200',
        },
        clientBillingAddress: { clientFirstName: 'Anna', clientLastName: 'Nowak' },
      },
      orderDetails: {
        orderStatus: o.status,
        orderAddDate: o.added,
        orderChangeDate: o.changed,
        payments: {
          orderCurrency: {
            currencyId: currency,
            orderProductsCost: o.products / 100,
            orderDeliveryCost: (o.delivery ?? 0) / 100,
            orderPayformCost: 0,
            orderInsuranceCost: 0,
          },
        },
        productsResults: [
          {
            productId: 31,
            sizeId: 'uniw',
            productName: 'Kawa ziarnista 1 kg',
            productCode: 'KAWA-1',
            productQuantity: 1,
            productOrderPrice: o.products / 100,
          },
        ],
      },
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeIdoSell = {
    platform: 'idosell',
    url,
    zone,
    connection: { credentials: { apiKey: API_KEY }, settings: { shopUrl: url, apiVersion: 'v6' } },
    rateLimit: { requests: 2, perMs: 1000 },
    addOrder: (o) => {
      orders.set(o.serial, { ...o });
    },
    setStatus(serial, status, at) {
      const o = orders.get(serial);
      if (!o) throw new Error(`no order ${serial}`);
      o.status = status;
      o.changed = at;
    },
    beforePage: (page, fn) => {
      hooks.set(page, fn);
    },
    async seedHistory({ orders: count, from, to, refundEvery, currency }) {
      let revenue = 0;
      let refunded = 0;
      let refunds = 0;
      const step = (to.getTime() - from.getTime()) / count;
      for (let i = 0; i < count; i++) {
        const placed = new Date(from.getTime() + Math.floor(i * step));
        const total = 4000 + (i % 13) * 150;
        const refund = refundEvery > 0 && (i + 1) % refundEvery === 0;
        fake.addOrder({
          serial: 1000 + i,
          added: wallClockText(placed, zone),
          changed: wallClockText(new Date(placed.getTime() + 120_000), zone),
          status: refund ? 'returned' : 'finished',
          currency,
          products: total,
          clientId: (i % 40) + 1,
          email: `klient${(i % 40) + 1}@example.pl`,
        });
        revenue += total;
        if (refund) {
          refunds++;
          refunded += total;
        }
      }
      return { orders: count, refunds, revenue, refunded };
    },
    setDown: (d) => {
      down = d;
    },
    calls: () => [...calls],
    refuseCodes: () => undefined,
    // Lojal creates no codes in IdoSell (docs/integrations/idosell.md).
    codes: (): FakeCode[] => [],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return fake;
}
