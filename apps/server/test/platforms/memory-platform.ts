import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { parseJsonLossless } from '../../src/shared/json.ts';
import {
  PlatformError,
  type PlatformConnector,
  type PushResult,
} from '../../src/connections/connector.ts';
import type { FakeCode, FakePlatform } from './fake-platform.ts';

/**
 * A minimal platform for testing the connections runtime itself, apart from any real
 * platform's format: orders in WooCommerce's REST shape (so the existing adapter reads them)
 * served page by page by modification time, codes kept as given. Real platforms have their own
 * fakes in test/platforms/<platform>/.
 */
interface Order {
  id: number;
  modified: number;
  body: Record<string, unknown>;
}

const money = (minor: number) => (minor / 100).toFixed(2);
const gmt = (ms: number) => new Date(ms).toISOString().slice(0, 19);

export async function startMemoryPlatform(
  options: {
    rateLimit?: { requests: number; perMs: number };
  } = {},
): Promise<FakePlatform & { token: string; orders: Order[]; codesCreated: number }> {
  const rateLimit = options.rateLimit ?? { requests: 20, perMs: 1000 };
  const orders: Order[] = [];
  const codes: Array<FakeCode & { id: string }> = [];
  const calls: Array<{ at: number; method: string; path: string; status: number }> = [];
  let down = false;
  let refuse = false;
  const token = 'memory-token';

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const url = new URL(req.url ?? '/', 'http://memory');
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        calls.push({ at, method: req.method ?? '', path: url.pathname, status });
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      const recent = calls.filter((c) => c.at > at - rateLimit.perMs).length;
      if (recent >= rateLimit.requests)
        return send(429, { error: 'slow down' }, { 'retry-after': '1' });
      if (down) return send(503, { error: 'maintenance' });
      if (req.headers.authorization !== `Bearer ${token}`) return send(401, { error: 'bad token' });
      if (url.pathname === '/shop') return send(200, { name: 'Pamięć' });
      if (url.pathname === '/orders') {
        const from = Number(url.searchParams.get('from'));
        const to = Number(url.searchParams.get('to') ?? Number.MAX_SAFE_INTEGER);
        const afterId = Number(url.searchParams.get('afterId') ?? 0);
        const page = orders
          .filter(
            (o) =>
              o.modified < to && (o.modified > from || (o.modified === from && o.id > afterId)),
          )
          .sort((a, b) => a.modified - b.modified || a.id - b.id)
          .slice(0, 100);
        return send(200, { orders: page.map((o) => ({ ...o.body, _modified: o.modified })) });
      }
      if (url.pathname === '/codes' && req.method === 'POST') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as FakeCode;
        if (refuse) return send(422, { error: 'codes are switched off in this shop' });
        const existing = codes.find((c) => c.code === body.code);
        if (existing) return send(409, { id: existing.id });
        const id = `code-${codes.length + 1}`;
        codes.push({
          ...body,
          expiresAt: body.expiresAt && new Date(body.expiresAt),
          id,
          active: true,
        });
        return send(201, { id });
      }
      const disable = /^\/codes\/([^/]+)\/disable$/.exec(url.pathname);
      if (disable && req.method === 'POST') {
        const code = codes.find((c) => c.id === disable[1]);
        if (code) code.active = false;
        return send(200, {});
      }
      return send(404, { error: 'no such resource' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let nextId = 1;

  return {
    platform: 'woocommerce',
    token,
    orders,
    get codesCreated() {
      return codes.length;
    },
    connection: { credentials: { token }, settings: { url: baseUrl } },
    rateLimit,
    async seedHistory(input) {
      let revenue = 0;
      let refunded = 0;
      let refunds = 0;
      const span = input.to.getTime() - input.from.getTime();
      for (let i = 0; i < input.orders; i++) {
        const placed = input.from.getTime() + Math.floor((span * i) / input.orders);
        const id = nextId++;
        const total = 5000 + (id % 17) * 1000;
        const refund = input.refundEvery > 0 && i % input.refundEvery === 0 ? 1000 : 0;
        revenue += total;
        if (refund) {
          refunds++;
          refunded += refund;
        }
        orders.push({
          id,
          modified: placed + 60_000,
          body: {
            id,
            status: refund ? 'completed' : 'processing',
            currency: input.currency,
            total: money(total),
            date_created_gmt: gmt(placed),
            date_paid_gmt: gmt(placed),
            date_modified_gmt: gmt(placed + 60_000),
            customer_id: 1000 + (id % 50),
            billing: { email: `klient${id % 50}@example.com`, first_name: 'Anna' },
            line_items: [
              {
                id: id * 10,
                product_id: 7,
                name: 'Kawa',
                quantity: 1,
                subtotal: money(total),
                total: money(total),
              },
            ],
            refunds: refund ? [{ id: 90_000 + id, total: `-${money(refund)}`, reason: '' }] : [],
          },
        });
      }
      return { orders: input.orders, refunds, revenue, refunded };
    },
    setDown(value) {
      down = value;
    },
    calls: () => [...calls],
    refuseCodes(value) {
      refuse = value;
    },
    codes: () => codes.map(({ id: _id, ...c }) => c),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const settingsSchema = z.object({ url: z.string().url() });
const credentialsSchema = z.object({ token: z.string().min(1) });
type Cursor = { from: number; afterId: number } | null;

/** The connector of the memory platform, through the runtime's HTTP client like any other. */
export const memoryConnector: PlatformConnector<
  z.infer<typeof credentialsSchema>,
  z.infer<typeof settingsSchema>
> = {
  platform: 'woocommerce',
  name: 'Memory',
  credentialsSchema,
  settingsSchema,
  rateLimit: { requests: 20, perMs: 1000 },
  pullEveryMs: 60_000,
  overlapMs: 5 * 60_000,
  async test(ctx) {
    const res = await ctx.http.request({
      method: 'GET',
      url: `${ctx.settings.url}/shop`,
      headers: { authorization: `Bearer ${ctx.credentials.token}` },
    });
    return { accountName: (JSON.parse(res.text) as { name: string }).name };
  },
  async pull(ctx, input) {
    const cursor = (input.cursor as Cursor) ?? { from: input.since.getTime(), afterId: 0 };
    const res = await ctx.http.request({
      method: 'GET',
      url: `${ctx.settings.url}/orders`,
      headers: { authorization: `Bearer ${ctx.credentials.token}` },
      query: {
        from: cursor.from,
        afterId: cursor.afterId,
        ...(input.until && { to: input.until.getTime() }),
      },
    });
    const { orders } = parseJsonLossless(res.text) as {
      orders: Array<{ id: string | number; _modified: number }>;
    };
    const last = orders.at(-1);
    return {
      records: orders.map(({ _modified, ...o }) => ({
        topic: 'order.updated',
        key: `order:${o.id}@${_modified}`,
        body: JSON.stringify(o),
      })),
      cursor: last ? { from: last._modified, afterId: Number(last.id) } : cursor,
      done: orders.length < 100,
      reachedAt: last ? new Date(last._modified) : null,
    };
  },
  async pushCodes(ctx, codes) {
    const results: PushResult[] = [];
    for (const code of codes) {
      try {
        const res = await ctx.http.request({
          method: 'POST',
          url: `${ctx.settings.url}/codes`,
          headers: { authorization: `Bearer ${ctx.credentials.token}` },
          json: {
            code: code.code,
            kind: code.discount.kind,
            amount: code.discount.kind === 'fixed' ? code.discount.amount : null,
            percent: code.discount.kind === 'percentage' ? code.discount.percent : null,
            minBasket: code.minBasket,
            expiresAt: code.expiresAt,
            usageLimit: code.usageLimit,
            customer: code.customerEmail,
          },
        });
        if (res.status !== 201 && res.status !== 409)
          throw new PlatformError('refused', `code ${code.code}: ${res.text}`, {
            status: res.status,
          });
        results.push({
          couponId: code.couponId,
          ok: true,
          ref: (JSON.parse(res.text) as { id: string }).id,
        });
      } catch (error) {
        if (!(error instanceof PlatformError)) throw error;
        results.push({ couponId: code.couponId, ok: false, error });
      }
    }
    return results;
  },
  async disableCode(ctx, _code, ref) {
    await ctx.http.request({
      method: 'POST',
      url: `${ctx.settings.url}/codes/${ref}/disable`,
      headers: { authorization: `Bearer ${ctx.credentials.token}` },
    });
  },
};
