import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeCode, FakePlatform } from '../fake-platform.ts';

/**
 * A local BaseLinker speaking the documented format (../shared/INTEGRATIONS.md, api.base.com):
 * one endpoint taking a form POST of `method` and `parameters` (JSON) with the token in
 * `X-BLToken`; errors as HTTP 200 `{status: "ERROR", error_code, error_message}`; at most 100
 * orders (and returns) a call; a journal that only holds the last 3 days before the fake's own
 * clock; 100 requests a minute, past which it answers with its limit error.
 */
export interface FakeBlProduct {
  name: string;
  sku: string;
  product_id: string;
  price_brutto: number;
  quantity: number;
}

export interface FakeBlOrder {
  order_id: number;
  order_status_id: number;
  confirmed: boolean;
  date_add: number;
  date_confirmed: number;
  date_in_status: number;
  email: string;
  phone: string;
  currency: string;
  payment_done: number;
  delivery_price: number;
  delivery_fullname: string;
  invoice_fullname: string;
  products: FakeBlProduct[];
}

export interface FakeBlReturn {
  return_id: number;
  order_id: number;
  date_add: number;
  currency: string;
  fulfillment_status: number;
  products: Array<{ name: string; price_brutto: number; quantity: number }>;
}

interface Log {
  id: number;
  order_id: number;
  log_type: number;
  object_id: number;
  date: number;
}

export interface FakeBaseLinker extends FakePlatform {
  url: string;
  token: string;
  /** The fake's clock (ms): the journal window and the dates of new events. */
  setNow(ms: number): void;
  now(): number;
  /** Adds an order (journal: created + confirmed, and paid when payment_done covers it). */
  addOrder(order: Partial<FakeBlOrder> & { order_id?: number }): FakeBlOrder;
  /** Changes an order and writes the journal event of that change. */
  updateOrder(orderId: number, change: Partial<FakeBlOrder>, logType: number): void;
  removeOrder(orderId: number): void;
  addReturn(ret: Omit<FakeBlReturn, 'return_id'>): FakeBlReturn;
  /** Off: getJournalList answers an empty list, as an account without the journal does. */
  setJournalEnabled(on: boolean): void;
  orders(): FakeBlOrder[];
  /** Methods called, in order. */
  methods(): string[];
}

const JOURNAL_WINDOW_S = 3 * 86_400;

