import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeCode, FakePlatform } from '../fake-platform.ts';

/**
 * A local Dotykačka API v2 (docs.api.dotypos.com): the refresh token is exchanged for an access
 * token at `POST /v2/signin/token` (`Authorization: User <refresh token>`, body `{_cloudId}`);
 * lists are paged by `page` and `limit` (≤ 100), filtered by `filter=attr|op|value;…`, sorted by
 * `sort`; ids are 64-bit numbers written as JSON numbers beyond 2^53; 429 with Retry-After past
 * its limit. Its webhook bodies carry ids as floats (webhookBody).
 */
export interface FakeDtOrder {
  id: bigint;
  _cloudId: number;
  _branchId: number;
  _customerId: bigint | null;
  _sourceOrderId: bigint | null;
  created: number;
  completed: number | null;
  canceledDate: number | null;
  versionDate: number;
  currency: string;
  documentType: string;
  flags: number;
  paid: boolean;
  status: string;
  totalValueRounded: number;
  orderItems: Array<{
    id: bigint;
    _productId: bigint;
    name: string;
    quantity: number;
    billedUnitPriceWithVat: number;
    totalPriceWithVat: number;
  }>;
}

export interface FakeDtCustomer {
  id: bigint;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  versionDate: number;
}

export interface FakeDotykacka extends FakePlatform {
  url: string;
  cloudId: string;
  setNow(ms: number): void;
  addCustomer(c: Partial<FakeDtCustomer>): FakeDtCustomer;
  addOrder(o: Partial<FakeDtOrder>): FakeDtOrder;
  updateOrder(id: bigint, change: Partial<FakeDtOrder>): void;
  /** A webhook body as Dotykačka sends it: unsigned, the id as a float (digits lost). */
  webhookBody(id: bigint): string;
  /** Access tokens handed out. */
  signIns(): number;
}

const BASE_ID = 1_234_567_890_123_456_789n; // beyond 2^53, as Dotykačka's ids are

