import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import {
  call,
  checkLedgerInvariants,
  ledger,
  orderPaid,
  points,
  publish,
  send,
} from './support.ts';

const clock = fixedClock('2026-03-01T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t);
});
afterAll(() => t.close());

describe('earning points for orders under the default programme', () => {
  it('gives 1 point per zł after discounts, pending for 14 days, then available', async () => {
    clock.set('2026-03-01T10:00:00Z');
    await send(
      t,
      shop,
      orderPaid('o-pend', 'pending-anna', '2026-03-01T10:00:00Z', {
        total: 13845,
        subtotal: 12345,
        shipping: 1500,
      }),
    );
    expect(await points(t, shop, 'pending-anna')).toMatchObject({
      available: 0,
      pending: 123,
      lifetimeEarned: 123,
    });

    clock.set('2026-03-15T09:59:59Z');
    expect(await points(t, shop, 'pending-anna')).toMatchObject({ available: 0, pending: 123 });
    clock.set('2026-03-15T10:00:00Z');
    expect(await points(t, shop, 'pending-anna')).toMatchObject({ available: 123, pending: 0 });

    const [entry] = await ledger(t, shop, 'pending-anna');
    expect(entry).toMatchObject({
      points: 123,
      kind: 'earn',
      availableAt: '2026-03-15T10:00:00.000Z',
      expiresAt: '2027-03-15T10:00:00.000Z',
      cause: { type: 'order', orderId: 'o-pend', rule: { id: 'spend', code: 'spend', version: 1 } },
    });
    await checkLedgerInvariants(t, shop.id);
  });

  it('leaves shipping out when the order has no subtotal, and a guest order earns nothing', async () => {
    await send(
      t,
      shop,
      orderPaid('o-ship', 'ship-bob', '2026-03-01T11:00:00Z', { total: 15099, shipping: 1500 }),
      orderPaid('o-guest', null, '2026-03-01T11:00:00Z', { total: 50000 }),
    );
    expect((await points(t, shop, 'ship-bob')).pending).toBe(135);
    const entries = await t.db
      .selectFrom('point_entries')
      .select('id')
      .where('shop_id', '=', shop.id)
      .where('order_id', 'is not', null)
      .execute();
    expect(entries.length).toBe(2); // o-pend and o-ship; the guest order has none
  });

  it('never credits the same order twice, whatever is redelivered', async () => {
    const event = orderPaid('o-dup', 'dup-cezary', '2026-03-01T12:00:00Z', { total: 10000 });
    await send(t, shop, event);
    await send(
      t,
      shop,
      { ...event, id: 'another-delivery-id' },
      { ...event, type: 'order.paid', id: 'o-dup-3' },
    );
    expect((await points(t, shop, 'dup-cezary')).pending).toBe(100);
    expect(await ledger(t, shop, 'dup-cezary')).toHaveLength(1);
  });

  it("answers 404 for an unknown customer and for another shop's customer", async () => {
    const other = await createTestShop(t, 'Inny Sklep');
    expect((await call(t, shop, 'GET', '/v1/customers/nobody')).statusCode).toBe(404);
    expect((await call(t, other, 'GET', '/v1/customers/pending-anna')).statusCode).toBe(404);
    expect((await call(t, other, 'GET', '/v1/customers/pending-anna/ledger')).statusCode).toBe(404);
  });
});

describe('earning rules of a published programme', () => {
  it('gives the first order bonus once, with product and category multipliers on spend', async () => {
    await publish(t, shop, {
      rules: [
        {
          id: 'spend',
          code: 'spend',
          args: {
            pointsPerUnit: 1,
            productMultipliers: [{ productId: 'coffee', multiplier: 3 }],
            categoryMultipliers: [{ categoryId: 'tea', multiplier: 2 }],
          },
        },
        { id: 'first', code: 'first_order', args: { points: 50 } },
      ],
    });
    await send(
      t,
      shop,
      orderPaid('o-first', 'first-dorota', '2026-03-02T10:00:00Z', {
        total: 30000,
        subtotal: 30000,
        lines: [
          { productId: 'coffee', quantity: 1, price: 10000 },
          { productId: 'green', categoryIds: ['tea'], quantity: 1, price: 10000 },
          { productId: 'mug', quantity: 2, price: 5000 },
        ],
      }),
      orderPaid('o-second', 'first-dorota', '2026-03-03T10:00:00Z', { total: 1000 }),
    );
    // 100 zł coffee ×3 + 100 zł tea ×2 + 100 zł mugs ×1 = 600, plus 50 for the first order, plus 10
    expect((await points(t, shop, 'first-dorota')).pending).toBe(660);
    const kinds = (await ledger(t, shop, 'first-dorota')).map(
      (e) => (e.cause.rule as { id: string }).id,
    );
    expect(kinds.sort()).toEqual(['first', 'spend', 'spend']);
  });

  it('doubles points during a campaign and not outside it', async () => {
    await publish(t, shop, {
      rules: [{ id: 'spend', code: 'spend', args: { pointsPerUnit: 1 } }],
      campaigns: [
        {
          id: 'weekend',
          name: 'Podwójne punkty',
          multiplier: 2,
          startsAt: '2026-03-07T00:00:00+01:00',
          endsAt: '2026-03-09T00:00:00+01:00',
        },
      ],
    });
    await send(
      t,
      shop,
      orderPaid('o-camp-in', 'camp-ewa', '2026-03-07T12:00:00Z', { total: 10000 }),
      orderPaid('o-camp-out', 'camp-ewa', '2026-03-09T12:00:00Z', { total: 10000 }),
    );
    expect((await points(t, shop, 'camp-ewa')).pending).toBe(300);
  });

  it('stops at the cap per customer per period', async () => {
    await publish(t, shop, {
      rules: [
        {
          id: 'spend',
          code: 'spend',
          args: { pointsPerUnit: 1 },
          cap: { points: 150, period: 'month' },
        },
      ],
    });
    await send(
      t,
      shop,
      orderPaid('o-cap-1', 'cap-filip', '2026-03-10T12:00:00Z', { total: 10000 }),
      orderPaid('o-cap-2', 'cap-filip', '2026-03-11T12:00:00Z', { total: 10000 }),
      orderPaid('o-cap-3', 'cap-filip', '2026-03-12T12:00:00Z', { total: 10000 }),
      orderPaid('o-cap-4', 'cap-filip', '2026-04-01T12:00:00Z', { total: 10000 }),
    );
    // 100 + 50 in March (capped at 150), 100 in April
    expect((await points(t, shop, 'cap-filip')).lifetimeEarned).toBe(250);
    await checkLedgerInvariants(t, shop.id);
  });

  it('refuses a draft whose rule args are wrong, with the path of the mistake', async () => {
    const res = await call(t, shop, 'PUT', '/v1/programme/draft', {
      rules: [{ id: 'spend', code: 'spend', args: { pointsPerUnit: -1 } }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('rules.0.args.pointsPerUnit');
  });
});
