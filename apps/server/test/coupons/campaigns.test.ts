import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, orderPaid, send } from '../points/support.ts';
import { silverAndGold } from '../tiers/support.ts';
import { EventProcessor } from '../../src/ingest/event-processor.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { reactions } from '../../src/app/reactions.ts';

const clock = fixedClock('2026-06-10T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock, config: { couponRateLimitPerAddress: 10_000 } });
  shop = await createTestShop(t, 'Sklep Kupony');
});
afterAll(() => t.close());

async function campaign(body: object) {
  const res = await call(t, shop, 'POST', '/v1/coupon-campaigns', { name: 'Test', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

async function validate(body: object) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/coupons/validate',
    headers: { authorization: `Bearer ${shop.apiKey}`, 'accept-language': 'pl' },
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const cart = (total: number, lines?: object[]) => ({
  currency: 'PLN',
  total,
  ...(lines && { lines }),
});

describe('validating campaign codes: every reason, with its Polish message', () => {
  beforeAll(async () => {
    await send(
      t,
      shop,
      { type: 'customer.created', id: 'c-new', data: { id: 'nowa' } },
      orderPaid('o-old', 'stara', '2026-05-01T10:00:00Z', { total: 10000 }),
    );
    await campaign({
      code: 'LATO20',
      discount: { kind: 'percentage', percent: 20, cap: 5000 },
      minBasket: 10000,
    });
    await campaign({
      code: 'JESZCZE',
      discount: { kind: 'free_shipping' },
      startsAt: '2026-07-01T00:00:00+02:00',
    });
    await campaign({
      code: 'MINELO',
      discount: { kind: 'free_shipping' },
      endsAt: '2026-06-01T00:00:00+02:00',
    });
    await campaign({
      code: 'RAZ',
      discount: { kind: 'fixed', amount: 1000, currency: 'PLN' },
      usesPerCode: 1,
    });
    await campaign({
      code: 'PIERWSZE',
      discount: { kind: 'fixed', amount: 1500, currency: 'PLN' },
      firstOrderOnly: true,
    });
    await campaign({
      code: 'KAWA',
      discount: { kind: 'percentage', percent: 10 },
      categoryIds: ['kawa'],
      excludeProductIds: ['kawa-promo'],
    });
    await campaign({
      code: 'STACK1',
      discount: { kind: 'fixed', amount: 500, currency: 'PLN' },
      stackable: true,
    });
    await campaign({
      code: 'STACK2',
      discount: { kind: 'fixed', amount: 500, currency: 'PLN' },
      stackable: true,
    });
    await campaign({
      code: 'BUDZET',
      discount: { kind: 'fixed', amount: 3000, currency: 'PLN' },
      budget: 4000,
    });
    await campaign({ code: 'VIPONLY', discount: { kind: 'free_shipping' }, segmentId: 'vip' });
    await campaign({
      code: 'DWARAZY',
      discount: { kind: 'fixed', amount: 100, currency: 'PLN' },
      usesPerCustomer: 1,
    });
  });

  it('accepts a valid code with its discount, capped', async () => {
    expect(await validate({ code: 'lato20', cart: cart(30000) })).toEqual({
      valid: true,
      code: 'LATO20',
      discount: { kind: 'percentage', amount: 5000, currency: 'PLN', percent: 20 },
    });
  });

  it.each([
    ['not_found', { code: 'NIEMA', cart: cart(10000) }, 'Nie znamy takiego kodu.'],
    ['not_started', { code: 'JESZCZE', cart: cart(10000) }, 'Ten kod jeszcze nie działa.'],
    ['expired', { code: 'MINELO', cart: cart(10000) }, 'Ten kod stracił ważność.'],
    ['min_basket', { code: 'LATO20', cart: cart(9999) }, 'Koszyk jest za mały dla tego kodu.'],
    [
      'not_eligible',
      { code: 'PIERWSZE', customerId: 'stara', cart: cart(10000) },
      'Ten kod nie jest przeznaczony dla tego zamówienia.',
    ],
    [
      'not_eligible',
      { code: 'VIPONLY', customerId: 'stara', cart: cart(10000) },
      'Ten kod nie jest przeznaczony dla tego zamówienia.',
    ],
    [
      'excluded_items',
      {
        code: 'KAWA',
        cart: cart(5000, [
          { productId: 'kawa-promo', categoryIds: ['kawa'], quantity: 1, price: 5000 },
        ]),
      },
      'Kod nie obejmuje produktów w koszyku.',
    ],
    [
      'not_combinable',
      { code: 'LATO20', appliedCodes: ['STACK1'], cart: cart(20000) },
      'Tego kodu nie można łączyć z innymi.',
    ],
  ])('refuses with %s', async (reason, body, message) => {
    expect(await validate(body)).toMatchObject({ valid: false, reason, message });
  });

  it('lists every reason a code fails, most useful first, each in both languages', async () => {
    await campaign({
      code: 'WSZYSTKO',
      discount: { kind: 'fixed', amount: 1000, currency: 'PLN' },
      startsAt: '2026-07-01T00:00:00+02:00',
      minBasket: 50000,
      firstOrderOnly: true,
    });
    const answer = await validate({ code: 'WSZYSTKO', customerId: 'stara', cart: cart(1000) });
    expect(answer).toMatchObject({ valid: false, reason: 'not_started' });
    expect(answer.reasons.map((r: { reason: string }) => r.reason)).toEqual([
      'not_started',
      'not_eligible',
      'min_basket',
    ]);
    expect(answer.reasons[2]).toEqual({
      reason: 'min_basket',
      message: 'Koszyk jest za mały dla tego kodu.',
      messages: {
        pl: 'Koszyk jest za mały dla tego kodu.',
        en: 'The cart is below the minimum for this code.',
      },
    });
    expect((await validate({ code: 'NIEMA', cart: cart(1000) })).reasons).toEqual([
      expect.objectContaining({ reason: 'not_found' }),
    ]);
  });

  it('gives a first-order code to a customer without paid orders', async () => {
    expect(
      await validate({ code: 'PIERWSZE', customerId: 'nowa', cart: cart(10000) }),
    ).toMatchObject({ valid: true });
  });

  it('combines two stackable codes, and not a stackable one with the shop’s own code', async () => {
    expect(
      await validate({ code: 'STACK2', appliedCodes: ['stack1'], cart: cart(10000) }),
    ).toMatchObject({ valid: true });
    expect(
      await validate({ code: 'STACK2', appliedCodes: ['SKLEP10'], cart: cart(10000) }),
    ).toMatchObject({ reason: 'not_combinable' });
  });

  it('discounts only the products the campaign covers', async () => {
    const lines = [
      { productId: 'etiopia', categoryIds: ['kawa'], quantity: 2, price: 5000 },
      { productId: 'kubek', categoryIds: ['akcesoria'], quantity: 1, price: 10000 },
    ];
    expect(await validate({ code: 'KAWA', cart: cart(20000, lines) })).toMatchObject({
      valid: true,
      discount: { amount: 1000 },
    });
  });

  it('uses up a one-use code, a budget and a per-customer limit through paid orders', async () => {
    await send(
      t,
      shop,
      orderPaid('o-raz', 'nowa', '2026-06-10T11:00:00Z', { total: 5000, discountCodes: ['RAZ'] }),
      orderPaid('o-budzet-1', 'nowa', '2026-06-10T11:01:00Z', {
        total: 5000,
        discountCodes: ['BUDZET'],
      }),
      orderPaid('o-dwa-1', 'nowa', '2026-06-10T11:02:00Z', {
        total: 5000,
        discountCodes: ['DWARAZY'],
      }),
    );
    expect(await validate({ code: 'RAZ', cart: cart(5000) })).toMatchObject({
      reason: 'usage_limit_reached',
      message: 'Ten kod został już wykorzystany.',
    });
    // 3,000 of 4,000 used: the next discount is capped to the 1,000 left, then nothing is left
    expect(await validate({ code: 'BUDZET', cart: cart(5000) })).toMatchObject({
      valid: true,
      discount: { amount: 1000 },
    });
    await send(
      t,
      shop,
      orderPaid('o-budzet-2', 'stara', '2026-06-10T11:03:00Z', {
        total: 5000,
        discountCodes: ['BUDZET'],
      }),
    );
    expect(await validate({ code: 'BUDZET', cart: cart(5000) })).toMatchObject({
      reason: 'budget_exhausted',
      message: 'Pula tej promocji się wyczerpała.',
    });
    expect(await validate({ code: 'DWARAZY', customerId: 'nowa', cart: cart(5000) })).toMatchObject(
      { reason: 'customer_limit_reached' },
    );
    expect(
      await validate({ code: 'DWARAZY', customerId: 'stara', cart: cart(5000) }),
    ).toMatchObject({ valid: true });
  });

  it('gives the use back when the order is cancelled', async () => {
    await send(t, shop, { type: 'order.cancelled', id: 'x-raz', data: { orderId: 'o-raz' } });
    expect(await validate({ code: 'RAZ', cart: cart(5000) })).toMatchObject({ valid: true });
    const c = (await call(t, shop, 'GET', '/v1/coupon-campaigns'))
      .json()
      .data.find((x: { name: string; uses: number }) => x.name === 'Test' && x.uses === 2);
    expect(c).toBeDefined(); // BUDZET: two uses, budget 4,000 used
  });

  it('takes two stackable codes of one campaign on one order within its budget', async () => {
    const { id } = await campaign({
      discount: { kind: 'fixed', amount: 3000, currency: 'PLN' },
      budget: 4000,
      stackable: true,
    });
    await call(t, shop, 'POST', `/v1/coupon-campaigns/${id}/codes`, { count: 2 });
    const csv = (await call(t, shop, 'GET', `/v1/coupon-campaigns/${id}/codes.csv`)).body;
    const codes = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]!);
    await send(
      t,
      shop,
      orderPaid('o-two-codes', 'nowa', '2026-06-10T09:30:00Z', {
        total: 9000,
        discountCodes: codes,
      }),
    );
    expect((await call(t, shop, 'GET', '/v1/orders/o-two-codes')).statusCode).toBe(200);
    expect((await call(t, shop, 'GET', `/v1/coupon-campaigns/${id}`)).json()).toMatchObject({
      uses: 2,
      budgetUsed: 4000,
    });
  });

  it('uses nothing for an order cancelled before its payment arrived', async () => {
    await campaign({
      code: 'ANULOWANE',
      discount: { kind: 'fixed', amount: 500, currency: 'PLN' },
      usesPerCode: 1,
    });
    await send(t, shop, { type: 'order.cancelled', id: 'x-anul', data: { orderId: 'o-anul' } });
    await send(
      t,
      shop,
      orderPaid('o-anul', 'nowa', '2026-06-10T09:40:00Z', {
        total: 5000,
        discountCodes: ['ANULOWANE'],
      }),
    );
    expect(await validate({ code: 'ANULOWANE', cart: cart(5000) })).toMatchObject({ valid: true });
  });

  it('gives a tier-only code to customers at or above the tier', async () => {
    const tiers = await call(t, shop, 'PUT', '/v1/tiers', silverAndGold);
    expect(tiers.statusCode, tiers.body).toBe(200);
    await campaign({ code: 'SREBRO', discount: { kind: 'free_shipping' }, minTier: 'silver' });
    await send(
      t,
      shop,
      orderPaid('o-silver', 'srebrna', '2026-06-10T09:00:00Z', { total: 120_000 }),
    );
    expect(
      await validate({ code: 'SREBRO', customerId: 'srebrna', cart: cart(5000) }),
    ).toMatchObject({ valid: true });
    expect(await validate({ code: 'SREBRO', customerId: 'stara', cart: cart(5000) })).toMatchObject(
      { reason: 'not_eligible' },
    );
  });

  it('refuses a shared code that exists already, and a campaign in another currency', async () => {
    const dup = await call(t, shop, 'POST', '/v1/coupon-campaigns', {
      name: 'x',
      code: 'lato20',
      discount: { kind: 'free_shipping' },
    });
    expect(dup.statusCode).toBe(409);
    const eur = await call(t, shop, 'POST', '/v1/coupon-campaigns', {
      name: 'x',
      discount: { kind: 'fixed', amount: 100, currency: 'EUR' },
    });
    expect(eur.statusCode).toBe(400);
    expect(eur.json().errors[0].path).toBe('discount.currency');
  });
});

describe('a one-use code under a race', () => {
  it('is consumed by exactly one of 100 concurrent paid orders', async () => {
    await campaign({
      code: 'JEDEN',
      discount: { kind: 'fixed', amount: 1000, currency: 'PLN' },
      usesPerCode: 1,
    });
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: '/v1/events',
          headers: { authorization: `Bearer ${shop.apiKey}` },
          payload: orderPaid(`race-${i}`, `racer-${i}`, '2026-06-10T12:00:00Z', {
            total: 5000,
            discountCodes: ['JEDEN'],
          }),
        }),
      ),
    );
    // two processors drain the same queue at once, as two server processes would
    const other = new EventProcessor(t.db, clock, silentLogger, { reactions });
    await Promise.all([t.processor.drain(), other.drain()]);
    const uses = await t.db
      .selectFrom('coupon_uses')
      .innerJoin('coupons', (j) =>
        j
          .onRef('coupons.id', '=', 'coupon_uses.coupon_id')
          .onRef('coupons.shop_id', '=', 'coupon_uses.shop_id'),
      )
      .select(['coupons.used_count'])
      .where('coupons.shop_id', '=', shop.id)
      .where('coupons.code', '=', 'JEDEN')
      .execute();
    expect(uses).toEqual([{ used_count: 1 }]);
  });
});

