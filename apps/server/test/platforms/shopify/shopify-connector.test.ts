import { afterEach, describe, expect, it } from 'vitest';
import {
  PlatformError,
  type CodeToPush,
  type Json,
  type PlatformConnector,
  type PulledRecord,
  type PullInput,
} from '../../../src/connections/connector.ts';
import { CallSpacer, platformHttp } from '../../../src/connections/platform-http.ts';
import { shopifyConnector } from '../../../src/platforms/shopify/connector.ts';
import type { ShopifyContext } from '../../../src/platforms/shopify/graphql.ts';
import { startFakeShopify, type FakeShopify, type FakeShopifyOptions } from './fake-shopify.ts';

const NOW = new Date('2026-03-02T10:00:00Z');
const fakes: FakeShopify[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function fake(options?: FakeShopifyOptions) {
  const f = await startFakeShopify(options);
  fakes.push(f);
  return f;
}

function contextFor(f: FakeShopify, change: { accessToken?: string; apiVersion?: string } = {}) {
  const http = platformHttp({
    connector: shopifyConnector as PlatformConnector,
    spacer: new CallSpacer(shopifyConnector.rateLimit),
    policy: { ports: 'any', privateNetworks: true },
  });
  const settings = shopifyConnector.settingsSchema.parse({
    ...(f.connection.settings as object),
    ...(change.apiVersion && { apiVersion: change.apiVersion }),
  });
  const credentials = shopifyConnector.credentialsSchema.parse({
    accessToken: change.accessToken ?? f.accessToken,
  });
  return {
    shopId: 'shp_x',
    connectionId: 'con_x',
    credentials,
    settings,
    http,
    shop: { timezone: 'Europe/Warsaw', currency: 'PLN', publicUrl: 'http://localhost:3000' },
    now: NOW,
  } satisfies ShopifyContext;
}

async function pullAll(ctx: ShopifyContext, input: Omit<PullInput, 'cursor'>, cursor: Json = null) {
  const records: PulledRecord[] = [];
  let pages = 0;
  let total: number | undefined;
  for (;;) {
    const page = await shopifyConnector.pull(ctx, { ...input, cursor });
    pages++;
    records.push(...page.records);
    total ??= page.total;
    cursor = page.cursor;
    if (page.done) return { records, pages, cursor, total, reachedAt: page.reachedAt };
    if (pages > 200) throw new Error('pull does not end');
  }
}

async function rejection(promise: Promise<unknown>): Promise<PlatformError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PlatformError) return error;
    throw error;
  }
  throw new Error('expected a PlatformError');
}

function code(over: Partial<CodeToPush> = {}): CodeToPush {
  return {
    couponId: `cpn_${over.code ?? 'KAWA-AB12'}`,
    code: 'KAWA-AB12',
    discount: { kind: 'fixed', amount: 1500, currency: 'PLN' },
    currency: 'PLN',
    minBasket: 5000,
    startsAt: null,
    expiresAt: new Date('2026-06-30T21:59:59Z'),
    usageLimit: 1,
    usageLimitPerCustomer: 1,
    customerEmail: 'ala@example.pl',
    customerExternalId: '8209829119461545999',
    productIds: [],
    categoryIds: [],
    excludeProductIds: [],
    excludeCategoryIds: [],
    campaign: null,
    title: 'Lojal: 15 zł rabatu (nagroda)',
    ...over,
  };
}

describe('Shopify connector: test()', () => {
  it('names the shop; a wrong token is an auth error, a wrong version an address error', async () => {
    const f = await fake();
    expect(await shopifyConnector.test(contextFor(f))).toEqual({ accountName: 'Kawa i Spółka' });
    const auth = await rejection(
      shopifyConnector.test(contextFor(f, { accessToken: 'shpat_wrong-token' })),
    );
    expect(auth.kind).toBe('auth');
    expect(auth.message).not.toContain('shpat_wrong-token');
    const address = await rejection(
      shopifyConnector.test(contextFor(f, { apiVersion: '2019-04' })),
    );
    expect(address.kind).toBe('address');
    expect(address.message).toContain('.myshopify.com');
  });

  it('refuses settings that are not a .myshopify.com address', () => {
    const parsed = shopifyConnector.settingsSchema.safeParse({ shopDomain: 'kawa.pl' });
    expect(parsed.success).toBe(false);
    expect(
      shopifyConnector.settingsSchema.parse({ shopDomain: ' Kawa-Shop.myshopify.com ' }),
    ).toEqual({ shopDomain: 'kawa-shop.myshopify.com', apiVersion: '2025-07' });
  });

  it('a missing scope is an auth error that names the scope', async () => {
    const f = await fake({ scopes: ['read_discounts', 'write_discounts'] });
    const error = await rejection(
      shopifyConnector.pull(contextFor(f), {
        cursor: null,
        mode: 'sync',
        since: new Date('2026-01-01T00:00:00Z'),
        until: null,
      }),
    );
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('read_orders');
  });

  it('is unavailable while Shopify answers 503', async () => {
    const f = await fake();
    f.setDown(true);
    expect((await rejection(shopifyConnector.test(contextFor(f)))).kind).toBe('unavailable');
  });
});

