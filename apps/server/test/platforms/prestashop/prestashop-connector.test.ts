import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prestashopConnector as ps } from '../../../src/platforms/prestashop/connector.ts';
import { PlatformError, type CodeToPush } from '../../../src/connections/connector.ts';
import { createTestApp, createTestShop, type TestApp } from '../../support/app.ts';
import { connectorAlone, pullPages } from '../connector-alone.ts';
import { storePulled } from '../store-pulled.ts';
import { FakePrestaShop, startFakePrestaShop } from './fake-prestashop.ts';

const NOW = new Date('2026-03-02T10:00:00Z');
let fake: FakePrestaShop;
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());
afterEach(async () => {
  await fake?.close();
});

const ctxFor = (f: FakePrestaShop, connection = f.connection) =>
  connectorAlone(ps, { ...connection, now: NOW });

async function rejection(promise: Promise<unknown>): Promise<PlatformError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PlatformError);
    return error as PlatformError;
  }
  throw new Error('expected a PlatformError');
}

describe('connecting: test()', () => {
  it('proves the key and its permissions and names the shop', async () => {
    fake = await startFakePrestaShop();
    expect(await ps.test(ctxFor(fake))).toEqual({ accountName: 'Sklep Testowy & Kawa' });
  });

  it('says the key is wrong, or lacks a permission', async () => {
    fake = await startFakePrestaShop();
    const wrong = { ...fake.connection, credentials: { webserviceKey: 'X'.repeat(32) } };
    const refused = await rejection(ps.test(ctxFor(fake, wrong)));
    expect(refused.kind).toBe('auth');
    expect(refused.message).toMatch(/refused the webservice key/);

    const limited = { ...fake.connection, credentials: fake.limitedCredentials };
    const lacking = await rejection(ps.test(ctxFor(fake, limited)));
    expect(lacking.kind).toBe('auth');
    expect(lacking.message).toMatch(/cart_rules POST, cart_rules PUT/);
  });

  it('says the address has no Webservice (404)', async () => {
    fake = await startFakePrestaShop();
    const elsewhere = { ...fake.connection, settings: { shopUrl: `${fake.url}/sklep` } };
    const error = await rejection(ps.test(ctxFor(fake, elsewhere)));
    expect(error.kind).toBe('address');
    expect(error.message).toMatch(/No PrestaShop Webservice/);
  });

  it('takes only a 32-character key and an https address', () => {
    expect(ps.credentialsSchema.safeParse({ webserviceKey: 'krotki' }).success).toBe(false);
    expect(ps.settingsSchema.safeParse({ shopUrl: 'http://sklep.pl' }).success).toBe(false);
    expect(ps.settingsSchema.parse({ shopUrl: 'https://sklep.pl/' })).toEqual({
      shopUrl: 'https://sklep.pl',
      cancelledStateIds: ['6'],
    });
  });
});

