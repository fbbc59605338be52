import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import {
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  type TestApp,
} from '../support/app.ts';
import { asMember, createMember, signIn } from '../support/accounts.ts';
import { call, orderPaid, send } from '../points/support.ts';
import { silverAndGold } from '../tiers/support.ts';

// GET /v1/customers: the dashboard's search (id, e-mail, name, phone), segment and tier filters,
// and keyset paging.
const clock = fixedClock('2026-05-20T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let other: Awaited<ReturnType<typeof createTestShop>>;

function customer(id: string, data: Record<string, unknown>) {
  return { type: 'customer.created', id: `c-${id}`, data: { id, ...data } };
}

async function search(query: Record<string, string | number>, s = shop) {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  return call(t, s, 'GET', `/v1/customers?${qs}`);
}
async function ids(query: Record<string, string | number>) {
  const res = await search(query);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().data as Array<{ id: string }>).map((r) => r.id).sort();
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep Szukajka');
  other = await createTestShop(t, 'Sklep Obcy');
  expect((await call(t, shop, 'PUT', '/v1/tiers', silverAndGold)).statusCode).toBe(200);
  await send(
    t,
    shop,
    customer('ela', {
      email: 'Ela.Kowalska@example.pl',
      firstName: 'Ela',
      lastName: 'Kowalska',
      phone: '600 100 200',
    }),
    customer('lukasz', { email: 'lukasz@poczta.pl', firstName: 'Łukasz', lastName: 'Świątek' }),
    customer('zofia', { email: 'zofia_50@example.pl', firstName: 'Zofia', lastName: 'Łęcka' }),
    customer('anna', { email: 'anna@example.pl', firstName: 'Anna', lastName: 'Nowak' }),
    orderPaid('o-ela-1', 'ela', '2026-04-01T10:00:00Z', { total: 120_000 }),
    orderPaid('o-ela-2', 'ela', '2026-05-01T10:00:00Z', { total: 20_000 }),
    orderPaid('o-anna-1', 'anna', '2026-05-10T10:00:00Z', { total: 5_000 }),
  );
  for (let i = 0; i < 23; i++) {
    await send(t, shop, customer(`bulk-${i}`, { email: `bulk${i}@example.pl` }));
  }
  await send(t, other, customer('ela', { email: 'ela.kowalska@example.pl', firstName: 'Ela' }));
});
afterAll(() => t.close());

