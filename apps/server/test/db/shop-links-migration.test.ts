import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call } from '../points/support.ts';
import { codeOf, signUp } from '../referrals/support.ts';

// Migration 0021 on a database that has shops and codes from before it: the state before is
// made by undoing 0021 on a migrated database, then it runs again the way `npm start` runs it.
const clock = fixedClock('2026-05-04T10:00:00Z');
let t: TestApp;
const shops: Array<Awaited<ReturnType<typeof createTestShop>>> = [];

const NAMES = [
  'Sklep Ziutki',
  'Sklep Ziutki',
  'Łódź — Café & Bar!',
  '!!!',
  'Sklep z bardzo długą nazwą, która nie mieści się w czterdziestu znakach',
  'sklep-ziutki-2',
];

beforeAll(async () => {
  t = await createTestApp({ clock });
  for (const [i, name] of NAMES.entries()) {
    const shop = await createTestShop(t, name);
    shops.push(shop);
    await t.db
      .updateTable('shops')
      .set({ created_at: new Date(Date.UTC(2026, 0, 1 + i)) })
      .where('id', '=', shop.id)
      .execute();
  }
  const [a, b] = shops as [(typeof shops)[0], (typeof shops)[0]];
  for (const [shop, storefrontUrl] of [
    [a, 'https://pierwszy.pl/'],
    [b, 'https://drugi.pl/'],
  ] as const) {
    await call(t, shop, 'PUT', '/v1/referrals/storefront', { storefrontUrl });
  }
  await signUp(t, a, 'ziutka', { firstName: 'Ziutka' });
  await signUp(t, a, 'ola', { firstName: 'Ola' });
  await signUp(t, b, 'zenon', { firstName: 'Zenon' });
  await signUp(t, b, 'olek', { firstName: 'Olek' });
  // Two codes shared by both shops, as existing data may have them: one drawn at the same moment
  // in both (as migration 0018 drew codes), one that B's customer had first.
  const shared = await codeOf(t, a, 'ziutka');
  const sharedEarlierInB = await codeOf(t, a, 'ola');
  const at = new Date('2026-05-04T10:00:00Z');
  await sql`UPDATE referral_codes SET created_at = ${at} WHERE shop_id = ${a.id}`.execute(t.db);
  const give = (customer: string, code: string, createdAt: Date) =>
    sql`UPDATE referral_codes SET code = ${code}, code_key = replace(${code}, '-', ''),
          created_at = ${createdAt}
        WHERE shop_id = ${b.id}
          AND customer_id = (SELECT id FROM customers WHERE shop_id = ${b.id} AND external_id = ${customer})`.execute(
      t.db,
    );
  await give('zenon', shared, at);
  await give('olek', sharedEarlierInB, new Date('2026-05-01T10:00:00Z'));

  // Back to the schema before 0021.
  await sql`DROP INDEX shops_slug; ALTER TABLE shops DROP COLUMN slug;
    DROP INDEX referral_visits_client; DROP INDEX affiliate_visits_client;
    DELETE FROM schema_migrations WHERE name = '0022_shop_links.sql'`.execute(t.db);
  expect((await migrate(t.pool)).applied).toEqual(['0022_shop_links.sql']);
});
afterAll(() => t.close());

describe('migration 0021 (shop links)', () => {
  it('gives every existing shop a unique slug from its name, oldest shop first', async () => {
    const rows = await t.db.selectFrom('shops').select(['id', 'slug']).execute();
    const slugOf = new Map(rows.map((r) => [r.id, r.slug]));
    expect(shops.map((s) => slugOf.get(s.id))).toEqual([
      'sklep-ziutki',
      'sklep-ziutki-2',
      'lodz-cafe-bar',
      'shop',
      'sklep-z-bardzo-dluga-nazwa-ktora-nie-mie',
      // The name of the sixth shop is the second one's slug already.
      'sklep-ziutki-2-2',
    ]);
  });

  it('resolves a code two shops already shared to the shop that had it first, and each shop’s own link to itself', async () => {
    const host = async (url: string) => {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, res.body).toBe(302);
      return new URL(res.headers.location as string).host;
    };
    const shared = await codeOf(t, shops[0]!, 'ziutka');
    const sharedEarlierInB = await codeOf(t, shops[0]!, 'ola');
    // The same moment: the older shop keeps the link. Earlier in B: B's.
    expect(await host(`/r/${shared}`)).toBe('pierwszy.pl');
    expect(await host(`/r/${sharedEarlierInB}`)).toBe('drugi.pl');
    expect(await host(`/r/sklep-ziutki/${sharedEarlierInB}`)).toBe('pierwszy.pl');
    expect(await host(`/r/sklep-ziutki-2/${shared}`)).toBe('drugi.pl');
  });
});
