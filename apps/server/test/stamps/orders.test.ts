import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, orderPaid, send } from '../points/support.ts';
import { cards, createCustomer, createProgramme, type Shop } from './support.ts';

const clock = fixedClock('2026-11-24T12:00:00Z');
let t: TestApp;
let shop: Shop;
let perOrder: { id: string };
let perCoffee: { id: string };

const coffee = (quantity: number) => ({
  id: `l-${quantity}`,
  productId: 'latte',
  categoryIds: ['kawa'],
  quantity,
  price: 1500,
});
const cake = {
  id: 'l-cake',
  productId: 'sernik',
  categoryIds: ['ciasta'],
  quantity: 1,
  price: 1800,
};

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Kawiarnia Online');
  perOrder = await createProgramme(t, shop, {
    name: 'Co piąte zamówienie',
    stampsRequired: 5,
    earnBy: 'order',
    minOrder: 2000,
    reward: { type: 'coupon', discount: { kind: 'fixed', amount: 1000 }, validDays: 14 },
  });
  perCoffee = await createProgramme(t, shop, {
    name: { pl: 'Dziesiąta kawa gratis', en: 'Tenth coffee free' },
    stampsRequired: 10,
    earnBy: 'product',
    categoryIds: ['kawa'],
    dailyLimit: 6,
    reward: { type: 'coupon', discount: { kind: 'free_product', productId: 'latte' } },
  });
  for (const c of ['ala', 'bob', 'cyryl']) await createCustomer(t, shop, c);
});
afterAll(() => t.close());

function card(list: Awaited<ReturnType<typeof cards>>, programmeId: string) {
  return list.find((c) => c.programmeId === programmeId)!;
}

describe('stamps from paid orders', () => {
  it('gives one stamp per order and one per coffee bought, not for other products', async () => {
    await send(
      t,
      shop,
      orderPaid('o-1', 'ala', '2026-11-24T08:00:00Z', { total: 4800, lines: [coffee(2), cake] }),
    );
    const list = await cards(t, shop, 'ala');
    expect(card(list, perOrder.id)).toMatchObject({ stamps: 1, stampsRequired: 5 });
    expect(card(list, perCoffee.id)).toMatchObject({ stamps: 2, stampsRequired: 10 });
  });

  it('stamps once however often the order is delivered', async () => {
    const event = orderPaid('o-2', 'bob', '2026-11-24T08:00:00Z', {
      total: 3000,
      lines: [coffee(2)],
    });
    await send(t, shop, event);
    await send(t, shop, { ...event, id: 'o-2-again' });
    await send(t, shop, { ...event, id: 'o-2-later', occurredAt: '2026-11-24T09:00:00Z' });
    const list = await cards(t, shop, 'bob');
    expect(card(list, perOrder.id).stamps).toBe(1);
    expect(card(list, perCoffee.id).stamps).toBe(2);
    const awards = await t.db
      .selectFrom('stamp_order_awards')
      .select(['programme_id', 'earned', 'given'])
      .where('shop_id', '=', shop.id)
      .orderBy('programme_id')
      .execute();
    expect(awards.filter((a) => a.programme_id === perCoffee.id)).toHaveLength(2); // ala's, bob's
  });

  it('gives nothing below the minimum order', async () => {
    await send(
      t,
      shop,
      orderPaid('o-3', 'cyryl', '2026-11-24T08:00:00Z', { total: 1500, lines: [cake] }),
    );
    const list = await cards(t, shop, 'cyryl');
    expect(card(list, perOrder.id).stamps).toBe(0);
  });

  it('caps an order at the daily limit and carries stamps past a full card to the next one', async () => {
    // Six coffees a day at most: 2 earlier today, so of 7 ordered 4 count: 6 of 10.
    await send(
      t,
      shop,
      orderPaid('o-4', 'ala', '2026-11-24T10:00:00Z', { total: 10500, lines: [coffee(7)] }),
    );
    expect(card(await cards(t, shop, 'ala'), perCoffee.id)).toMatchObject({ stamps: 6 });
    const award = await t.db
      .selectFrom('stamp_order_awards')
      .select(['earned', 'given'])
      .where('shop_id', '=', shop.id)
      .where('programme_id', '=', perCoffee.id)
      .where('order_id', '=', (await orderId('o-4'))!)
      .executeTakeFirstOrThrow();
    expect(award).toEqual({ earned: 7, given: 4 });
    // The next day 6 more: 4 fill the card, 2 go on the next one; one free-latte coupon.
    await send(
      t,
      shop,
      orderPaid('o-5', 'ala', '2026-11-25T10:00:00Z', { total: 9000, lines: [coffee(6)] }),
    );
    expect(card(await cards(t, shop, 'ala'), perCoffee.id)).toMatchObject({
      cardNumber: 2,
      stamps: 2,
      completedCards: 1,
    });
    const coupons = await rewardCoupons(perCoffee.id);
    expect(coupons).toEqual([
      {
        discount: { kind: 'free_product', productId: 'latte' },
        expires_at: new Date('2026-12-25T10:00:00Z'),
        redemption_id: null,
      },
    ]);
  });

  it('issues a catalogue reward for free and records the order on each stamp', async () => {
    const rewards = (await call(t, shop, 'GET', '/v1/rewards')).json() as Array<{ id: string }>;
    const freebie = await createProgramme(t, shop, {
      name: 'Dwa zamówienia',
      stampsRequired: 2,
      earnBy: 'order',
      reward: { type: 'reward', rewardId: rewards[0]!.id },
    });
    await send(
      t,
      shop,
      orderPaid('o-6', 'cyryl', '2026-11-26T10:00:00Z', { total: 3000 }),
      orderPaid('o-7', 'cyryl', '2026-11-26T11:00:00Z', { total: 3000 }),
    );
    const list = await cards(t, shop, 'cyryl');
    expect(card(list, freebie.id)).toMatchObject({ cardNumber: 2, stamps: 0, completedCards: 1 });
    const stamps = await t.db
      .selectFrom('stamps')
      .select(['source', 'order_id', 'staff_member_id'])
      .where('shop_id', '=', shop.id)
      .where('programme_id', '=', freebie.id)
      .orderBy('created_at')
      .execute();
    expect(stamps).toEqual([
      { source: 'order', order_id: await orderId('o-6'), staff_member_id: null },
      { source: 'order', order_id: await orderId('o-7'), staff_member_id: null },
    ]);
    const redemptions = await t.db
      .selectFrom('redemptions')
      .select('id')
      .where('shop_id', '=', shop.id)
      .execute();
    expect(redemptions).toEqual([]); // no points spent
    const [coupon] = await rewardCoupons(freebie.id);
    expect(coupon).toMatchObject({
      discount: { kind: 'fixed', amount: 2500, currency: 'PLN' },
      redemption_id: null,
    });
  });
});

