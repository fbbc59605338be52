import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { woocommerceConnector as woo } from '../../../src/platforms/woocommerce/connector.ts';
import { PlatformError, type CodeToPush } from '../../../src/connections/connector.ts';
import { createTestApp, createTestShop, type TestApp } from '../../support/app.ts';
import { connectorAlone, pullPages } from '../connector-alone.ts';
import { storePulled } from '../store-pulled.ts';
import { FakeWooCommerce, startFakeWooCommerce } from './fake-woocommerce.ts';

const NOW = new Date('2026-03-02T10:00:00Z');
let fake: FakeWooCommerce;
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());
afterEach(async () => {
  await fake?.close();
});

const ctxFor = (f: FakeWooCommerce, connection = f.connection) =>
  connectorAlone(woo, { ...connection, now: NOW });

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
  it('proves the key and names the shop', async () => {
    fake = await startFakeWooCommerce();
    expect(await woo.test(ctxFor(fake))).toEqual({ accountName: 'Sklep Testowy' });
    // one read, one empty write batch, the site index
    expect(fake.calls().map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /wp-json/wc/v3/orders',
      'POST /wp-json/wc/v3/coupons/batch',
      'GET /wp-json/',
    ]);
  });

  it('says the key or secret is wrong (401)', async () => {
    fake = await startFakeWooCommerce();
    const wrong = {
      ...fake.connection,
      credentials: {
        consumerKey: fake.connection.credentials.consumerKey,
        consumerSecret: 'cs_zly',
      },
    };
    const error = await rejection(woo.test(ctxFor(fake, wrong)));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/refused the consumer key and secret/);
    expect(error.message).not.toContain('cs_zly');
  });

  it('says a read-only key cannot create coupons', async () => {
    fake = await startFakeWooCommerce();
    const readOnly = { ...fake.connection, credentials: fake.readOnlyCredentials };
    const error = await rejection(woo.test(ctxFor(fake, readOnly)));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/Read\/Write/);
  });

  it('says the address has no WooCommerce (404) or cannot be reached', async () => {
    fake = await startFakeWooCommerce();
    const elsewhere = {
      ...fake.connection,
      settings: { storeUrl: `${fake.url}/nie-ma-sklepu` },
    };
    const notFound = await rejection(woo.test(ctxFor(fake, elsewhere)));
    expect(notFound.kind).toBe('address');
    expect(notFound.message).toMatch(/No WooCommerce REST API .*404/);

    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const nobody = { ...fake.connection, settings: { storeUrl: `http://127.0.0.1:${port}` } };
    const unreachable = await rejection(woo.test(ctxFor(fake, nobody)));
    expect(unreachable.kind).toBe('address');
    expect(unreachable.message).toMatch(/Cannot reach/);
  });

  it('refuses plain http to a public host, and keys that are not WooCommerce keys', () => {
    const settings = woo.settingsSchema.safeParse({ storeUrl: 'http://sklep.pl' });
    expect(settings.success).toBe(false);
    expect(woo.settingsSchema.parse({ storeUrl: 'https://sklep.pl/' })).toEqual({
      storeUrl: 'https://sklep.pl',
    });
    const keys = woo.credentialsSchema.safeParse({ consumerKey: 'abc', consumerSecret: 'cs_1' });
    expect(keys.success).toBe(false);
  });
});

