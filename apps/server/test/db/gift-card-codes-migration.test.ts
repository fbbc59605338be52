import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call } from '../points/support.ts';

// Migration 0023 on a database whose gift cards still hold their codes in plain text: the state
// before is made by undoing 0023 on a migrated database (the codes written back as merchants and
// shops had typed them), then it runs again the way `npm start` runs it.
const clock = fixedClock('2026-09-01T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let other: Awaited<ReturnType<typeof createTestShop>>;
const cards: Array<{ id: string; stored: string; typed: string }> = [];

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep Karty');
  other = await createTestShop(t, 'Inny Sklep');
  const spellings = [
    // as stored before   as the customer types it at checkout
    ['GC-7KQ2-MNPQ-RTUV-WX', 'gc7kq2mnpqrtuvwx'],
    ['gc-abcd efgh-jkmn', 'GC-ABCD-EFGH-JKMN'],
    ['Zlota-Karta-2026', 'ZLOTA KARTA 2026'],
  ];
  for (const [i, [stored, typed]] of spellings.entries()) {
    const res = await call(t, shop, 'POST', '/v1/gift-cards', {
      amount: 1000 * (i + 1),
      currency: 'PLN',
      code: `TEMP-${i}-XXXXXX`,
    });
    expect(res.statusCode, res.body).toBe(201);
    cards.push({ id: res.json().id, stored: stored!, typed: typed! });
  }
  // the same code in another shop, as codes are unique only within a shop
  const theirs = await call(t, other, 'POST', '/v1/gift-cards', {
    amount: 700,
    currency: 'PLN',
    code: 'TEMP-OTHER-XXXXXX',
  });
  expect(theirs.statusCode, theirs.body).toBe(201);

  // Back to the schema before 0023.
  await sql`ALTER TABLE gift_cards ADD COLUMN code text`.execute(t.db);
  for (const card of cards) {
    await sql`UPDATE gift_cards SET code = ${card.stored} WHERE id = ${card.id}`.execute(t.db);
  }
  await sql`UPDATE gift_cards SET code = 'GC-7KQ2-MNPQ-RTUV-WX' WHERE shop_id = ${other.id}`.execute(
    t.db,
  );
  await sql`ALTER TABLE gift_cards ALTER COLUMN code SET NOT NULL,
      ADD COLUMN code_key text GENERATED ALWAYS AS (upper(regexp_replace(code, '[\s-]', '', 'g'))) STORED,
      ADD UNIQUE (shop_id, code_key),
      DROP COLUMN code_hash, DROP COLUMN code_hint;
    DELETE FROM schema_migrations WHERE name = '0023_gift_card_code_hashes.sql'`.execute(t.db);
  expect((await migrate(t.pool)).applied).toEqual(['0023_gift_card_code_hashes.sql']);
});
afterAll(() => t.close());

describe('migration 0023 (gift-card code hashes)', () => {
  it('leaves no plain code in the database', async () => {
    const { rows } = await sql<{
      whole: string;
    }>`SELECT g::text AS whole FROM gift_cards g`.execute(t.db);
    const all = rows.map((r) => r.whole.toUpperCase()).join('\n');
    for (const code of [
      'GC-7KQ2-MNPQ-RTUV-WX',
      'GC7KQ2MNPQRTUVWX',
      'GCABCDEFGHJKMN',
      'ZLOTAKARTA2026',
    ]) {
      expect(all).not.toContain(code);
    }
    expect(all).not.toContain('ABCD EFGH');
  });

  it('finds each card by its code as the application normalises it (case, dashes, spaces)', async () => {
    for (const [i, card] of cards.entries()) {
      const view = await call(t, shop, 'GET', `/v1/gift-cards/${encodeURIComponent(card.typed)}`);
      expect(view.statusCode, card.typed).toBe(200);
      expect(view.json()).toMatchObject({ id: card.id, balance: { amount: 1000 * (i + 1) } });
      expect(view.json()).not.toHaveProperty('code');
    }
    const masks = await Promise.all(
      cards.map(
        async (c) =>
          (await call(t, shop, 'GET', `/v1/gift-cards/${encodeURIComponent(c.typed)}`)).json()
            .maskedCode,
      ),
    );
    expect(masks).toEqual(['…UVWX', '…JKMN', '…2026']);
    const spend = await call(t, shop, 'POST', '/v1/gift-cards/gc-abcd-efgh-jkmn/spends', {
      amount: 500,
      currency: 'PLN',
    });
    expect(spend.statusCode, spend.body).toBe(201);
    expect(spend.json()).toMatchObject({ balanceAfter: 1500 });
  });

  it('keeps each shop’s card to its shop, and refuses a wrong code', async () => {
    const theirs = await call(t, other, 'GET', '/v1/gift-cards/GC-7KQ2-MNPQ-RTUV-WX');
    expect(theirs.json()).toMatchObject({ balance: { amount: 700 } });
    const ours = await call(t, shop, 'GET', '/v1/gift-cards/GC-7KQ2-MNPQ-RTUV-WX');
    expect(ours.json()).toMatchObject({ id: cards[0]!.id, balance: { amount: 1000 } });
    expect((await call(t, shop, 'GET', '/v1/gift-cards/GC-7KQ2-MNPQ-RTUV-WY')).statusCode).toBe(
      404,
    );
    // a new card may not take a converted card's code
    const again = await call(t, shop, 'POST', '/v1/gift-cards', {
      amount: 100,
      currency: 'PLN',
      code: 'zlota-karta-2026',
    });
    expect(again.statusCode).toBe(409);
  });
});
