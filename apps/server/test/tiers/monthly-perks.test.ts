import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { grantMonthlyPerks } from '../../src/tiers/grant-monthly-perks.ts';
import { call, send } from '../points/support.ts';
import { silverAndGold } from './support.ts';

const clock = fixedClock('2026-05-10T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep Perki');
  expect((await call(t, shop, 'PUT', '/v1/tiers', silverAndGold)).statusCode).toBe(200);
  await send(
    t,
    shop,
    { type: 'customer.created', id: 'c-gold', data: { id: 'zlota' } },
    { type: 'customer.created', id: 'c-none', data: { id: 'zwykla' } },
  );
  const assigned = await call(t, shop, 'POST', '/v1/customers/zlota/tier', {
    tierId: 'gold',
    reason: 'ambasadorka',
  });
  expect(assigned.statusCode, assigned.body).toBeLessThan(300);
});
afterAll(() => t.close());

const coupons = (customer: string) =>
  t.db
    .selectFrom('coupons')
    .innerJoin('customers', (j) =>
      j
        .onRef('customers.id', '=', 'coupons.customer_id')
        .onRef('customers.shop_id', '=', 'coupons.shop_id'),
    )
    .select(['coupons.code', 'coupons.expires_at', 'coupons.discount'])
    .where('coupons.shop_id', '=', shop.id)
    .where('customers.external_id', '=', customer)
    .orderBy('coupons.id')
    .execute();

describe('the monthly free-shipping perk of a tier', () => {
  it('issues one free-shipping coupon per month to the tier’s customers, valid to the month’s end', async () => {
    expect(await grantMonthlyPerks(t.db, clock, shop.id)).toBe(1);
    expect(await grantMonthlyPerks(t.db, clock, shop.id)).toBe(0);
    const [coupon] = await coupons('zlota');
    expect(coupon).toMatchObject({
      discount: { kind: 'free_shipping' },
      expires_at: new Date('2026-05-31T22:00:00Z'),
    });
    expect(await coupons('zwykla')).toEqual([]);
    const check = await call(t, shop, 'POST', '/v1/coupons/validate', {
      code: coupon!.code,
      customerId: 'zlota',
      cart: { currency: 'PLN', total: 100 },
    });
    expect(check.json()).toMatchObject({ valid: true, discount: { kind: 'free_shipping' } });

    clock.set('2026-06-01T08:00:00Z'); // 10:00 on 1 June in Warsaw
    expect(await grantMonthlyPerks(t.db, clock, shop.id)).toBe(1);
    expect(await coupons('zlota')).toHaveLength(2);
  });
});