describe('the reconciliation pull', () => {
  it('adds the lines of a partly refunded order’s refunds, and reads nothing more for a whole refund', async () => {
    fake = await startFakeWooCommerce();
    const at = new Date('2026-02-27T10:00:00Z');
    const partly = fake.addOrder({ placed: at, total: 12_000 });
    const whole = fake.addOrder({ placed: at, total: 3000 });
    const line = Number(partly.line_items[0]!.id);
    fake.refundOrder(partly.id, 5000, new Date('2026-02-28T10:00:00Z'), [line]);
    fake.refundOrder(whole.id, 3000, new Date('2026-02-28T10:00:00Z'));
    const { records } = await pullPages(woo, ctxFor(fake), {
      mode: 'sync',
      since: new Date('2026-02-27T00:00:00Z'),
    });
    const bodies = records
      .filter((r) => r.topic === 'order.updated')
      .map((r) => JSON.parse(r.body) as { id: number; refunds: Array<{ line_items?: unknown[] }> });
    const byId = new Map(bodies.map((b) => [b.id, b]));
    expect(byId.get(partly.id)!.refunds[0]!.line_items).toEqual([
      expect.objectContaining({
        meta_data: [expect.objectContaining({ key: '_refunded_item_id', value: String(line) })],
      }),
    ]);
    expect(byId.get(whole.id)!.refunds[0]).not.toHaveProperty('line_items');
    const reads = fake.calls().filter((c) => c.path.endsWith('/refunds'));
    expect(reads.map((c) => c.path)).toEqual([`/wp-json/wc/v3/orders/${partly.id}/refunds`]);
  });

  it('backfills 1,000 orders with their refunds: rows equal the shop’s own count', async () => {
    fake = await startFakeWooCommerce();
    const seeded = await fake.seedHistory({
      orders: 1000,
      from: new Date('2025-03-01T00:00:00Z'),
      to: new Date('2026-03-01T00:00:00Z'),
      refundEvery: 7,
      currency: 'PLN',
    });
    const shop = await createTestShop(t);
    const ctx = ctxFor(fake);
    const { records, total } = await pullPages(woo, ctx, {
      mode: 'backfill',
      since: new Date('2025-03-01T00:00:00Z'),
      until: NOW,
    });
    expect(total).toBe(1000 + 250); // orders and registered customers (no products)
    await storePulled(t, shop.id, 'woocommerce', records);

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
    const failed = await t.db
      .selectFrom('inbound_events')
      .select(['status', 'reason'])
      .where('shop_id', '=', shop.id)
      .where('status', 'not in', ['processed', 'ignored'])
      .execute();
    expect(failed).toEqual([]);
    // never faster than the host allows
    expect(fake.calls().filter((c) => c.status === 429)).toEqual([]);
  });

  it('misses nothing when orders read on one page are modified before the next', async () => {
    fake = await startFakeWooCommerce();
    const start = new Date('2026-03-01T08:00:00Z');
    for (let i = 0; i < 250; i++) {
      fake.addOrder({ placed: new Date(start.getTime() + i * 1000), total: 1000 + i });
    }
    const ids = [...fake.orders.keys()];
    const ctx = ctxFor(fake);
    const { records } = await pullPages(
      woo,
      ctx,
      { mode: 'sync', since: new Date('2026-03-01T07:00:00Z'), until: null },
      (page) => {
        // After the first page, three orders it held change: each leaves its place, and a
        // reader by page number would now skip three orders at the start of page 2.
        if (page === 1) {
          for (const id of ids.slice(10, 13)) {
            fake.touchOrder(id, new Date('2026-03-02T09:59:00Z'), { status: 'cancelled' });
          }
        }
      },
    );
    const read = new Set(records.filter((r) => r.topic === 'order.updated').map((r) => r.key));
    for (const id of ids) {
      const order = fake.orders.get(id)!;
      expect(read.has(`order:${id}@${order.date_modified_gmt}`)).toBe(true);
    }
  });

  it('reads a bulk update of 230 orders within one second, also while it changes', async () => {
    fake = await startFakeWooCommerce();
    const second = new Date('2026-03-01T12:00:00Z');
    for (let i = 0; i < 230; i++) {
      fake.addOrder({ placed: new Date('2026-02-20T10:00:00Z'), modified: second, total: 500 });
    }
    const ids = [...fake.orders.keys()];
    const ctx = ctxFor(fake);
    const quiet = await pullPages(woo, ctx, {
      mode: 'sync',
      since: new Date('2026-03-01T00:00:00Z'),
      until: null,
    });
    expect(new Set(quiet.records.map((r) => r.key)).size).toBe(230);
    // three order pages (offset 0, 95, 190), then the products
    const orderCalls = fake.callsWithQuery().filter((c) => c.path.endsWith('/orders'));
    expect(orderCalls.map((c) => c.query.get('offset'))).toEqual([null, '95', '190']);

    // Again, but 20 orders read on the first page change before the second page is read.
    const busy = await pullPages(
      woo,
      ctx,
      { mode: 'sync', since: new Date('2026-03-01T00:00:00Z'), until: null },
      (page) => {
        if (page === 1) {
          for (const id of ids.slice(0, 20)) fake.touchOrder(id, new Date('2026-03-02T09:00:00Z'));
        }
      },
    );
    const read = new Set(busy.records.map((r) => r.key.replace(/@.*/, '')));
    for (const id of ids) expect(read.has(`order:${id}`)).toBe(true);
  });

  it('starts the next run overlapMs before the newest change, catching a late write', async () => {
    fake = await startFakeWooCommerce();
    fake.addOrder({ placed: new Date('2026-03-02T09:00:00Z'), total: 1000 });
    const ctx = ctxFor(fake);
    const first = await pullPages(woo, ctx, {
      mode: 'sync',
      since: new Date('2026-03-02T08:00:00Z'),
      until: null,
    });
    expect(first.records).toHaveLength(1);
    // written with a time just before the newest one already read (a slow request)
    const late = fake.addOrder({ placed: new Date('2026-03-02T08:58:00Z'), total: 2000 });
    const second = await pullPages(woo, ctx, {
      mode: 'sync',
      since: new Date('2026-03-02T08:00:00Z'),
      until: null,
      cursor: first.cursor,
    });
    expect(second.records.map((r) => r.key)).toContain(`order:${late.id}@2026-03-02T08:58:00`);
    const orderQuery = fake
      .callsWithQuery()
      .filter((c) => c.path.endsWith('/orders'))
      .at(-1)!.query;
    expect(orderQuery.get('modified_after')).toBe('2026-03-02T08:50:00');
  });

  it('stops on an outage and resumes from its cursor with nothing lost', async () => {
    fake = await startFakeWooCommerce();
    for (let i = 0; i < 150; i++) {
      fake.addOrder({ placed: new Date(Date.UTC(2026, 1, 20, 10, 0, i)), total: 100 });
    }
    const ctx = ctxFor(fake);
    const input = { mode: 'sync' as const, since: new Date('2026-02-20T00:00:00Z'), until: null };
    const first = await woo.pull(ctx, { ...input, cursor: null });
    expect(first.records).toHaveLength(100);
    fake.setDown(true);
    const down = await rejection(woo.pull(ctx, { ...input, cursor: first.cursor }));
    expect(down.kind).toBe('unavailable');
    fake.setDown(false);
    const rest = await pullPages(woo, ctx, { ...input, cursor: first.cursor });
    const keys = new Set([...first.records, ...rest.records].map((r) => r.key));
    expect(keys.size).toBe(150);
  });

  it('reports a 429 from a stricter host with its Retry-After', async () => {
    fake = await startFakeWooCommerce({ requests: 1, perMs: 10_000 });
    const ctx = ctxFor(fake);
    const input = { mode: 'sync' as const, since: new Date('2026-02-20T00:00:00Z'), until: null };
    await woo.pull(ctx, { ...input, cursor: null });
    const slowed = await rejection(woo.pull(ctx, { ...input, cursor: null }));
    expect(slowed.kind).toBe('rate-limited');
    expect(slowed.details.retryAfterMs).toBe(1000);
  });

  it('pulls products with the shop currency, and the catalogue shows them', async () => {
    fake = await startFakeWooCommerce();
    fake.addProduct(93, new Date('2026-03-01T10:00:00Z'));
    fake.addProduct(94, new Date('2026-03-01T11:00:00Z'), { status: 'draft', price: '' });
    const shop = await createTestShop(t);
    const { records } = await pullPages(woo, ctxFor(fake), {
      mode: 'sync',
      since: new Date('2026-03-01T00:00:00Z'),
      until: null,
    });
    expect(records.map((r) => r.key)).toEqual([
      'product:93@2026-03-01T10:00:00',
      'product:94@2026-03-01T11:00:00',
    ]);
    await storePulled(t, shop.id, 'woocommerce', records);
    const products = await t.db
      .selectFrom('products')
      .select(['external_id', 'name', 'price', 'currency', 'active', 'category_ids', 'image_url'])
      .where('shop_id', '=', shop.id)
      .orderBy('external_id')
      .execute();
    expect(products).toEqual([
      {
        external_id: '93',
        name: 'Kawa 93',
        price: 4990,
        currency: 'PLN',
        active: true,
        category_ids: ['15'],
        image_url: `${fake.url}/img/kawa-93.jpg`,
      },
      {
        external_id: '94',
        name: 'Kawa 94',
        price: null,
        currency: null,
        active: false,
        category_ids: ['15'],
        image_url: `${fake.url}/img/kawa-94.jpg`,
      },
    ]);
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

describe('codes out: pushCodes() and disableCode()', () => {
  it('creates each code as a coupon with the same terms', async () => {
    fake = await startFakeWooCommerce();
    const results = await woo.pushCodes!(ctxFor(fake), [
      code(),
      code({
        couponId: 'cpn_2',
        code: 'LOJAL-PC10',
        discount: { kind: 'percentage', percent: 12.5 },
        minBasket: null,
        expiresAt: null,
        usageLimit: null,
        usageLimitPerCustomer: null,
        customerEmail: null,
        productIds: ['93'],
        categoryIds: ['15'],
        excludeProductIds: ['94'],
      }),
      code({ couponId: 'cpn_3', code: 'LOJAL-SHIP', discount: { kind: 'free_shipping' } }),
      code({
        couponId: 'cpn_4',
        code: 'LOJAL-KAWA',
        discount: { kind: 'free_product', productId: '93' },
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
        customer: 'ala@example.pl',
        active: true,
      },
      expect.objectContaining({ code: 'LOJAL-PC10', kind: 'percentage', percent: 12.5 }),
      expect.objectContaining({ code: 'LOJAL-SHIP', kind: 'free_shipping' }),
      expect.objectContaining({ code: 'LOJAL-KAWA', kind: 'free_product' }),
    ]);
    const [fixed, percent] = [...fake.coupons.values()].map((c) => c.body);
    expect(fixed).toMatchObject({
      discount_type: 'fixed_cart',
      amount: '20.00',
      minimum_amount: '100.00',
      date_expires_gmt: '2026-06-30T21:59:59',
      usage_limit: 1,
      usage_limit_per_user: 1,
      email_restrictions: ['ala@example.pl'],
      description: 'Lojal: 20 zł rabatu (nagroda)',
      meta_data: [{ key: 'lojal_coupon_id', value: 'cpn_1' }],
    });
    expect(percent).toMatchObject({
      discount_type: 'percent',
      amount: '12.5',
      product_ids: [93],
      product_categories: [15],
      excluded_product_ids: [94],
    });
    expect(results[0]).toEqual({
      couponId: 'cpn_1',
      ok: true,
      ref: String([...fake.coupons.keys()][0]),
    });
  });

  it('finds its own code again on a retry instead of creating a second one', async () => {
    fake = await startFakeWooCommerce();
    const ctx = ctxFor(fake);
    const [first] = await woo.pushCodes!(ctx, [code()]);
    const [again] = await woo.pushCodes!(ctx, [code()]);
    expect(again).toEqual(first);
    expect(fake.coupons.size).toBe(1);
  });

  it('does not take over a merchant’s coupon with the same code', async () => {
    fake = await startFakeWooCommerce();
    fake.addMerchantCoupon('LOJAL-AB12');
    const [result] = await woo.pushCodes!(ctxFor(fake), [code()]);
    expect(result).toMatchObject({ ok: false, error: { kind: 'refused' } });
    expect(fake.coupons.size).toBe(1);
  });

  it('reports a refusal per code, and succeeds on the retry', async () => {
    fake = await startFakeWooCommerce();
    const ctx = ctxFor(fake);
    fake.refuseCodes(true);
    const refused = await woo.pushCodes!(ctx, [
      code(),
      code({ couponId: 'cpn_x', code: 'LOJAL-BAD', productIds: ['sku-kawa'] }),
    ]);
    expect(refused.map((r) => (r.ok ? 'ok' : r.error.kind))).toEqual(['refused', 'refused']);
    fake.refuseCodes(false);
    const retried = await woo.pushCodes!(ctx, [
      code(),
      code({ couponId: 'cpn_x', code: 'LOJAL-BAD', productIds: ['sku-kawa'] }),
    ]);
    expect(retried[0]).toMatchObject({ ok: true });
    // a term WooCommerce cannot hold stays refused, with the reason
    expect(retried[1]).toMatchObject({ ok: false, error: { kind: 'refused' } });
    expect((retried[1] as { error: Error }).error.message).toMatch(/ids are numbers/);
    expect(fake.codes().map((c) => c.code)).toEqual(['LOJAL-AB12']);
  });

  it('stops calling while the shop is down: every code waits for the retry', async () => {
    fake = await startFakeWooCommerce();
    fake.setDown(true);
    const results = await woo.pushCodes!(ctxFor(fake), [
      code(),
      code({ couponId: 'cpn_2', code: 'LOJAL-2' }),
      code({ couponId: 'cpn_3', code: 'LOJAL-3' }),
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.kind))).toEqual([
      'unavailable',
      'unavailable',
      'unavailable',
    ]);
    expect(fake.calls()).toHaveLength(1);
  });

  it('disables a code by moving its coupon to the trash; gone counts as done', async () => {
    fake = await startFakeWooCommerce();
    const ctx = ctxFor(fake);
    const [pushed] = await woo.pushCodes!(ctx, [code()]);
    if (!pushed!.ok) throw pushed!.error;
    await woo.disableCode!(ctx, code(), pushed!.ref);
    expect(fake.codes()[0]!.active).toBe(false);
    await woo.disableCode!(ctx, code(), pushed!.ref); // 410: already in the trash
    await woo.disableCode!(ctx, code(), '999999'); // 404: gone
    expect(
      fake
        .calls()
        .filter((c) => c.method === 'DELETE')
        .map((c) => c.status),
    ).toEqual([200, 410, 404]);
  });
});
