import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  type TestApp,
} from '../support/app.ts';
import { asMember, createMember, signIn } from '../support/accounts.ts';
import { call } from '../points/support.ts';

// GET /v1/gift-cards: the shop's cards newest first, a page at a time, never the full code.
const clock = fixedClock('2026-09-01T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let other: Awaited<ReturnType<typeof createTestShop>>;
const codes: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep Lista Kart');
  other = await createTestShop(t, 'Sklep Obcy');
  for (const amount of [5000, 10000, 20000]) {
    const res = await call(t, shop, 'POST', '/v1/gift-cards', { amount, currency: 'PLN' });
    expect(res.statusCode, res.body).toBe(201);
    codes.push(res.json().code);
  }
  const spent = await call(t, shop, 'POST', `/v1/gift-cards/${codes[2]}/spends`, {
    amount: 2500,
    currency: 'PLN',
  });
  expect(spent.statusCode, spent.body).toBe(201);
});
afterAll(() => t.close());

describe('GET /v1/gift-cards', () => {
  it('lists the newest first with balances, pages by nextBefore, and never shows a code', async () => {
    const first = await call(t, shop, 'GET', '/v1/gift-cards?limit=2');
    expect(first.statusCode, first.body).toBe(200);
    const page1 = first.json();
    expect(page1.data).toHaveLength(2);
    expect(page1.data[0]).toMatchObject({
      maskedCode: `…${codes[2]!.replace(/-/g, '').slice(-4).toUpperCase()}`,
      balance: { amount: 17500, currency: 'PLN' },
      initialAmount: { amount: 20000, currency: 'PLN' },
      status: 'active',
    });
    expect(page1.data[0]).not.toHaveProperty('code');
    expect(page1.data[1].initialAmount.amount).toBe(10000);
    expect(page1.nextBefore).toBe(page1.data[1].id);
    const second = (await call(t, shop, 'GET', `/v1/gift-cards?before=${page1.nextBefore}`)).json();
    expect(
      second.data.map((c: { initialAmount: { amount: number } }) => c.initialAmount.amount),
    ).toEqual([5000]);
    expect(second.nextBefore).toBeNull();
    for (const body of [first.body, JSON.stringify(second)]) {
      for (const code of codes) expect(body).not.toContain(code);
    }
  });

  it('refuses a bad limit with the field path and shows another shop nothing', async () => {
    const bad = await call(t, shop, 'GET', '/v1/gift-cards?limit=0');
    expectProblem(bad, 400);
    expect(bad.json().errors).toEqual([expect.objectContaining({ path: 'query.limit' })]);
    const theirs = await call(t, other, 'GET', '/v1/gift-cards');
    expect(theirs.json()).toEqual({ data: [], nextBefore: null });
  });

  it('is open to every role; an analyst still cannot issue (403)', async () => {
    const analyst = await createMember(t, shop.id, 'analyst');
    const headers = asMember(await signIn(t, analyst.email), shop.id);
    const list = await t.app.inject({ method: 'GET', url: '/v1/gift-cards', headers });
    expect(list.statusCode).toBe(200);
    expect(list.json().data).toHaveLength(3);
    const issue = await t.app.inject({
      method: 'POST',
      url: '/v1/gift-cards',
      headers,
      payload: { amount: 100, currency: 'PLN' },
    });
    expectProblem(issue, 403);
    expect((await call(t, shop, 'GET', '/v1/gift-cards')).json().data).toHaveLength(3);
  });
});