describe('Shopify connector: pull()', () => {
  it('backfills history page by page by creation time: every order once, refunds inside, total told', async () => {
    const f = await fake({ bucket: { maximumAvailable: 2000, restoreRate: 1000 } });
    const seeded = await f.seedHistory({
      orders: 120,
      from: new Date('2025-03-01T00:00:00Z'),
      to: new Date('2026-03-01T00:00:00Z'),
      refundEvery: 10,
      currency: 'PLN',
    });
    // one order outside the window, placed after the connection started
    f.addOrder({ createdAt: '2026-03-01T12:00:00Z', total: '10.00' });
    const ctx = contextFor(f);
    const result = await pullAll(ctx, {
      mode: 'backfill',
      since: new Date('2025-03-01T00:00:00Z'),
      until: new Date('2026-03-01T00:00:00Z'),
    });
    expect(result.total).toBe(120);
    expect(result.pages).toBe(Math.ceil(120 / 10));
    expect(result.records).toHaveLength(120);
    expect(new Set(result.records.map((r) => r.key)).size).toBe(120);
    expect(result.records.every((r) => r.topic === 'graphql/order')).toBe(true);
    const refunds = result.records.flatMap(
      (r) => (JSON.parse(r.body) as { refunds: unknown[] }).refunds,
    );
    expect(refunds).toHaveLength(seeded.refunds);
    // ids past 2^53 keep every digit, in the key as in the body
    const first = f.orders()[0]!;
    const tail = first.id.split('/').pop()!;
    expect(BigInt(tail) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(result.records.some((r) => r.key.startsWith(`order:${tail}@`))).toBe(true);
    expect(result.records.some((r) => r.body.includes(`"gid://shopify/Order/${tail}"`))).toBe(true);
  });

  it('syncs orders then customers changed since the cursor; the next run re-reads only the overlap', async () => {
    const f = await fake();
    const ala = f.addCustomer({ email: 'ala@example.pl', updatedAt: '2026-02-10T09:00:00Z' });
    const old = f.addOrder({
      createdAt: '2026-01-01T10:00:00Z',
      total: '50.00',
      customerId: ala.id,
    });
    const recent = f.addOrder({
      createdAt: '2026-03-01T10:00:00Z',
      total: '80.00',
      customerId: ala.id,
    });
    const ctx = contextFor(f);
    const since = new Date('2026-02-01T00:00:00Z');
    const first = await pullAll(ctx, { mode: 'sync', since, until: null });
    expect(first.records.map((r) => r.topic)).toEqual(['graphql/order', 'graphql/customer']);
    expect(first.records[0]!.key).toBe(`order:${recent.id.split('/').pop()}@2026-03-01T10:00:00Z`);
    expect(first.reachedAt).toEqual(new Date('2026-03-01T10:00:00Z'));

    // the old order is refunded: a new version, pulled by the next run
    f.addRefund(old.id, '10.00', '2026-03-02T09:00:00Z');
    const second = await pullAll(ctx, { mode: 'sync', since, until: null }, first.cursor);
    // from what the first run reached, less 5 minutes: the recent order again (same version,
    // same key, so stored once) and the refunded one as a new version
    expect(second.records.map((r) => r.key)).toEqual([
      first.records[0]!.key,
      `order:${old.id.split('/').pop()}@2026-03-02T09:00:00Z`,
    ]);
    expect(second.reachedAt).toEqual(new Date('2026-03-02T09:00:00Z'));

    // within the overlap, the same version comes again under the same key (stored once)
    const third = await pullAll(ctx, { mode: 'sync', since, until: null }, second.cursor);
    expect(third.records.map((r) => r.key)).toEqual([second.records[1]!.key]);
  });

  it('fetches the rest of an order with more lines than a page holds', async () => {
    const f = await fake();
    const lineItems = Array.from({ length: 60 }, (_, i) => ({
      id: `gid://shopify/LineItem/${9000 + i}`,
      sku: `SKU-${i}`,
      title: `Produkt ${i}`,
      name: `Produkt ${i}`,
      quantity: 1,
      product: { id: `gid://shopify/Product/${100 + i}` },
      variant: null,
      originalUnitPriceSet: { shopMoney: { amount: '1.00', currencyCode: 'PLN' } },
    }));
    f.addOrder({ createdAt: '2026-03-01T10:00:00Z', total: '60.00', lineItems });
    const { records } = await pullAll(contextFor(f), {
      mode: 'backfill',
      since: new Date('2026-02-01T00:00:00Z'),
      until: new Date('2026-03-02T00:00:00Z'),
    });
    const lines = (JSON.parse(records[0]!.body) as { lineItems: { nodes: Array<{ sku: string }> } })
      .lineItems.nodes;
    expect(lines.map((l) => l.sku)).toEqual(lineItems.map((l) => l.sku));
    // 10 lines came with the page, the other 50 in one call for that order
    expect(f.operations().filter((o) => o === 'order')).toHaveLength(1);
  });

  it('waits for the cost bucket to refill instead of being throttled', async () => {
    const f = await fake({ bucket: { maximumAvailable: 1000, restoreRate: 2000 } });
    await f.seedHistory({
      orders: 100,
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-02-01T00:00:00Z'),
      refundEvery: 0,
      currency: 'PLN',
    });
    const started = Date.now();
    const result = await pullAll(contextFor(f), {
      mode: 'backfill',
      since: new Date('2026-01-01T00:00:00Z'),
      until: new Date('2026-02-01T00:00:00Z'),
    });
    expect(result.records).toHaveLength(100);
    expect(f.throttledCount()).toBe(0);
    // each page asks for 962 points of a bucket of 1,000: the connector paused between pages
    expect(Date.now() - started).toBeGreaterThan(500);
  });

  it('turns a THROTTLED answer into rate-limited with the time the bucket needs', async () => {
    const f = await fake({ bucket: { maximumAvailable: 1000, restoreRate: 2 } });
    await f.seedHistory({
      orders: 30,
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-02-01T00:00:00Z'),
      refundEvery: 0,
      currency: 'PLN',
    });
    const input = {
      cursor: null,
      mode: 'sync' as const,
      since: new Date('2026-01-01T00:00:00Z'),
      until: null,
    };
    await shopifyConnector.pull(contextFor(f), input);
    // another process's client, which has not seen the bucket drain
    const error = await rejection(shopifyConnector.pull(contextFor(f), input));
    expect(error.kind).toBe('rate-limited');
    expect(error.details.retryAfterMs).toBeGreaterThan(1_000);
    expect(f.throttledCount()).toBe(1);
  });
});

describe('Shopify connector: pushCodes()', () => {
  it("creates a customer's code with every term Shopify can hold", async () => {
    const f = await fake();
    f.addCustomer({
      id: 'gid://shopify/Customer/8209829119461545999',
      updatedAt: '2026-01-01T00:00:00Z',
    });
    const ctx = contextFor(f);
    const [result] = await shopifyConnector.pushCodes!(ctx, [code()]);
    expect(result).toMatchObject({ couponId: 'cpn_KAWA-AB12', ok: true });
    expect(f.codes()).toEqual([
      {
        code: 'KAWA-AB12',
        kind: 'fixed',
        amount: 1500,
        percent: null,
        minBasket: 5000,
        expiresAt: new Date('2026-06-30T21:59:59Z'),
        usageLimit: 1,
        customer: '8209829119461545999',
        active: true,
      },
    ]);
    const input = f.discounts()[0]!.input;
    expect(input).toMatchObject({
      appliesOncePerCustomer: true,
      startsAt: NOW.toISOString(),
      customerGets: { items: { all: true } },
    });
  });

  it('maps a percentage on products, a percentage on collections, free shipping and a free product', async () => {
    const f = await fake();
    const results = await shopifyConnector.pushCodes!(contextFor(f), [
      code({
        code: 'PCT-PROD',
        discount: { kind: 'percentage', percent: 12.5 },
        productIds: ['7001'],
        customerExternalId: null,
        minBasket: null,
      }),
      code({
        code: 'PCT-COLL',
        discount: { kind: 'percentage', percent: 10 },
        categoryIds: ['300'],
        customerExternalId: null,
      }),
      code({ code: 'SHIP-FREE', discount: { kind: 'free_shipping' } }),
      code({ code: 'GIFT-KAWA', discount: { kind: 'free_product', productId: '7002' } }),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    const byCode = new Map(f.codes().map((c) => [c.code, c]));
    expect(byCode.get('PCT-PROD')).toMatchObject({
      kind: 'percentage',
      percent: 12.5,
      minBasket: null,
      customer: null,
    });
    expect(byCode.get('PCT-COLL')).toMatchObject({
      kind: 'percentage',
      percent: 10,
      minBasket: 5000,
    });
    expect(byCode.get('SHIP-FREE')).toMatchObject({ kind: 'free_shipping', usageLimit: 1 });
    expect(byCode.get('GIFT-KAWA')).toMatchObject({ kind: 'free_product' });
    const inputs = new Map(
      f.discounts().map((d) => [d.title + d.codes.keys().next().value, d.input]),
    );
    expect(inputs.get('Lojal: 15 zł rabatu (nagroda)PCT-PROD')).toMatchObject({
      customerGets: { items: { products: { productsToAdd: ['gid://shopify/Product/7001'] } } },
      customerSelection: { all: true },
    });
    expect(inputs.get('Lojal: 15 zł rabatu (nagroda)PCT-COLL')).toMatchObject({
      customerGets: { items: { collections: { add: ['gid://shopify/Collection/300'] } } },
    });
    expect(inputs.get('Lojal: 15 zł rabatu (nagroda)GIFT-KAWA')).toMatchObject({
      customerGets: {
        value: { percentage: 1 },
        items: { products: { productsToAdd: ['gid://shopify/Product/7002'] } },
      },
    });
  });

  it('makes the code for anyone (still one use) when Shopify does not know the customer', async () => {
    const f = await fake();
    const results = await shopifyConnector.pushCodes!(contextFor(f), [
      code({ code: 'GONE-1' }),
      code({ code: 'API-1', customerExternalId: 'klient-42' }),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(f.codes().map((c) => [c.code, c.customer, c.usageLimit])).toEqual([
      ['GONE-1', null, 1],
      ['API-1', null, 1],
    ]);
  });

  it('a retry after a crash finds the code it created and returns the same ref, creating nothing', async () => {
    const f = await fake();
    const ctx = contextFor(f);
    const [first] = await shopifyConnector.pushCodes!(ctx, [code()]);
    // the push job crashed before saving the ref: the runtime sends the code again
    const [again] = await shopifyConnector.pushCodes!(ctx, [code()]);
    expect(again).toEqual(first);
    expect(f.discounts()).toHaveLength(1);
    expect(f.codes()).toHaveLength(1);
    expect(f.operations()).toContain('codeDiscountNodeByCode');
  });

  it("refuses a code the merchant's own discount already uses, and creates the others of the batch", async () => {
    const f = await fake();
    f.addMerchantDiscount('LATO', 'Wyprzedaż lato');
    const results = await shopifyConnector.pushCodes!(contextFor(f), [
      code({ code: 'lato' }),
      code({ code: 'KAWA-ZZ99' }),
    ]);
    expect(results[0]).toMatchObject({ ok: false });
    const error = (results[0] as { error: PlatformError }).error;
    expect(error.kind).toBe('refused');
    expect(error.message).toContain('another discount');
    expect(results[1]).toMatchObject({ ok: true });
  });

  it('a refusal leaves the code failed as refused; the same code succeeds once Shopify accepts it', async () => {
    const f = await fake();
    const ctx = contextFor(f);
    f.refuseCodes(true);
    const [refused] = await shopifyConnector.pushCodes!(ctx, [code()]);
    expect(refused!.ok).toBe(false);
    expect((refused as { error: PlatformError }).error.kind).toBe('refused');
    expect(f.codes()).toHaveLength(0);
    f.refuseCodes(false);
    const [created] = await shopifyConnector.pushCodes!(ctx, [code()]);
    expect(created!.ok).toBe(true);
    expect(f.codes()).toHaveLength(1);
  });

  it('fails the whole batch as unavailable while Shopify is down, without trying each code', async () => {
    const f = await fake();
    f.setDown(true);
    const results = await shopifyConnector.pushCodes!(contextFor(f), [
      code({ code: 'A-1' }),
      code({ code: 'A-2' }),
      code({ code: 'C-1', campaign: { id: 'cmp_1', name: 'Lato' } }),
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.kind))).toEqual([
      'unavailable',
      'unavailable',
      'unavailable',
    ]);
    expect(f.calls()).toHaveLength(1);
  });

  it("puts a campaign's codes under ONE discount, 250 codes a bulk call, and finds it again for the next batch", async () => {
    const f = await fake({ bulkPollsBeforeDone: 2 });
    const ctx = contextFor(f);
    const campaign = { id: 'cmp_lato', name: 'Lato 2026' };
    const batch = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) =>
        code({
          code: `LATO-${String(from + i).padStart(4, '0')}`,
          couponId: `cpn_${from + i}`,
          campaign,
          customerExternalId: null,
          customerEmail: null,
          discount: { kind: 'percentage', percent: 20 },
        }),
      );
    const first = await shopifyConnector.pushCodes!(ctx, batch(0, 300));
    expect(first.every((r) => r.ok)).toBe(true);
    expect(new Set(first.map((r) => (r.ok ? r.ref : null))).size).toBe(1);
    expect(f.discounts()).toHaveLength(1);
    expect(f.discounts()[0]!.title).toBe('Lojal: Lato 2026 [cmp_lato]');
    expect(f.codes()).toHaveLength(300);
    // one discount created with the first code, the other 299 in two bulk calls (250 + 49)
    expect(f.operations().filter((o) => o === 'discountCodeBasicCreate')).toHaveLength(1);
    expect(f.operations().filter((o) => o === 'discountRedeemCodeBulkAdd')).toHaveLength(2);
    expect(f.codes().every((c) => c.kind === 'percentage' && c.percent === 20)).toBe(true);

    const second = await shopifyConnector.pushCodes!(ctx, batch(300, 20));
    expect(second.every((r) => r.ok && r.ref === (first[0] as { ref: string }).ref)).toBe(true);
    expect(f.discounts()).toHaveLength(1);
    expect(f.codes()).toHaveLength(320);

    // the second batch again (its results were lost): the same refs, no code twice
    const retried = await shopifyConnector.pushCodes!(ctx, batch(300, 20));
    expect(retried).toEqual(second);
    expect(f.codes()).toHaveLength(320);
  });

  it("retries the campaign's first code after a crash without a second discount", async () => {
    const f = await fake();
    const ctx = contextFor(f);
    const campaign = { id: 'cmp_jesien', name: 'Jesień' };
    const codes = ['J-1', 'J-2', 'J-3'].map((c) =>
      code({ code: c, couponId: `cpn_${c}`, campaign }),
    );
    const first = await shopifyConnector.pushCodes!(ctx, codes);
    const again = await shopifyConnector.pushCodes!(ctx, codes);
    expect(again).toEqual(first);
    expect(f.discounts()).toHaveLength(1);
    expect(
      f
        .codes()
        .map((c) => c.code)
        .sort(),
    ).toEqual(['J-1', 'J-2', 'J-3']);
  });
});

describe('Shopify connector: disableCode()', () => {
  it("deactivates a customer's discount and deletes a campaign code from its discount; twice is fine", async () => {
    const f = await fake();
    const ctx = contextFor(f);
    const single = code();
    const campaign = { id: 'cmp_z', name: 'Zima' };
    const a = code({ code: 'Z-1', couponId: 'cpn_z1', campaign });
    const b = code({ code: 'Z-2', couponId: 'cpn_z2', campaign });
    const results = await shopifyConnector.pushCodes!(ctx, [single, a, b]);
    const refs = results.map((r) => (r.ok ? r.ref : ''));

    await shopifyConnector.disableCode!(ctx, single, refs[0]!);
    await shopifyConnector.disableCode!(ctx, b, refs[2]!);
    const byCode = new Map(f.codes().map((c) => [c.code, c]));
    expect(byCode.get('KAWA-AB12')!.active).toBe(false);
    expect(byCode.has('Z-2')).toBe(false);
    expect(byCode.get('Z-1')!.active).toBe(true);

    await shopifyConnector.disableCode!(ctx, single, refs[0]!);
    await shopifyConnector.disableCode!(ctx, b, refs[2]!);
    await shopifyConnector.disableCode!(ctx, single, 'gid://shopify/DiscountCodeNode/1');
  });
});
