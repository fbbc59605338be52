import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  type TestApp,
} from '../support/app.ts';
import { expirePoints } from '../../src/points/expire-points.ts';
import { GIFT_CARDS } from '../../src/points/ledger.ts';
import { call, orderPaid, send } from '../points/support.ts';

const clock = fixedClock('2026-09-01T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep Karty');
});
afterAll(() => t.close());

async function issue(body: object) {
  const res = await call(t, shop, 'POST', '/v1/gift-cards', { currency: 'PLN', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { code: string; balance: { amount: number } };
}
const balance = async (code: string) =>
  (await call(t, shop, 'GET', `/v1/gift-cards/${code}`)).json().balance.amount as number;
const spend = (code: string, body: object) =>
  call(t, shop, 'POST', `/v1/gift-cards/${code}/spends`, { currency: 'PLN', ...body });

/** Σ entries = cached balance = Σ lots remaining, for every card. */
async function checkBooks() {
  const rows = await t.db
    .selectFrom('gift_card_accounts as a')
    .select((eb) => [
      'a.gift_card_id',
      'a.balance',
      eb
        .selectFrom('gift_card_entries as e')
        .select((e) => e.fn.coalesce(e.fn.sum<number>('e.points'), e.val(0)).as('s'))
        .whereRef('e.shop_id', '=', 'a.shop_id')
        .whereRef('e.gift_card_id', '=', 'a.gift_card_id')
        .as('entries'),
      eb
        .selectFrom('gift_card_lots as l')
        .select((e) => e.fn.coalesce(e.fn.sum<number>('l.remaining'), e.val(0)).as('s'))
        .whereRef('l.shop_id', '=', 'a.shop_id')
        .whereRef('l.gift_card_id', '=', 'a.gift_card_id')
        .as('lots'),
    ])
    .where('a.shop_id', '=', shop.id)
    .execute();
  for (const r of rows) {
    expect(Number(r.entries)).toBe(r.balance);
    expect(Number(r.lots)).toBe(r.balance);
  }
}

describe('gift cards', () => {
  it('issues a card with a generated code and spends it in parts, once per order', async () => {
    const card = await issue({ amount: 10000, expiresAt: '2027-09-01T00:00:00+02:00' });
    expect(card.code).toMatch(/^GC-/);
    expect(card.balance.amount).toBe(10000);
    const first = await spend(card.code, { amount: 3000, orderId: 'gc-o1' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ amount: 3000, balanceAfter: 7000 });
    const again = await spend(card.code.toLowerCase(), { amount: 3000, orderId: 'gc-o1' });
    expect(again.json()).toMatchObject({ spendId: first.json().spendId, balanceAfter: 7000 });
    expect(await balance(card.code)).toBe(7000);

    const tooMuch = await spend(card.code, { amount: 7001 });
    expectProblem(tooMuch, 422);
    expect(tooMuch.json().type).toBe('/problems/insufficient-balance');
    expect(await balance(card.code)).toBe(7000);
    await checkBooks();
  });

  it('credits refunds back, in part and then the rest, never more than was spent', async () => {
    const card = await issue({ amount: 5000 });
    const spent = (await spend(card.code, { amount: 4000, orderId: 'gc-o2' })).json();
    const part = await call(t, shop, 'POST', `/v1/gift-cards/${card.code}/refunds`, {
      spendId: spent.spendId,
      amount: 1500,
    });
    expect(part.statusCode, part.body).toBe(201);
    expect(part.json()).toMatchObject({ amount: 1500, balanceAfter: 2500 });
    const tooMuch = await call(t, shop, 'POST', `/v1/gift-cards/${card.code}/refunds`, {
      spendId: spent.spendId,
      amount: 2501,
    });
    expect(tooMuch.json().type).toBe('/problems/refund-too-large');
    const rest = await call(t, shop, 'POST', `/v1/gift-cards/${card.code}/refunds`, {
      spendId: spent.spendId,
    });
    expect(rest.json()).toMatchObject({ amount: 2500, balanceAfter: 5000 });
    const types = (await call(t, shop, 'GET', `/v1/gift-cards/${card.code}/transactions`))
      .json()
      .data.map((x: { type: string }) => x.type);
    expect(types).toEqual(['refunded', 'refunded', 'spent', 'issued']);
    await checkBooks();
  });

  it('gives a cancelled order’s spend back to the card', async () => {
    const card = await issue({ amount: 8000 });
    await spend(card.code, { amount: 8000, orderId: 'gc-o3' });
    await send(t, shop, orderPaid('gc-o3', 'gc-ania', '2026-09-01T10:05:00Z', { total: 8000 }));
    await send(t, shop, { type: 'order.cancelled', id: 'x-gc-o3', data: { orderId: 'gc-o3' } });
    expect(await balance(card.code)).toBe(8000);
    await send(t, shop, {
      type: 'order.cancelled',
      id: 'x-gc-o3-again',
      data: { orderId: 'gc-o3' },
    });
    expect(await balance(card.code)).toBe(8000);
  });

  it('expires with its date: nothing to spend, and the ledger says so', async () => {
    const card = await issue({ amount: 2000, expiresAt: '2026-10-01T00:00:00+02:00' });
    clock.set('2026-10-02T10:00:00Z');
    expect((await call(t, shop, 'GET', `/v1/gift-cards/${card.code}`)).json()).toMatchObject({
      status: 'expired',
      balance: { amount: 0 },
    });
    expect((await spend(card.code, { amount: 1 })).statusCode).toBe(422);
    expect(await expirePoints(t.db, clock, GIFT_CARDS)).toBeGreaterThanOrEqual(1);
    await checkBooks();
    clock.set('2026-09-01T10:00:00Z');
  });

  it('refunds one spend once when two refunds race, and only through its own card', async () => {
    const card = await issue({ amount: 5000 });
    const other = await issue({ amount: 1000 });
    const a = (await spend(card.code, { amount: 4000, orderId: 'race-a' })).json();
    await spend(card.code, { amount: 1000, orderId: 'race-b' });
    const wrongCard = await call(t, shop, 'POST', `/v1/gift-cards/${other.code}/refunds`, {
      spendId: a.spendId,
    });
    expect(wrongCard.statusCode).toBe(404);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        call(t, shop, 'POST', `/v1/gift-cards/${card.code}/refunds`, {
          spendId: a.spendId,
          amount: 2500,
        }),
      ),
    );
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 422, 422, 422, 422, 422]);
    expect(await balance(card.code)).toBe(2500);
    await checkBooks();
  });

  it('lets one order be paid with two cards', async () => {
    const one = await issue({ amount: 3000 });
    const two = await issue({ amount: 3000 });
    expect((await spend(one.code, { amount: 3000, orderId: 'split-1' })).statusCode).toBe(201);
    expect((await spend(two.code, { amount: 2000, orderId: 'split-1' })).statusCode).toBe(201);
    expect(await balance(two.code)).toBe(1000);
  });

  it('keeps cards apart between shops and refuses another currency', async () => {
    const card = await issue({ amount: 1000 });
    const other = await createTestShop(t, 'Inny Sklep');
    expect((await call(t, other, 'GET', `/v1/gift-cards/${card.code}`)).statusCode).toBe(404);
    const eur = await spend(card.code, { amount: 100, currency: 'EUR' });
    expect(eur.statusCode).toBe(400);
  });
});