describe('the Webservice pull', () => {
  it('backfills orders with their credit slips: rows equal the shop’s own count', async () => {
    fake = await startFakePrestaShop();
    const seeded = await fake.seedHistory({
      orders: 300,
      from: new Date('2025-03-01T00:00:00Z'),
      to: new Date('2026-03-01T00:00:00Z'),
      refundEvery: 7,
      currency: 'PLN',
    });
    const shop = await createTestShop(t);
    const { records } = await pullPages(ps, ctxFor(fake), {
      mode: 'backfill',
      since: new Date('2025-03-01T00:00:00Z'),
      until: NOW,
    });
    await storePulled(t, shop.id, 'prestashop', records);
    const { rows } = await sql<{
      orders: number;
      revenue: number;
      refunds: number;
      refunded: number;
    }>`
      SELECT (SELECT count(*)::int FROM orders WHERE shop_id = ${shop.id}) AS orders,
             (SELECT coalesce(sum(total), 0)::int FROM orders WHERE shop_id = ${shop.id}) AS revenue,
             (SELECT count(*)::int FROM refunds WHERE shop_id = ${shop.id}) AS refunds,
             (SELECT coalesce(sum(amount), 0)::int FROM refunds WHERE shop_id = ${shop.id}) AS refunded
    `.execute(t.db);
    expect(rows[0]).toEqual({
      orders: seeded.orders,
      revenue: seeded.revenue,
      refunds: seeded.refunds,
      refunded: seeded.refunded,
    });
    const notApplied = await t.db
      .selectFrom('inbound_events')
      .select(['topic', 'status', 'reason'])
      .where('shop_id', '=', shop.id)
      .where('status', 'not in', ['processed', 'ignored'])
      .execute();
    expect(notApplied).toEqual([]);
    // the first order, placed at midnight UTC, is 01:00 on the shop's wall clock
    const first = await t.db
      .selectFrom('orders')
      .select('placed_at')
      .where('shop_id', '=', shop.id)
      .orderBy('placed_at')
      .executeTakeFirstOrThrow();
    expect(first.placed_at).toEqual(new Date('2025-03-01T00:00:00Z'));
    expect(fake.calls().filter((c) => c.status === 429)).toEqual([]);
  });

  it('gives a credit slip its order’s currency in a shop of several currencies', async () => {
    fake = await startFakePrestaShop();
    fake.addCurrency('EUR');
    const pln = fake.addOrder({ placed: new Date('2026-02-20T10:00:00Z'), total: 10000 });
    const eur = fake.addOrder({
      placed: new Date('2026-02-20T11:00:00Z'),
      total: 5000,
      currency: 'EUR',
    });
    fake.addSlip(Number(pln.id), 1000, new Date('2026-02-21T10:00:00Z'));
    fake.addSlip(Number(eur.id), 500, new Date('2026-02-21T11:00:00Z'));
    const { records } = await pullPages(ps, ctxFor(fake), {
      mode: 'sync',
      since: new Date('2026-02-20T00:00:00Z'),
      until: null,
    });
    const currencyOf = (topic: string) =>
      records
        .filter((r) => r.topic === topic)
        .map((r) => (JSON.parse(r.body) as { currency: string }).currency);
    expect(currencyOf('order')).toEqual(['PLN', 'EUR']);
    expect(currencyOf('order_slip')).toEqual(['PLN', 'EUR']);
  });

  it('reads 230 orders updated in one second, also while some change under the reader', async () => {
    fake = await startFakePrestaShop();
    const second = new Date('2026-03-01T12:00:00Z');
    for (let i = 0; i < 230; i++) {
      fake.addOrder({ placed: new Date('2026-02-20T10:00:00Z'), updated: second, total: 500 });
    }
    const ids = [...fake.orders.keys()];
    const ctx = ctxFor(fake);
    const input = { mode: 'sync' as const, since: new Date('2026-03-01T00:00:00Z'), until: null };
    const busy = await pullPages(ps, ctx, input, (page) => {
      if (page === 1) {
        for (const id of ids.slice(0, 20)) fake.touchOrder(id, new Date('2026-03-02T09:00:00Z'));
      }
    });
    const read = new Set(
      busy.records.filter((r) => r.topic === 'order').map((r) => r.key.replace(/@.*/, '')),
    );
    for (const id of ids) expect(read.has(`order:${id}`)).toBe(true);
    const limits = fake
      .callsWithQuery()
      .filter((c) => c.path === '/api/orders' && c.query.get('display') === 'full')
      .map((c) => c.query.get('limit'));
    // 0,100 then 95,100 finds its last order gone: the second is read again from its start
    expect(limits.slice(0, 3)).toEqual(['0,100', '95,100', '0,100']);
  });

  it('stops on an outage and resumes from its cursor with nothing lost', async () => {
    fake = await startFakePrestaShop();
    for (let i = 0; i < 150; i++) {
      fake.addOrder({ placed: new Date(Date.UTC(2026, 1, 20, 10, 0, i)), total: 100 });
    }
    const ctx = ctxFor(fake);
    const input = { mode: 'sync' as const, since: new Date('2026-02-20T00:00:00Z'), until: null };
    const first = await ps.pull(ctx, { ...input, cursor: null });
    expect(first.records).toHaveLength(100);
    fake.setDown(true);
    expect((await rejection(ps.pull(ctx, { ...input, cursor: first.cursor }))).kind).toBe(
      'unavailable',
    );
    fake.setDown(false);
    const rest = await pullPages(ps, ctx, { ...input, cursor: first.cursor });
    const orders = new Set(
      [...first.records, ...rest.records].filter((r) => r.topic === 'order').map((r) => r.key),
    );
    expect(orders.size).toBe(150);
  });
});

function code(overrides: Partial<CodeToPush> = {}): CodeToPush {
  return {
    couponId: 'cpn_1',
    code: 'LOJAL-AB12',
    discount: { kind: 'fixed', amount: 2000, currency: 'PLN' },
    currency: 'PLN',
    minBasket: 10000,
    startsAt: null,
    expiresAt: new Date('2026-06-30T21:59:59Z'),
    usageLimit: 1,
    usageLimitPerCustomer: 1,
    customerEmail: 'ala@example.pl',
    customerExternalId: '25',
    productIds: [],
    categoryIds: [],
    excludeProductIds: [],
    excludeCategoryIds: [],
    campaign: null,
    title: 'Lojal: 20 zł rabatu (nagroda)',
    ...overrides,
  };
}

