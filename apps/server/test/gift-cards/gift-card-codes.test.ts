import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, send } from '../points/support.ts';

// Gift-card codes are bearer value (audit L8): the database keeps a hash and the last four
// characters; the full code is shown once, in the answer to the issue.
const clock = fixedClock('2026-09-01T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let generated: string;
const CUSTOM = 'Zlota-Karta-2026';

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep Kody');
  await send(t, shop, {
    type: 'customer.created',
    id: 'c-ola',
    data: { id: 'ola', email: 'ola@example.com' },
  });
  const one = await call(t, shop, 'POST', '/v1/gift-cards', {
    amount: 10000,
    currency: 'PLN',
    customerId: 'ola',
  });
  expect(one.statusCode, one.body).toBe(201);
  generated = one.json().code;
  const two = await call(t, shop, 'POST', '/v1/gift-cards', {
    amount: 5000,
    currency: 'PLN',
    customerId: 'ola',
    code: CUSTOM,
  });
  expect(two.statusCode, two.body).toBe(201);
  expect(two.json().code).toBe(CUSTOM);
});
afterAll(() => t.close());

const bare = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');

/** Every gift-card row as text, each column of it, to search for a code. */
async function storedCards(): Promise<string> {
  const { rows } = await sql`SELECT g.*, g::text AS whole FROM gift_cards g`.execute(t.db);
  return JSON.stringify(rows);
}

describe('gift-card codes at rest', () => {
  it('shows the full code once, at issue, and keeps no plain code in the database', async () => {
    expect(generated).toMatch(/^GC-/);
    const stored = (await storedCards()).toUpperCase();
    for (const code of [generated, CUSTOM]) {
      expect(stored).not.toContain(code.toUpperCase());
      expect(stored).not.toContain(bare(code));
    }
    const columns = await sql<{ column_name: string }>`
      SELECT column_name FROM information_schema.columns WHERE table_name = 'gift_cards'`.execute(
      t.db,
    );
    expect(columns.rows.map((c) => c.column_name)).not.toContain('code');
  });

  it('spends by the code however it is written, and refuses a wrong code', async () => {
    const spent = await call(
      t,
      shop,
      'POST',
      `/v1/gift-cards/${bare(generated).toLowerCase()}/spends`,
      {
        amount: 1000,
        currency: 'PLN',
        orderId: 'o-1',
      },
    );
    expect(spent.statusCode, spent.body).toBe(201);
    expect(spent.json()).toMatchObject({ amount: 1000, balanceAfter: 9000 });
    const custom = await call(t, shop, 'POST', '/v1/gift-cards/zlota karta 2026/spends', {
      amount: 500,
      currency: 'PLN',
    });
    expect(custom.statusCode, custom.body).toBe(201);

    const wrong = generated.slice(0, -1) + (generated.endsWith('A') ? 'C' : 'A');
    for (const code of [wrong, 'GC-NOPE-NOPE', CUSTOM + 'X']) {
      const res = await call(t, shop, 'POST', `/v1/gift-cards/${encodeURIComponent(code)}/spends`, {
        amount: 1,
        currency: 'PLN',
      });
      expect(res.statusCode, code).toBe(404);
    }
    // another shop cannot use the code
    const other = await createTestShop(t, 'Inny Sklep');
    expect((await call(t, other, 'GET', `/v1/gift-cards/${generated}`)).statusCode).toBe(404);
  });

  it('never returns the code on reading the card, its movements or the customer 360', async () => {
    const card = await call(t, shop, 'GET', `/v1/gift-cards/${generated}`);
    expect(card.statusCode, card.body).toBe(200);
    expect(card.json()).not.toHaveProperty('code');
    expect(card.json().maskedCode).toBe(`…${bare(generated).slice(-4)}`);
    expect(card.json().balance).toEqual({ amount: 9000, currency: 'PLN' });
    const moves = await call(t, shop, 'GET', `/v1/gift-cards/${generated}/transactions`);
    expect(moves.statusCode).toBe(200);
    const c360 = await call(t, shop, 'GET', '/v1/customers/ola/360');
    expect(c360.statusCode, c360.body).toBe(200);
    expect(c360.json().giftCards).toEqual([
      expect.objectContaining({ maskedCode: '…2026', balance: { amount: 4500, currency: 'PLN' } }),
      expect.objectContaining({
        maskedCode: `…${bare(generated).slice(-4)}`,
        balance: { amount: 9000, currency: 'PLN' },
      }),
    ]);
    for (const body of [card.body, moves.body, c360.body]) {
      expect(body.toUpperCase()).not.toContain(bare(generated));
      expect(body.toUpperCase()).not.toContain(generated.toUpperCase());
      expect(body.toUpperCase()).not.toContain(bare(CUSTOM));
    }
  });

  it('refuses a second card with the same code, however it is written', async () => {
    const again = await call(t, shop, 'POST', '/v1/gift-cards', {
      amount: 100,
      currency: 'PLN',
      code: 'ZLOTAKARTA2026',
    });
    expect(again.statusCode, again.body).toBe(409);
  });
});
