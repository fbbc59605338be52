import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CallSpacer, platformHttp } from '../../../src/connections/platform-http.ts';
import {
  PlatformError,
  type CodeToPush,
  type ConnectorContext,
  type PullInput,
  type PulledRecord,
} from '../../../src/connections/connector.ts';
import { shoperConnector, shoperThrottle } from '../../../src/platforms/shoper/connector.ts';
import {
  ShoperSession,
  type ShoperCredentials,
  type ShoperSettings,
} from '../../../src/platforms/shoper/webapi.ts';
import { commandsFromShoper } from '../../../src/ingest/shoper.ts';
import { parseJsonLossless } from '../../../src/shared/json.ts';
import { startFakeShoper, type FakeShoper } from './fake-shoper.ts';

let fake: FakeShoper | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const NOW = new Date('2026-03-02T10:00:00Z');
const TEST_POLICY = { ports: 'any', privateNetworks: true } as const;

function contextFor(
  f: FakeShoper,
  overrides: { credentials?: ShoperCredentials; settings?: Partial<ShoperSettings> } = {},
): ConnectorContext<ShoperCredentials, ShoperSettings> {
  const http = platformHttp({
    connector: shoperConnector as never,
    spacer: new CallSpacer(shoperConnector.rateLimit),
    policy: TEST_POLICY,
  });
  return {
    shopId: 'shp_x',
    connectionId: 'con_x',
    credentials: overrides.credentials ?? (f.connection.credentials as ShoperCredentials),
    settings: shoperConnector.settingsSchema.parse({
      ...(f.connection.settings as object),
      ...overrides.settings,
    }),
    http,
    shop: { timezone: 'Europe/Warsaw', currency: 'PLN', publicUrl: 'http://localhost:3000' },
    now: NOW,
  };
}

async function pullAll(
  ctx: ConnectorContext<ShoperCredentials, ShoperSettings>,
  input: Omit<PullInput, 'cursor'>,
): Promise<{ records: PulledRecord[]; pages: number; total?: number }> {
  let cursor: PullInput['cursor'] = null;
  const records: PulledRecord[] = [];
  let total: number | undefined;
  for (let pages = 1; pages < 200; pages++) {
    const page = await shoperConnector.pull(ctx, { ...input, cursor });
    // the runtime stores each version once (delivery id pull:<key>)
    for (const r of page.records) if (!records.some((x) => x.key === r.key)) records.push(r);
    total ??= page.total;
    cursor = page.cursor;
    if (page.done) return { records, pages, total };
  }
  throw new Error('the pull never finished');
}

const orderIdsOf = (records: PulledRecord[]) =>
  new Set(records.map((r) => /^order:(\d+)@/.exec(r.key)![1]));