export async function startFakeDotykacka(
  options: { limit?: number; now?: number } = {},
): Promise<FakeDotykacka> {
  const refreshToken = 'dt-refresh-0123456789abcdef';
  const cloudId = '391';
  const limit = { requests: options.limit ?? 120, perMs: 60_000 };
  let nowMs = options.now ?? Date.UTC(2026, 2, 2, 10, 0, 0);
  let down = false;
  let nextId = BASE_ID;
  let signIns = 0;
  const tokens = new Set<string>();
  const orders = new Map<bigint, FakeDtOrder>();
  const customers = new Map<bigint, FakeDtCustomer>();
  const starts: number[] = [];
  const callLog: Array<{ at: number; method: string; path: string; status: number }> = [];

  // JSON with 64-bit ids written as plain numbers, as Dotykačka does
  const json = (value: unknown) =>
    JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `__big__${v}` : v)).replace(
      /"__big__(-?\d+)"/g,
      '$1',
    );
  const iso = (ms: number | null) =>
    ms === null ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
  const orderOut = (o: FakeDtOrder) => ({
    ...o,
    created: iso(o.created),
    completed: iso(o.completed),
    canceledDate: iso(o.canceledDate),
    versionDate: iso(o.versionDate),
  });

  function filterOf(text: string | null) {
    const conditions = (text ?? '')
      .split(';')
      .filter(Boolean)
      .map((c) => c.split('|'));
    return conditions;
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        callLog.push({ at, method: req.method ?? '', path: url.pathname, status });
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(typeof body === 'string' ? body : json(body));
      };
      if (down) return send(503, { status: 503, message: 'Service Unavailable' });
      while (starts.length && starts[0]! <= at - limit.perMs) starts.shift();
      if (starts.length >= limit.requests) {
        const wait = Math.ceil((starts[0]! + limit.perMs - at) / 1000);
        return send(
          429,
          { status: 429, message: 'Too Many Requests' },
          { 'retry-after': String(wait) },
        );
      }
      starts.push(at);

      if (req.method === 'POST' && url.pathname === '/v2/signin/token') {
        const auth = req.headers.authorization ?? '';
        let body: { _cloudId?: unknown } = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { _cloudId?: unknown };
        } catch {
          return send(400, { status: 400, message: 'Bad Request' });
        }
        if (auth !== `User ${refreshToken}`) {
          return send(401, {
            status: 401,
            reason: 'INVALID_REFRESH_TOKEN',
            message: 'Unauthorized',
          });
        }
        if (String(body._cloudId) !== cloudId) {
          return send(403, { status: 403, reason: 'CLOUD_FORBIDDEN', message: 'Forbidden' });
        }
        signIns++;
        const token = `access-${signIns}-${Math.random().toString(36).slice(2)}`;
        tokens.add(token);
        return send(201, { accessToken: token });
      }
      const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!tokens.has(bearer)) {
        return send(403, { status: 403, reason: 'INVALID_ACCESS_TOKEN', message: 'Forbidden' });
      }
      const m = /^\/v2\/clouds\/(\d+)(\/orders|\/customers)?$/.exec(url.pathname);
      if (!m || req.method !== 'GET') return send(404, { status: 404, message: 'Not Found' });
      if (m[1] !== cloudId) return send(403, { status: 403, reason: 'CLOUD_FORBIDDEN' });
      if (!m[2])
        return send(200, { id: Number(cloudId), name: 'Kavárna U Lojalu', deleted: false });

      const page = Number(url.searchParams.get('page') ?? 1);
      const perPage = Number(url.searchParams.get('limit') ?? 20);
      if (!(perPage >= 1 && perPage <= 100) || !(page >= 1)) {
        return send(400, { status: 400, message: 'limit must be within 1..100' });
      }
      let list: Array<Record<string, unknown>>;
      if (m[2] === '/orders') {
        let rows = [...orders.values()];
        for (const [attr, op, value] of filterOf(url.searchParams.get('filter'))) {
          if (attr !== 'versionDate') return send(400, { status: 400, message: `filter ${attr}` });
          const v = Number(value);
          rows = rows.filter((o) =>
            op === 'gteq'
              ? o.versionDate >= v
              : op === 'lt'
                ? o.versionDate < v
                : op === 'eq'
                  ? o.versionDate === v
                  : false,
          );
        }
        if (url.searchParams.get('sort') === 'versionDate') {
          // ties in an order of the platform's own (by id here)
          rows.sort((a, b) => a.versionDate - b.versionDate || (a.id < b.id ? -1 : 1));
        }
        const includeItems = (url.searchParams.get('include') ?? '')
          .split(',')
          .includes('orderItems');
        list = rows.map((o) => {
          const out = orderOut(o) as Record<string, unknown>;
          if (!includeItems) delete out.orderItems;
          return out;
        });
      } else {
        let rows = [...customers.values()];
        for (const [attr, op, value] of filterOf(url.searchParams.get('filter'))) {
          if (attr !== 'id' || op !== 'in')
            return send(400, { status: 400, message: `filter ${attr}` });
          const ids = new Set(value!.split(','));
          rows = rows.filter((c) => ids.has(String(c.id)));
        }
        list = rows.map((c) => ({ ...c, versionDate: iso(c.versionDate) }));
      }
      const slice = list.slice((page - 1) * perPage, page * perPage);
      // the paging wrapper; orders do not count their total (documented)
      return send(200, {
        currentPage: page,
        perPage,
        totalItemsOnPage: slice.length,
        firstPage: 1,
        nextPage: slice.length === perPage ? page + 1 : null,
        prevPage: page > 1 ? page - 1 : null,
        data: slice,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const newOrder = (o: Partial<FakeDtOrder>): FakeDtOrder => {
    const id = o.id ?? nextId++;
    return {
      id,
      _cloudId: Number(cloudId),
      _branchId: 1,
      _customerId: null,
      _sourceOrderId: null,
      created: nowMs,
      completed: nowMs,
      canceledDate: null,
      versionDate: nowMs,
      currency: 'CZK',
      documentType: 'RECEIPT',
      flags: 0,
      paid: true,
      status: 'closed',
      totalValueRounded: 120,
      orderItems: [
        {
          id: nextId++,
          _productId: 77n,
          name: 'Espresso',
          quantity: 2,
          billedUnitPriceWithVat: 60,
          totalPriceWithVat: 120,
        },
      ],
      ...o,
    };
  };

  const fake: FakeDotykacka = {
    platform: 'dotykacka',
    url,
    cloudId,
    connection: { credentials: { refreshToken, cloudId }, settings: { apiUrl: url } },
    rateLimit: limit,
    setNow: (ms) => {
      nowMs = ms;
    },
    signIns: () => signIns,
    addCustomer(c) {
      const customer: FakeDtCustomer = {
        id: nextId++,
        firstName: 'Jana',
        lastName: 'Nováková',
        email: 'jana@example.cz',
        phone: '+420 601 234 567',
        versionDate: nowMs,
        ...c,
      };
      customers.set(customer.id, customer);
      return customer;
    },
    addOrder(o) {
      const order = newOrder(o);
      orders.set(order.id, order);
      return order;
    },
    updateOrder(id, change) {
      const o = orders.get(id);
      if (!o) throw new Error(`no order ${id}`);
      Object.assign(o, change, { versionDate: change.versionDate ?? nowMs });
    },
    webhookBody(id) {
      const float = Number(id).toExponential(16).replace('e+', 'E');
      return `{"entityName":"ORDERBEAN","id":${float},"_cloudId":${cloudId},"versionDate":${nowMs}}`;
    },
    async seedHistory({ orders: count, from, to, refundEvery, currency }) {
      let revenue = 0;
      let refunded = 0;
      let refunds = 0;
      const span = to.getTime() - from.getTime();
      const regulars = Array.from({ length: Math.max(1, Math.floor(count / 4)) }, (_, i) =>
        fake.addCustomer({ email: `host${i}@example.cz`, versionDate: from.getTime() }),
      );
      for (let i = 0; i < count; i++) {
        const at = from.getTime() + Math.floor((span * i) / count);
        const price = 45 + (i % 5) * 12.5;
        const quantity = 1 + (i % 2);
        const total = price * quantity;
        const order = fake.addOrder({
          created: at,
          completed: at,
          versionDate: at,
          currency,
          // every third guest is anonymous: counts, earns nobody points
          _customerId: i % 3 === 2 ? null : regulars[i % regulars.length]!.id,
          totalValueRounded: total,
          orderItems: [
            {
              id: nextId++,
              _productId: 78n,
              name: 'Cappuccino',
              quantity,
              billedUnitPriceWithVat: price,
              totalPriceWithVat: total,
            },
          ],
        });
        revenue += Math.round(total * 100);
        if (refundEvery > 0 && i % refundEvery === refundEvery - 1) {
          // a part storno: a cancellation document of one item
          fake.addOrder({
            created: at + 1000,
            completed: at + 1000,
            versionDate: at + 1000,
            currency,
            flags: 1 << 2,
            _sourceOrderId: order.id,
            totalValueRounded: -price,
            orderItems: [],
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
    // Dotykačka is pull-only for Lojal: its discounts are not checkout codes
    refuseCodes: () => undefined,
    codes: (): FakeCode[] => [],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return fake;
}