describe('GET /v1/customers', () => {
  it("finds a customer by the shop's id, e-mail prefix without case, names with Polish letters, and phone", async () => {
    expect(await ids({ q: 'lukasz' })).toEqual(['lukasz']); // the id, the e-mail and the name
    expect(await ids({ q: 'ELA.KOW' })).toEqual(['ela']);
    expect(await ids({ q: 'kowal' })).toEqual(['ela']);
    expect(await ids({ q: 'łuk' })).toEqual(['lukasz']);
    expect(await ids({ q: 'ŁUKASZ' })).toEqual(['lukasz']);
    expect(await ids({ q: 'swiat' })).toEqual(['lukasz']);
    expect(await ids({ q: 'Świą' })).toEqual(['lukasz']);
    expect(await ids({ q: 'Anna Nowak' })).toEqual(['anna']);
    expect(await ids({ q: 'nowak anna' })).toEqual(['anna']);
    // % and _ are letters, not wildcards
    expect(await ids({ q: 'zofia_50' })).toEqual(['zofia']);
    expect(await ids({ q: 'zofi_' })).toEqual([]);
    expect(await ids({ q: 'a%' })).toEqual([]);
    // the phone as people write it, whole or its start
    expect(await ids({ q: '600100200' })).toEqual(['ela']);
    expect(await ids({ q: '+48 600-100-200' })).toEqual(['ela']);
    expect(await ids({ q: '0048600100200' })).toEqual(['ela']);
    expect(await ids({ q: '600 100' })).toEqual(['ela']);
    expect(await ids({ q: 'bulk-7' })).toEqual(['bulk-7']);
  });

  it('answers each row with points, tier, orders and the last order', async () => {
    const res = await search({ q: 'ela.kowalska@example.pl' });
    expect(res.json()).toEqual({
      data: [
        {
          id: 'ela',
          email: 'Ela.Kowalska@example.pl',
          firstName: 'Ela',
          lastName: 'Kowalska',
          phone: '+48600100200',
          redacted: false,
          pointsAvailable: expect.any(Number),
          tier: { id: 'silver', name: { pl: 'Srebrny', en: 'Silver' } },
          ordersCount: 2,
          lastOrderAt: '2026-05-01T10:00:00.000Z',
          createdAt: expect.any(String),
        },
      ],
      nextAfter: null,
    });
    const view = (await call(t, shop, 'GET', '/v1/customers/ela')).json();
    expect(res.json().data[0].pointsAvailable).toBe(view.points.available);
  });

  it('filters by tier (a manual override first) and by segment', async () => {
    expect(await ids({ tier: 'silver' })).toEqual(['ela']);
    expect(await ids({ tier: 'gold' })).toEqual([]);
    const assigned = await call(t, shop, 'POST', '/v1/customers/anna/tier', {
      tierId: 'gold',
      reason: 'VIP',
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    expect(await ids({ tier: 'gold' })).toEqual(['anna']);
    // a manual tier that is over: the computed tier applies again
    await sql`UPDATE customer_tiers SET manual_tier_id = 'gold', manual_until = '2026-05-01T00:00:00Z'
              WHERE shop_id = ${shop.id}
                AND customer_id = (SELECT id FROM customers WHERE shop_id = ${shop.id} AND external_id = 'ela')`.execute(
      t.db,
    );
    expect(await ids({ tier: 'silver' })).toEqual(['ela']);
    expect(await ids({ tier: 'gold' })).toEqual(['anna']);

    const segment = await call(t, shop, 'POST', '/v1/segments', {
      name: 'Spent over 100 zł',
      rules: { fact: 'total_spent', op: 'gt', value: 10_000 },
    });
    expect(segment.statusCode, segment.body).toBe(201);
    const members = (
      await call(t, shop, 'GET', `/v1/segments/${segment.json().id}/customers`)
    ).json();
    expect(await ids({ segment: segment.json().id })).toEqual(
      members.data.map((m: { customerId: string }) => m.customerId).sort(),
    );
    expect(await ids({ segment: segment.json().id })).toEqual(['ela']);
    expect(await ids({ segment: segment.json().id, q: 'anna' })).toEqual([]);
    expect(await ids({ segment: segment.json().id, tier: 'silver', q: 'ela' })).toEqual(['ela']);
    expectProblem(await search({ segment: 'seg_nope' }), 404);
  });

  it('pages newest first without duplicates or gaps, whatever the page size', async () => {
    const all = await t.db
      .selectFrom('customers')
      .select('external_id')
      .where('shop_id', '=', shop.id)
      .orderBy('id', 'desc')
      .execute();
    for (const limit of [1, 5, 10, 100]) {
      const seen: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 100; i++) {
        const res = await search({ limit, ...(after ? { after } : {}) });
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json() as { data: Array<{ id: string }>; nextAfter: string | null };
        expect(body.data.length).toBeLessThanOrEqual(limit);
        seen.push(...body.data.map((r) => r.id));
        after = body.nextAfter;
        if (!after) break;
      }
      expect(seen).toEqual(all.map((r) => r.external_id));
    }
    // a page within a search
    const first = (await search({ q: 'bulk', limit: 10 })).json();
    const second = (await search({ q: 'bulk', limit: 10, after: first.nextAfter })).json();
    const third = (await search({ q: 'bulk', limit: 10, after: second.nextAfter })).json();
    expect(third.nextAfter).toBeNull();
    const found = [...first.data, ...second.data, ...third.data].map((r) => r.id);
    expect(found).toHaveLength(23);
    expect(new Set(found).size).toBe(23);
  });

  it('finds common and rare matches alike in a crowd: 1,200 customers named Zenon and one phone', async () => {
    // A common name is found by reading newest first; a rare phone from its index.
    const crowd = await createTestShop(t, 'Sklep Tłumny');
    await t.db
      .insertInto('customers')
      .columns(['shop_id', 'id', 'external_id', 'first_name', 'phone', 'field_times'])
      .expression((eb) =>
        eb
          .selectFrom(sql<{ i: number }>`generate_series(1, 1200)`.as('g'))
          .select([
            sql<string>`${crowd.id}`.as('shop_id'),
            sql<string>`'cus_zenon' || lpad(g::text, 5, '0')`.as('id'),
            sql<string>`'z-' || g`.as('external_id'),
            sql<string>`'Zenon'`.as('first_name'),
            sql<string>`'+4850000' || lpad(g::text, 4, '0')`.as('phone'),
            sql<string>`'{}'`.as('field_times'),
          ]),
      )
      .execute();
    const first = await search({ q: 'zen', limit: 100 }, crowd);
    expect(first.statusCode, first.body).toBe(200);
    expect(
      first
        .json()
        .data.map((r: { id: string }) => r.id)
        .slice(0, 2),
    ).toEqual(['z-1200', 'z-1199']);
    const second = await search({ q: 'zen', limit: 100, after: first.json().nextAfter }, crowd);
    expect(second.json().data[0].id).toBe('z-1100');
    const phone = await search({ q: '+48500000777' }, crowd);
    expect(phone.json().data.map((r: { id: string }) => r.id)).toEqual(['z-777']);
    const none = await search({ q: '+48999' }, crowd);
    expect(none.json()).toEqual({ data: [], nextAfter: null });
  });

  it('refuses bad parameters with a 400 naming the field', async () => {
    for (const [query, path] of [
      [{ limit: 0 }, 'query.limit'],
      [{ limit: 101 }, 'query.limit'],
      [{ limit: 'ten' }, 'query.limit'],
      [{ after: 'not a cursor' }, 'query.after'],
      [{ q: 'x'.repeat(201) }, 'query.q'],
      [{ tier: '' }, 'query.tier'],
    ] as const) {
      const res = await search(query);
      expectProblem(res, 400);
      expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    }
  });

  it("never shows another shop's customers, and every role may read", async () => {
    const mine = (await search({ q: 'ela' })).json().data;
    expect(mine).toHaveLength(1);
    const theirs = (await search({ q: 'ela' }, other)).json().data;
    expect(theirs).toHaveLength(1);
    expect(theirs[0].email).toBe('ela.kowalska@example.pl');
    expect((await search({}, other)).json().data).toHaveLength(1);
    // the other shop's tier filter and segments do not reach here
    expect((await search({ tier: 'silver' }, other)).json().data).toEqual([]);
  });
});

describe('GET /v1/customers for members', () => {
  it('an analyst reads the list; another shop named in Lojal-Shop is a 404', async () => {
    const analyst = await createMember(t, shop.id, 'analyst');
    const cookie = await signIn(t, analyst.email);
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/customers?q=ela',
      headers: asMember(cookie, shop.id),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.map((r: { id: string }) => r.id)).toEqual(['ela']);
    const elsewhere = await t.app.inject({
      method: 'GET',
      url: '/v1/customers',
      headers: asMember(cookie, other.id),
    });
    expectProblem(elsewhere, 404);
  });

  it('has the indexes of migration 0028 (bench/customer-search.ts measures them on a large shop)', async () => {
    const { rows } = await sql<{ indexname: string }>`
      SELECT indexname FROM pg_indexes WHERE tablename = 'customers' ORDER BY indexname`.execute(
      t.db,
    );
    expect(rows.map((r) => r.indexname)).toEqual(
      expect.arrayContaining([
        'customers_email_prefix',
        'customers_first_name_prefix',
        'customers_last_name_prefix',
        'customers_phone_prefix',
      ]),
    );
  });
});