describe('codes out: cart rules', () => {
  it('creates each code as a cart rule with the same terms', async () => {
    fake = await startFakePrestaShop();
    const results = await ps.pushCodes!(ctxFor(fake), [
      code(),
      code({
        couponId: 'cpn_2',
        code: 'LOJAL-PC10',
        discount: { kind: 'percentage', percent: 12.5 },
        productIds: ['7'],
        customerExternalId: null,
        usageLimit: null,
        usageLimitPerCustomer: null,
      }),
      code({ couponId: 'cpn_3', code: 'LOJAL-SHIP', discount: { kind: 'free_shipping' } }),
      code({
        couponId: 'cpn_4',
        code: 'LOJAL-GIFT',
        discount: { kind: 'free_product', productId: '7' },
      }),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true]);
    expect(fake.codes()).toEqual([
      {
        code: 'LOJAL-AB12',
        kind: 'fixed',
        amount: 2000,
        percent: null,
        minBasket: 10000,
        expiresAt: new Date('2026-06-30T21:59:59Z'),
        usageLimit: 1,
        customer: '25',
        active: true,
      },
      expect.objectContaining({
        code: 'LOJAL-PC10',
        kind: 'percentage',
        percent: 12.5,
        usageLimit: null,
      }),
      expect.objectContaining({ code: 'LOJAL-SHIP', kind: 'free_shipping' }),
      expect.objectContaining({ code: 'LOJAL-GIFT', kind: 'free_product' }),
    ]);
    const [fixed, percent] = [...fake.cartRules.values()];
    expect(fixed).toMatchObject({
      reduction_amount: '20.00',
      reduction_currency: '1',
      minimum_amount: '100.00',
      date_to: '2026-06-30 23:59:59', // Warsaw summer time
      quantity: '1',
      quantity_per_user: '1',
      id_customer: '25',
      description: 'lojal:cpn_1 Lojal: 20 zł rabatu (nagroda)',
      name: [
        { id: '1', value: 'Lojal: 20 zł rabatu (nagroda)' },
        { id: '2', value: 'Lojal: 20 zł rabatu (nagroda)' },
      ],
    });
    expect(percent).toMatchObject({ reduction_percent: '12.5', reduction_product: '7' });
  });

  it('finds its own cart rule on a retry instead of creating a second one', async () => {
    fake = await startFakePrestaShop();
    const ctx = ctxFor(fake);
    const [first] = await ps.pushCodes!(ctx, [code()]);
    const [again] = await ps.pushCodes!(ctx, [code()]);
    expect(again).toEqual(first);
    expect(fake.cartRules.size).toBe(1);
  });

  it('refuses what a cart rule cannot hold, and a merchant’s rule with the same code', async () => {
    fake = await startFakePrestaShop();
    fake.addMerchantRule('LOJAL-AB12');
    const results = await ps.pushCodes!(ctxFor(fake), [
      code(),
      code({ couponId: 'cpn_c', code: 'LOJAL-CAT', categoryIds: ['3'] }),
      code({
        couponId: 'cpn_p',
        code: 'LOJAL-CAP',
        discount: { kind: 'percentage', percent: 10, cap: 5000 },
      }),
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.kind))).toEqual([
      'refused',
      'refused',
      'refused',
    ]);
    expect(fake.cartRules.size).toBe(1);
  });

  it('reports a refusal, and succeeds on the retry', async () => {
    fake = await startFakePrestaShop();
    const ctx = ctxFor(fake);
    fake.refuseCodes(true);
    const [refused] = await ps.pushCodes!(ctx, [code()]);
    expect(refused).toMatchObject({ ok: false, error: { kind: 'refused' } });
    fake.refuseCodes(false);
    const [retried] = await ps.pushCodes!(ctx, [code()]);
    expect(retried).toMatchObject({ ok: true });
    expect(fake.codes()).toHaveLength(1);
  });

  it('disables a code by setting active to 0; gone counts as done', async () => {
    fake = await startFakePrestaShop();
    const ctx = ctxFor(fake);
    const [pushed] = await ps.pushCodes!(ctx, [code()]);
    if (!pushed!.ok) throw pushed!.error;
    await ps.disableCode!(ctx, code(), pushed!.ref);
    expect(fake.codes()[0]).toMatchObject({ active: false, minBasket: 10000 });
    await ps.disableCode!(ctx, code(), pushed!.ref);
    await ps.disableCode!(ctx, code(), '4242');
    expect(fake.calls().filter((c) => c.method === 'PUT')).toHaveLength(1);
  });
});