describe('a large batch', () => {
  it('stamps 200 paid orders of 100 customers in one batch, each card to its count', async () => {
    const events = Array.from({ length: 200 }, (_, i) =>
      orderPaid(`bulk-${i}`, { id: `bulk-c-${i % 100}` }, '2026-11-27T10:00:00Z', {
        total: 3000,
        lines: [coffee(1)],
      }),
    );
    await send(t, shop, ...events);
    const rows = await t.db
      .selectFrom('stamp_cards')
      .select(['programme_id', (eb) => eb.fn.sum<number>('stamps').as('stamps')])
      .where('shop_id', '=', shop.id)
      .where('customer_id', 'in', (eb) =>
        eb
          .selectFrom('customers')
          .select('id')
          .where('shop_id', '=', shop.id)
          .where('external_id', 'like', 'bulk-c-%'),
      )
      .groupBy('programme_id')
      .execute();
    expect(Object.fromEntries(rows.map((r) => [r.programme_id, Number(r.stamps)]))).toMatchObject({
      [perCoffee.id]: 200,
    });
  });
});

describe('stamp card programmes', () => {
  it('refuse a product card without products or categories, naming the field', async () => {
    const res = await call(t, shop, 'POST', '/v1/stamp-cards', {
      name: 'x',
      stampsRequired: 5,
      earnBy: 'product',
      reward: { type: 'coupon', discount: { kind: 'free_shipping' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ path: 'productIds' })]);
  });

  it('keep the stamps an open card needs when N changes, and list and update', async () => {
    const res = await call(t, shop, 'PUT', `/v1/stamp-cards/${perOrder.id}`, {
      name: 'Co ósme zamówienie',
      stampsRequired: 8,
      earnBy: 'order',
      reward: { type: 'coupon', discount: { kind: 'fixed', amount: 1000 } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ stampsRequired: 8, name: 'Co ósme zamówienie' });
    expect(card(await cards(t, shop, 'ala'), perOrder.id)).toMatchObject({ stampsRequired: 5 });
    await createCustomer(t, shop, 'dora'); // no card yet: the new terms
    expect(card(await cards(t, shop, 'dora'), perOrder.id)).toMatchObject({
      stamps: 0,
      stampsRequired: 8,
    });
    const list = (await call(t, shop, 'GET', '/v1/stamp-cards')).json();
    expect(list.map((p: { id: string }) => p.id)).toContain(perOrder.id);
  });
});

async function orderId(externalId: string) {
  const row = await t.db
    .selectFrom('orders')
    .select('id')
    .where('shop_id', '=', shop.id)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  return row?.id;
}

/** The coupons the programme's full cards issued. */
function rewardCoupons(programmeId: string) {
  return t.db
    .selectFrom('stamp_cards')
    .innerJoin('coupons', (j) =>
      j
        .onRef('coupons.shop_id', '=', 'stamp_cards.shop_id')
        .onRef('coupons.id', '=', 'stamp_cards.reward_coupon_id'),
    )
    .select(['coupons.discount', 'coupons.expires_at', 'coupons.redemption_id'])
    .where('stamp_cards.shop_id', '=', shop.id)
    .where('stamp_cards.programme_id', '=', programmeId)
    .execute();
}