export async function startFakeBaseLinker(
  options: { token?: string; limit?: number; now?: number } = {},
): Promise<FakeBaseLinker> {
  const token = options.token ?? 'bl-token-0123456789abcdef';
  const limit = { requests: options.limit ?? 100, perMs: 60_000 };
  let nowMs = options.now ?? Date.UTC(2026, 2, 2, 10, 0, 0);
  let down = false;
  let journalOn = true;
  const orders = new Map<number, FakeBlOrder>();
  const returns: FakeBlReturn[] = [];
  const logs: Log[] = [];
  let nextOrderId = 5_000_001;
  let nextLogId = 900_001;
  let nextReturnId = 70_001;
  const callLog: Array<{ at: number; method: string; path: string; status: number }> = [];
  const methodLog: string[] = [];
  const starts: number[] = [];
  const nowS = () => Math.floor(nowMs / 1000);
  // orders by (date_confirmed, order_id), rebuilt after a change: a 100,000-order history is
  // read 100 at a time without sorting it on every call
  let sorted: FakeBlOrder[] | null = null;
  const byConfirmation = () =>
    (sorted ??= [...orders.values()].sort(
      (a, b) => a.date_confirmed - b.date_confirmed || a.order_id - b.order_id,
    ));
  const firstAtOrAfter = (list: FakeBlOrder[], from: number) => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.date_confirmed < from) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const log = (orderId: number, type: number, date = nowS()) =>
    logs.push({ id: nextLogId++, order_id: orderId, log_type: type, object_id: 0, date });

  function handle(method: string, p: Record<string, unknown>): unknown {
    switch (method) {
      case 'getOrderStatusList':
        return {
          statuses: [
            { id: 1, name: 'Nowe' },
            { id: 2, name: 'Opłacone' },
            { id: 9, name: 'Anulowane' },
          ],
        };
      case 'getJournalList': {
        if (!journalOn) return { logs: [] };
        const last = Number(p.last_log_id ?? 0);
        const types = Array.isArray(p.logs_types) ? p.logs_types.map(Number) : null;
        const window = nowS() - JOURNAL_WINDOW_S;
        return {
          logs: logs
            .filter((l) => l.id > last && l.date >= window)
            .filter((l) => !types || types.includes(l.log_type))
            .slice(0, 100),
        };
      }
      case 'getOrders': {
        if (p.order_id !== undefined) {
          const o = orders.get(Number(p.order_id));
          const unconfirmed = p.get_unconfirmed_orders === true;
          return { orders: o && (o.confirmed || unconfirmed) ? [o] : [] };
        }
        const from = Number(p.date_confirmed_from ?? 0);
        const idFrom = p.id_from === undefined ? 0 : Number(p.id_from);
        const list: FakeBlOrder[] = [];
        const all = byConfirmation();
        for (let i = firstAtOrAfter(all, from); i < all.length && list.length < 100; i++) {
          const o = all[i]!;
          if (o.confirmed && o.order_id >= idFrom) list.push(o);
        }
        return { orders: list };
      }
      case 'getOrderReturns': {
        const from = Number(p.date_from ?? 0);
        const idFrom = p.id_from === undefined ? 0 : Number(p.id_from);
        return {
          returns: returns
            .filter((r) => r.date_add >= from && r.return_id >= idFrom)
            .sort((a, b) => a.return_id - b.return_id)
            .slice(0, 100),
        };
      }
      default:
        return null;
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown, method = '?') => {
        callLog.push({ at, method: req.method ?? '', path: `${req.url}#${method}`, status });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (down) return send(503, { error: 'Service Unavailable' });
      if (req.method !== 'POST' || req.url !== '/connector.php') return send(404, {});
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const method = form.get('method') ?? '';
      methodLog.push(method);
      const error = (code: string, message: string) =>
        send(200, { status: 'ERROR', error_code: code, error_message: message }, method);
      // BaseLinker counts every request against the token's limit
      while (starts.length && starts[0]! <= at - limit.perMs) starts.shift();
      if (starts.length >= limit.requests) {
        return error('ERROR_QUERY_LIMIT_EXCEEDED', 'Query limit exceeded, API blocked for 60 s');
      }
      starts.push(at);
      if (req.headers['x-bltoken'] !== token) return error('ERROR_BAD_TOKEN', 'Invalid user token');
      if (!/application\/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')) {
        return error('ERROR_PARAMETERS', 'Expected a form');
      }
      let parameters: Record<string, unknown>;
      try {
        parameters = JSON.parse(form.get('parameters') ?? '{}') as Record<string, unknown>;
      } catch {
        return error('ERROR_PARAMETERS', 'Invalid parameters');
      }
      const answer = handle(method, parameters);
      if (answer === null) return error('ERROR_UNKNOWN_METHOD', `Unknown method ${method}`);
      send(200, { status: 'SUCCESS', ...(answer as object) }, method);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/connector.php`;

  const total = (o: FakeBlOrder) =>
    Math.round(
      (o.products.reduce((s, p) => s + p.price_brutto * p.quantity, 0) + o.delivery_price) * 100,
    ) / 100;

  const fake: FakeBaseLinker = {
    platform: 'baselinker',
    url,
    token,
    connection: { credentials: { token }, settings: { apiUrl: url, cancelledStatusIds: ['9'] } },
    rateLimit: limit,
    setNow: (ms) => {
      nowMs = ms;
    },
    now: () => nowMs,
    addOrder(input) {
      const id = input.order_id ?? nextOrderId++;
      const order: FakeBlOrder = {
        order_id: id,
        order_status_id: 1,
        confirmed: true,
        date_add: nowS(),
        date_confirmed: nowS(),
        date_in_status: nowS(),
        email: `buyer${id}@example.pl`,
        phone: '',
        currency: 'PLN',
        payment_done: 0,
        delivery_price: 0,
        delivery_fullname: 'Jan Kowalski',
        invoice_fullname: '',
        products: [
          { name: 'Kawa', sku: 'KAWA-1', product_id: '11', price_brutto: 49.99, quantity: 1 },
        ],
        ...input,
      };
      orders.set(id, order);
      sorted = null;
      log(id, 1);
      if (order.confirmed) log(id, 2);
      if (order.payment_done >= total(order) && total(order) > 0) log(id, 3);
      return order;
    },
    updateOrder(orderId, change, logType) {
      const o = orders.get(orderId);
      if (!o) throw new Error(`no order ${orderId}`);
      Object.assign(o, change);
      sorted = null;
      if (change.order_status_id !== undefined) o.date_in_status = nowS();
      log(orderId, logType);
    },
    removeOrder(orderId) {
      orders.delete(orderId);
      sorted = null;
      log(orderId, 4);
    },
    addReturn(input) {
      const ret = { return_id: nextReturnId++, ...input };
      returns.push(ret);
      return ret;
    },
    setJournalEnabled: (on) => {
      journalOn = on;
    },
    orders: () => [...orders.values()],
    methods: () => [...methodLog],

    async seedHistory({ orders: count, from, to, refundEvery, currency }) {
      let revenue = 0;
      let refunded = 0;
      let refunds = 0;
      const span = to.getTime() - from.getTime();
      for (let i = 0; i < count; i++) {
        const at = Math.floor((from.getTime() + Math.floor((span * i) / count)) / 1000);
        const price = 20 + (i % 7) * 5.5; // decimals, as BaseLinker gives them
        const quantity = 1 + (i % 3);
        const delivery = i % 2 ? 9.99 : 0;
        const id = nextOrderId++;
        const order: FakeBlOrder = {
          order_id: id,
          order_status_id: 2,
          confirmed: true,
          date_add: at,
          date_confirmed: at,
          date_in_status: at,
          email: `Klient${i % Math.max(1, Math.floor(count / 3))}@Example.pl`,
          phone: '',
          currency,
          payment_done: 0,
          delivery_price: delivery,
          delivery_fullname: 'Anna Nowak',
          invoice_fullname: '',
          products: [
            { name: 'Herbata', sku: 'H-1', product_id: '21', price_brutto: price, quantity },
          ],
        };
        order.payment_done = total(order);
        orders.set(id, order);
        sorted = null;
        // as BaseLinker's journal has them: created, confirmed, paid at the order's time (only
        // the last 3 days of them are ever answered)
        log(id, 1, at);
        log(id, 2, at);
        log(id, 3, at);
        const minor = Math.round(total(order) * 100);
        revenue += minor;
        if (refundEvery > 0 && i % refundEvery === refundEvery - 1) {
          // a part refund: one unit of the product returned
          returns.push({
            return_id: nextReturnId++,
            order_id: id,
            date_add: at + 3600,
            currency,
            fulfillment_status: 1,
            products: [{ name: 'Herbata', price_brutto: price, quantity: 1 }],
          });
          refunds++;
          refunded += Math.round(price * 100);
        }
      }
      return { orders: count, refunds, revenue, refunded };
    },
    setDown: (d) => {
      down = d;
    },
    calls: () => [...callLog],
    // BaseLinker is pull-only for Lojal: no codes are created there
    refuseCodes: () => undefined,
    codes: (): FakeCode[] => [],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return fake;
}