describe('bulk unique codes', () => {
  it('generates 100,000 unique codes matching the pattern, and exports them as CSV', async () => {
    const { id } = await campaign({
      discount: { kind: 'fixed', amount: 2000, currency: 'PLN' },
      minBasket: 10000,
    });
    const started = Date.now();
    const res = await call(t, shop, 'POST', `/v1/coupon-campaigns/${id}/codes`, {
      count: 100_000,
      pattern: { prefix: 'JESIEN', length: 13 },
    });
    const seconds = (Date.now() - started) / 1000;
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ generated: 100_000 });
    console.info(`100,000 codes generated in ${seconds.toFixed(2)} s`);
    const csv = await call(t, shop, 'GET', `/v1/coupon-campaigns/${id}/codes.csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(rows[0]).toBe('code,used,usage_limit,created_at');
    const codes = rows.slice(1).map((r) => r.split(',')[0]!);
    expect(codes).toHaveLength(100_000);
    expect(new Set(codes).size).toBe(100_000);
    expect(
      codes.every(
        (c) =>
          /^JESIEN(-[3-9ACDEFGHJKMNPQRTUVWXY]{1,4}){4}$/.test(c) &&
          c.replaceAll('-', '').length === 19,
      ),
    ).toBe(true);
    expect(await validate({ code: codes[12345]!, cart: cart(10000) })).toMatchObject({
      valid: true,
      discount: { amount: 2000 },
    });
    expect((await call(t, shop, 'GET', `/v1/coupon-campaigns/${id}`)).json()).toMatchObject({
      codes: 100_000,
    });
  }, 120_000);
});
