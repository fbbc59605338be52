import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { wallClockText } from '../../../src/shared/zoned-time.ts';
import type { FakeCode, FakePlatform } from '../fake-platform.ts';

/**
 * A local Shoper shop speaking its REST WebAPI as INTEGRATIONS.md and public clients describe it:
 * `POST /webapi/rest/auth` with HTTP Basic gives a bearer token; lists answer
 * `{count, pages, page, list}` with `limit` (50 at most: more silently gives 10), `page` from 1,
 * JSON `filters` (`{"field": value}` or `{"field": {">=": value}}`, IN lists) and `order`
 * ("status_date ASC"); every id and amount is a string, flags "0"/"1", times zone-less in the
 * shop's zone (Europe/Warsaw); a leaky bucket (X-Shop-Api-Calls / -Limit / -Bandwidth) answers
 * 429 with Retry-After when full.
 */
export interface FakeShoper extends FakePlatform {
  url: string;
  /** Adds an order as Shoper stores it; returns its id. */
  addOrder(
    order: Partial<ShoperOrder> & { date: string },
    lines?: Array<Partial<ShoperLine>>,
  ): string;
  /** Changes an order's status (and status_date) as the panel does. */
  setStatus(orderId: string, statusId: string, at: string): void;
  /** Makes the current token unknown, as when it expires. */
  expireTokens(): void;
  /** Number of tokens issued so far. */
  tokensIssued(): number;
  readonly zone: string;
}

export interface ShoperOrder {
  order_id: string;
  user_id: string | null;
  date: string;
  status_date: string;
  status_id: string;
  sum: string;
  paid: string;
  shipping_cost: string;
  email: string;
  promo_code: string;
  is_paid: boolean;
  currency_id: string;
  billing_address: Record<string, string>;
  delivery_address: Record<string, string>;
}

export interface ShoperLine {
  id: string;
  order_id: string;
  product_id: string;
  stock_id: string;
  price: string;
  discount_perc: string;
  quantity: string;
  name: string;
  code: string;
}

interface PromotionCode {
  code_id: string;
  code: string;
  name: string;
  discount_type: string;
  discount: string;
  max_discount_amount: string | null;
  min_amount: string;
  time_from: string | null;
  time_to: string | null;
  usage_limit: string;
  peruser_limit: string;
  products_limit: string[];
  categories_limit: string[];
  additional_free_shipping: string;
  active: string;
}

export const SHOPER_STATUSES = [
  { status_id: '1', type: '1', name: 'złożone' },
  { status_id: '2', type: '2', name: 'przyjęte do realizacji' },
  { status_id: '5', type: '2', name: 'oczekiwanie na płatność' },
  { status_id: '7', type: '3', name: 'przesyłka wysłana' },
  { status_id: '8', type: '4', name: 'anulowane' },
  { status_id: '9', type: '4', name: 'odrzucone' },
  { status_id: '11', type: '4', name: 'zwrócone' },
];

const USER = 'lojal-webapi';
const PASSWORD = 'tajne-haslo';
const DATE_FIELDS = new Set(['date', 'status_date']);