describe('the Shoper connector', () => {
  it('signs in with the WebAPI user and refuses a wrong password with an auth error', async () => {
    fake = await startFakeShoper();
    await expect(shoperConnector.test(contextFor(fake))).resolves.toEqual({
      accountName: new URL(fake.url).host,
    });
    const wrong = contextFor(fake, { credentials: { user: 'lojal-webapi', password: 'nie' } });
    await expect(shoperConnector.test(wrong)).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringContaining('WebAPI'),
    });
  });

  it('says the address is not a Shoper shop when it has no webapi', async () => {
    fake = await startFakeShoper();
    const other = createServer((_req, res) => res.writeHead(404).end('<html>nie ma</html>'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const ctx = contextFor(fake, {
        settings: { shopUrl: `http://127.0.0.1:${(other.address() as AddressInfo).port}` },
      });
      await expect(shoperConnector.test(ctx)).rejects.toMatchObject({ kind: 'address' });
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it('backfills every order placed in the window once, with its lines, and counts them', async () => {
    fake = await startFakeShoper({ limit: 50, bandwidth: 200 });
    const from = new Date('2025-01-01T00:00:00Z');
    const to = new Date('2025-12-01T00:00:00Z');
    const seeded = await fake.seedHistory({
      orders: 130,
      from,
      to,
      refundEvery: 10,
      currency: 'PLN',
    });
    // one more after the window: not history
    fake.addOrder({ date: '2025-12-05 10:00:00', sum: '10.00' });
    const ctx = contextFor(fake);
    const { records, total } = await pullAll(ctx, { mode: 'backfill', since: from, until: to });
    expect(orderIdsOf(records).size).toBe(seeded.orders);
    expect(records).toHaveLength(seeded.orders);
    expect(total).toBeGreaterThanOrEqual(seeded.orders);
    const commands = records.flatMap((r) =>
      commandsFromShoper(r.topic, parseJsonLossless(r.body), NOW),
    );
    const refunds = commands.filter((c) => c.kind === 'refund');
    expect(refunds).toHaveLength(seeded.refunds);
    expect(refunds.reduce((s, c) => s + (c.kind === 'refund' ? c.refund.amount : 0), 0)).toBe(
      seeded.refunded,
    );
    const orders = commands.flatMap((c) => (c.kind === 'order' ? [c.order] : []));
    expect(orders.reduce((s, o) => s + o.total, 0)).toBe(seeded.revenue);
    expect(orders.every((o) => o.lines.length === 1 && o.paidAt !== null)).toBe(true);
    // never asked for more than Shoper's 50-row page
    expect(fake.calls().every((c) => c.status === 200)).toBe(true);
  });

  it('reads every order sharing one status time, past a full page (keyset, not page numbers)', async () => {
    fake = await startFakeShoper({ limit: 50, bandwidth: 200 });
    for (let i = 0; i < 73; i++) {
      fake.addOrder({
        date: '2026-03-02 09:00:00',
        status_date: '2026-03-02 10:30:00',
        sum: '20.00',
      });
    }
    fake.addOrder({
      date: '2026-03-02 09:00:00',
      status_date: '2026-03-02 10:45:00',
      sum: '20.00',
    });
    const { records } = await pullAll(contextFor(fake), {
      mode: 'sync',
      since: new Date('2026-03-02T09:00:00Z'),
      until: null,
    });
    expect(orderIdsOf(records).size).toBe(74);
  });

  it('pulls a status change as a new version of the order, and the same version with the same key', async () => {
    fake = await startFakeShoper({ limit: 50, bandwidth: 200 });
    const id = fake.addOrder(
      {
        date: '2026-03-02 09:00:00',
        status_date: '2026-03-02 09:00:00',
        sum: '99.90',
        status_id: '7',
        user_id: '5',
      },
      [{ product_id: '3', price: '99.90', name: 'Kawa' }],
    );
    const ctx = contextFor(fake);
    const since = new Date('2026-03-02T07:00:00Z');
    const first = await pullAll(ctx, { mode: 'sync', since, until: null });
    const again = await pullAll(ctx, { mode: 'sync', since, until: null });
    expect(again.records.map((r) => r.key)).toEqual(first.records.map((r) => r.key));
    fake.setStatus(id, '11', '2026-03-02 10:15:00');
    const later = await pullAll(ctx, { mode: 'sync', since, until: null });
    expect(later.records).toHaveLength(1);
    expect(later.records[0]!.key).not.toBe(first.records[0]!.key);
    // 10:15 in Warsaw (CET) is 09:15Z
    expect(later.records[0]!.occurredAt).toEqual(new Date('2026-03-02T09:15:00Z'));
    const commands = commandsFromShoper(
      'order.edit',
      parseJsonLossless(later.records[0]!.body),
      NOW,
    );
    expect(commands.map((c) => c.kind)).toEqual(['order', 'refund']);
  });

  it('takes a new token once when Shoper forgets the old one', async () => {
    fake = await startFakeShoper({ limit: 50, bandwidth: 200 });
    const session = new ShoperSession(contextFor(fake));
    await session.list('statuses', { purpose: 'test' });
    fake.expireTokens();
    await expect(session.list('statuses', { purpose: 'test' })).resolves.toMatchObject({
      count: 7,
    });
    expect(fake.tokensIssued()).toBe(2);
  });

  it('reads the bucket headers: waits when nearly full, and a 429 becomes rate-limited with Retry-After', async () => {
    const headers = (calls: number) =>
      new Headers({
        'x-shop-api-calls': String(calls),
        'x-shop-api-limit': '10',
        'x-shop-api-bandwidth': '2',
      });
    expect(shoperThrottle({ status: 200, headers: headers(3), text: '' })).toBeNull();
    expect(shoperThrottle({ status: 200, headers: headers(8), text: '' })).toBe(500);
    expect(shoperThrottle({ status: 200, headers: headers(10), text: '' })).toBe(1500);
    expect(shoperThrottle({ status: 200, headers: new Headers(), text: '' })).toBeNull();

    // a bucket of 3 draining at 2 a second, hit with no spacing: the throttle keeps it from 429s
    fake = await startFakeShoper({ limit: 4, bandwidth: 4 });
    const session = new ShoperSession(contextFor(fake));
    for (let i = 0; i < 8; i++) await session.list('statuses', { purpose: 'test' });
    expect(fake.calls().filter((c) => c.status === 429)).toEqual([]);

    // a client that ignores the headers meets the 429
    let error: unknown = null;
    const ctx = contextFor(fake);
    const blind = {
      ...ctx,
      http: platformHttp({
        connector: { ...shoperConnector, throttle: undefined } as never,
        spacer: new CallSpacer({ requests: 100, perMs: 1000 }),
        policy: TEST_POLICY,
      }),
    };
    try {
      const s = new ShoperSession(blind);
      for (let i = 0; i < 10; i++) await s.list('statuses', { purpose: 'test' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlatformError);
    expect(error).toMatchObject({ kind: 'rate-limited', details: { retryAfterMs: 1000 } });
  });
});

const code = (over: Partial<CodeToPush> = {}): CodeToPush => ({
  couponId: 'cpn_1',
  code: 'LOJAL-KAWA-1',
  discount: { kind: 'fixed', amount: 2500, currency: 'PLN' },
  currency: 'PLN',
  minBasket: 10000,
  startsAt: null,
  expiresAt: new Date('2026-04-01T21:59:59Z'),
  usageLimit: 1,
  usageLimitPerCustomer: 1,
  customerEmail: 'anna@example.pl',
  customerExternalId: '5',
  productIds: [],
  categoryIds: [],
  excludeProductIds: [],
  excludeCategoryIds: [],
  campaign: null,
  title: 'Lojal: 25 zł (nagroda)',
  ...over,
});

describe('Shoper promotion codes', () => {
  it('creates a code with the same terms, finds it again on a retry, and disables it', async () => {
    fake = await startFakeShoper({ limit: 50, bandwidth: 200 });
    const ctx = contextFor(fake);
    const [first] = await shoperConnector.pushCodes!(ctx, [code()]);
    expect(first).toMatchObject({ ok: true });
    const [retry] = await shoperConnector.pushCodes!(ctx, [code()]);
    expect(retry).toEqual(first);
    expect(fake.codes()).toEqual([
      {
        code: 'LOJAL-KAWA-1',
        kind: 'fixed',
        amount: 2500,
        percent: null,
        minBasket: 10000,
        // 23:59:59 on 1 April in Warsaw
        expiresAt: new Date('2026-04-01T21:59:59Z'),
        usageLimit: 1,
        customer: null,
        active: true,
      },
    ]);
    await shoperConnector.disableCode!(ctx, code(), (first as { ref: string }).ref);
    expect(fake.codes()[0]!.active).toBe(false);
    // already gone counts as done
    await expect(shoperConnector.disableCode!(ctx, code(), '999')).resolves.toBeUndefined();
  });

  it('answers one result per code: a refusal is that code alone, and a free product is refused', async () => {
    fake = await startFakeShoper({ limit: 50, bandwidth: 200 });
    const ctx = contextFor(fake);
    fake.refuseCodes(true);
    const results = await shoperConnector.pushCodes!(ctx, [
      code({ couponId: 'a', code: 'A-1' }),
      code({ couponId: 'b', code: 'B-1', discount: { kind: 'free_product', productId: '3' } }),
    ]);
    expect(results.map((r) => [r.couponId, r.ok, r.ok ? null : r.error.kind])).toEqual([
      ['a', false, 'refused'],
      ['b', false, 'refused'],
    ]);
    fake.refuseCodes(false);
    const [ok] = await shoperConnector.pushCodes!(ctx, [
      code({ couponId: 'a', code: 'A-1', discount: { kind: 'percentage', percent: 15 } }),
    ]);
    expect(ok).toMatchObject({ ok: true });
    expect(fake.codes()).toMatchObject([{ code: 'A-1', kind: 'percentage', percent: 15 }]);
  });

  it('lets an outage stop the batch, to be retried whole', async () => {
    fake = await startFakeShoper({ limit: 50, bandwidth: 200 });
    fake.setDown(true);
    await expect(shoperConnector.pushCodes!(contextFor(fake), [code()])).rejects.toMatchObject({
      kind: 'unavailable',
    });
  });
});