export async function startFakeShoper(
  options: { limit?: number; bandwidth?: number } = {},
): Promise<FakeShoper> {
  const zone = 'Europe/Warsaw';
  const bucket = { limit: options.limit ?? 10, bandwidth: options.bandwidth ?? 2 };
  let level = 0;
  let leakedAt = Date.now();
  const orders = new Map<string, ShoperOrder>();
  const lines: ShoperLine[] = [];
  const codes = new Map<string, PromotionCode>();
  const tokens = new Set<string>();
  let issued = 0;
  let down = false;
  let refuse = false;
  let nextOrder = 1;
  let nextLine = 1;
  let nextCode = 1;
  const calls: Array<{ at: number; method: string; path: string; status: number }> = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const url = new URL(req.url ?? '/', 'http://fake');
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        calls.push({ at, method: req.method ?? 'GET', path: url.pathname, status });
        res.writeHead(status, {
          'content-type': 'application/json',
          'x-shop-api-calls': String(Math.ceil(level)),
          'x-shop-api-limit': String(bucket.limit),
          'x-shop-api-bandwidth': String(bucket.bandwidth),
          ...headers,
        });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
      if (down) return send(503, { error: 'temporarily_unavailable' });
      // the leaky bucket
      level = Math.max(0, level - ((at - leakedAt) / 1000) * bucket.bandwidth);
      leakedAt = at;
      if (level + 1 > bucket.limit) {
        return send(429, { error: 'too_many_requests' }, { 'retry-after': '1' });
      }
      level += 1;
      try {
        route(req, url, Buffer.concat(chunks).toString('utf8'), send);
      } catch (error) {
        send(500, { error: 'server_error', error_description: (error as Error).message });
      }
    });
  });

  function route(
    req: IncomingMessage,
    url: URL,
    body: string,
    send: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): void {
    const path = url.pathname;
    if (!path.startsWith('/webapi/rest/')) return send(404, '<html>Not found</html>');
    const resource = path.slice('/webapi/rest/'.length);
    if (resource === 'auth' && req.method === 'POST') {
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
      const pair = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8') : '';
      if (pair !== `${USER}:${PASSWORD}`) {
        return send(401, {
          error: 'unauthorized_client',
          error_description: 'Invalid credentials',
        });
      }
      const token = `tok${++issued}${Math.random().toString(16).slice(2)}`;
      tokens.add(token);
      return send(200, { access_token: token, expires_in: 2592000, token_type: 'bearer' });
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!bearer || !tokens.has(bearer[1]!)) {
      return send(401, { error: 'unauthorized_client', error_description: 'Invalid token' });
    }
    const [name, id] = resource.split('/');
    if (req.method === 'GET' && !id) {
      const rows = listOf(name!);
      if (!rows)
        return send(400, { error: 'invalid_request', error_description: 'unknown resource' });
      return send(200, page(rows, url));
    }
    if (name === 'promotion-codes' && req.method === 'POST') {
      if (refuse) {
        return send(400, {
          error: 'validation_error',
          error_description: 'Kod nie może zostać dodany',
        });
      }
      const input = JSON.parse(body) as Record<string, unknown>;
      const codeId = String(nextCode++);
      const str = (v: unknown, d = '') => (v === undefined || v === null ? d : String(v));
      codes.set(codeId, {
        code_id: codeId,
        code: str(input.code),
        name: str(input.name),
        discount_type: str(input.discount_type),
        discount: str(input.discount, '0.00'),
        max_discount_amount:
          input.max_discount_amount == null ? null : str(input.max_discount_amount),
        min_amount: str(input.min_amount, '0.00'),
        time_from: input.time_from == null ? null : str(input.time_from),
        time_to: input.time_to == null ? null : str(input.time_to),
        usage_limit: str(input.usage_limit, '0'),
        peruser_limit: str(input.peruser_limit, '0'),
        products_limit: ((input.products_limit as unknown[]) ?? []).map(String),
        categories_limit: ((input.categories_limit as unknown[]) ?? []).map(String),
        additional_free_shipping: str(input.additional_free_shipping, '0'),
        active: str(input.active, '1'),
      });
      return send(200, codeId);
    }
    if (name === 'promotion-codes' && req.method === 'PUT' && id) {
      const row = codes.get(id);
      if (!row) return send(404, { error: 'invalid_request', error_description: 'Not found' });
      const input = JSON.parse(body) as Record<string, unknown>;
      if (input.active !== undefined) row.active = String(input.active);
      return send(200, true);
    }
    return send(400, { error: 'invalid_request', error_description: 'unsupported' });
  }

  function listOf(name: string): Array<Record<string, unknown>> | null {
    switch (name) {
      case 'statuses':
        return SHOPER_STATUSES.map((s) => ({
          status_id: s.status_id,
          active: '1',
          default: s.status_id === '1' ? '1' : '0',
          type: s.type,
          order: s.status_id,
          translations: { pl_PL: { status_id: s.status_id, name: s.name, lang_id: '1' } },
        }));
      case 'orders':
        return [...orders.values()].map((o) => ({ ...o }));
      case 'order-products':
        return lines.map((l) => ({ ...l }));
      case 'promotion-codes':
        return [...codes.values()].map((c) => ({ ...c }));
      default:
        return null;
    }
  }

  function page(rows: Array<Record<string, unknown>>, url: URL) {
    const filters = url.searchParams.get('filters');
    let kept = rows;
    if (filters) {
      const f = JSON.parse(filters) as Record<string, unknown>;
      kept = rows.filter((row) =>
        Object.entries(f).every(([field, cond]) => matches(row[field], cond, field)),
      );
    }
    const order = url.searchParams.get('order');
    if (order) {
      const [field, dir] = order.split(' ');
      const sign = /desc/i.test(dir ?? 'DESC') ? -1 : 1; // a bare field sorts descending
      kept = [...kept].sort((a, b) => sign * compare(a[field!], b[field!], field!));
    }
    let limit = Number(url.searchParams.get('limit') ?? 10);
    if (limit > 50) limit = 10;
    const pageNo = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const pages = Math.ceil(kept.length / limit);
    return {
      count: String(kept.length),
      pages,
      page: pageNo,
      list: kept.slice((pageNo - 1) * limit, pageNo * limit),
    };
  }

  function compare(a: unknown, b: unknown, field: string): number {
    if (DATE_FIELDS.has(field) || typeof a !== 'string' || !/^\d+$/.test(a)) {
      return String(a).localeCompare(String(b));
    }
    return Number(a) - Number(b);
  }

  function matches(value: unknown, cond: unknown, field: string): boolean {
    if (cond === null || typeof cond !== 'object') return compare(value, String(cond), field) === 0;
    return Object.entries(cond as Record<string, unknown>).every(([op, arg]) => {
      if (op === 'IN' || op === 'in') return (arg as unknown[]).map(String).includes(String(value));
      const c = compare(value, String(arg), field);
      switch (op) {
        case '>':
          return c > 0;
        case '>=':
          return c >= 0;
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '=':
          return c === 0;
        case '!=':
          return c !== 0;
        default:
          throw new Error(`operator ${op}`);
      }
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  const fake: FakeShoper = {
    platform: 'shoper',
    url,
    zone,
    connection: {
      credentials: { user: USER, password: PASSWORD },
      settings: { shopUrl: url },
    },
    // The most a bucket of `limit` draining `bandwidth` a second lets through in any second.
    rateLimit: { requests: bucket.limit + bucket.bandwidth, perMs: 1000 },
    addOrder(order, orderLines = []) {
      const id = order.order_id ?? String(nextOrder++);
      orders.set(id, {
        order_id: id,
        user_id: null,
        status_date: order.date,
        status_id: '1',
        sum: '0.00',
        paid: '0.00',
        shipping_cost: '0.00',
        email: '',
        promo_code: '',
        is_paid: false,
        currency_id: '1',
        billing_address: {},
        delivery_address: {},
        ...order,
      });
      for (const l of orderLines) {
        lines.push({
          id: String(nextLine++),
          order_id: id,
          product_id: '0',
          stock_id: '0',
          price: '0.00',
          discount_perc: '0.0000',
          quantity: '1',
          name: '',
          code: '',
          ...l,
        });
      }
      return id;
    },
    setStatus(orderId, statusId, at) {
      const o = orders.get(orderId);
      if (!o) throw new Error(`no order ${orderId}`);
      o.status_id = statusId;
      o.status_date = at;
    },
    expireTokens: () => tokens.clear(),
    tokensIssued: () => issued,
    async seedHistory({ orders: count, from, to, refundEvery }) {
      let revenue = 0;
      let refunded = 0;
      let refunds = 0;
      const step = (to.getTime() - from.getTime()) / count;
      for (let i = 0; i < count; i++) {
        const placed = new Date(from.getTime() + Math.floor(i * step));
        const total = 5000 + (i % 17) * 125; // grosze
        const refund = refundEvery > 0 && (i + 1) % refundEvery === 0;
        const sum = (total / 100).toFixed(2);
        fake.addOrder(
          {
            user_id: String((i % 50) + 1),
            email: `klient${(i % 50) + 1}@example.pl`,
            date: wallClockText(placed, zone),
            status_date: wallClockText(new Date(placed.getTime() + 60_000), zone),
            status_id: refund ? '11' : '7',
            sum,
            paid: sum,
            is_paid: true,
            billing_address: { firstname: 'Anna', lastname: `Nowak${i % 50}`, phone: '600100200' },
          },
          [
            {
              product_id: String((i % 7) + 1),
              price: sum,
              quantity: '1',
              name: `Produkt ${i % 7}`,
            },
          ],
        );
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
    refuseCodes: (r) => {
      refuse = r;
    },
    codes: (): FakeCode[] =>
      [...codes.values()].map((c) => {
        const kind =
          c.additional_free_shipping === '1'
            ? 'free_shipping'
            : c.discount_type === '2'
              ? 'fixed'
              : 'percentage';
        const minor = (v: string) => Math.round(Number(v) * 100);
        return {
          code: c.code,
          kind,
          amount: kind === 'fixed' ? minor(c.discount) : null,
          percent: kind === 'percentage' ? Number(c.discount) : null,
          minBasket: Number(c.min_amount) > 0 ? minor(c.min_amount) : null,
          // time_to is the shop's local time
          expiresAt: c.time_to ? localInstant(c.time_to, zone) : null,
          usageLimit: Number(c.usage_limit) > 0 ? Number(c.usage_limit) : null,
          customer: null,
          active: c.active === '1',
        };
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return fake;
}

function localInstant(text: string, zone: string): Date {
  // the fake reads its own zone-less times back the way a shop in that zone means them
  for (let offset = -14; offset <= 14; offset++) {
    const guess = new Date(`${text.replace(' ', 'T')}Z`);
    const at = new Date(guess.getTime() - offset * 3_600_000);
    if (wallClockText(at, zone) === text) return at;
  }
  throw new Error(`${text} is not a time in ${zone}`);
}
