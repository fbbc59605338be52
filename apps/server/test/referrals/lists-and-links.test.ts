import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call } from '../points/support.ts';
import { loadConfig } from '../../src/config.ts';
import { attribute, campaign, codeOf, signUp } from './support.ts';

const clock = fixedClock('2026-05-04T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock, config: { trustProxy: ['127.0.0.1'] } });
  shop = await createTestShop(t, 'Sklep z Listami');
  await campaign(t, shop, {});
  await signUp(t, shop, 'anna', { firstName: 'Anna' });
});
afterAll(() => t.close());

describe('referral lists', () => {
  it('pages a referrer’s referrals, newest first, with a cursor', async () => {
    const code = await codeOf(t, shop, 'anna');
    for (let i = 1; i <= 5; i++) {
      clock.set(`2026-05-0${4 + (i % 2)}T1${i}:00:00Z`); // times out of id order
      await signUp(t, shop, `f${i}`);
      await attribute(t, shop, { customerId: `f${i}`, code });
    }
    const all = (await call(t, shop, 'GET', '/v1/customers/anna/referrals')).json();
    expect(all.data).toHaveLength(5);
    expect(all.nextCursor).toBeNull();
    const seen: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const res = await call(t, shop, 'GET', `/v1/customers/anna/referrals?limit=2${query}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.referralCode).toBe(code);
      seen.push(...body.data.map((r: { friendCustomerId: string }) => r.friendCustomerId));
      cursor = body.nextCursor;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(all.data.map((r: { friendCustomerId: string }) => r.friendCustomerId));
    expect(seen).toEqual(['f5', 'f3', 'f1', 'f4', 'f2']);
  });

  it('pages the shop’s list the same way, and refuses a cursor it did not give', async () => {
    const first = (await call(t, shop, 'GET', '/v1/referrals?limit=4')).json();
    expect(first.data).toHaveLength(4);
    const rest = (
      await call(t, shop, 'GET', `/v1/referrals?limit=4&cursor=${first.nextCursor}`)
    ).json();
    expect(rest.data).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
    const bad = await call(t, shop, 'GET', '/v1/referrals?cursor=bm9wZQ');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
  });
});

describe('codes for customers from before the referral tables', () => {
  it('draws a code for every customer without one (migration 0018)', async () => {
    await signUp(t, shop, 'stara', { firstName: 'Łucja' });
    await signUp(t, shop, 'bezimienny');
    await t.db
      .deleteFrom('referral_codes')
      .where('shop_id', '=', shop.id)
      .where('customer_id', 'in', (eb) =>
        eb
          .selectFrom('customers')
          .select('id')
          .where('shop_id', '=', shop.id)
          .where('external_id', 'in', ['stara', 'bezimienny']),
      )
      .execute();
    const before = await call(t, shop, 'GET', '/v1/customers/stara');
    expect(before.json().referralCode).toBeNull();

    const migration = await readFile(
      new URL('../../src/db/migrations/0018_referral_extras.sql', import.meta.url),
      'utf8',
    );
    const backfill = migration.slice(migration.indexOf('DO $$'), migration.indexOf('END $$;') + 7);
    await t.pool.query(backfill);

    expect(await codeOf(t, shop, 'stara')).toMatch(/^LUCJA-[34679ACDEFGHJKMNPQRTUVWXY]{4}$/);
    expect(await codeOf(t, shop, 'bezimienny')).toMatch(/^LOJAL-[34679ACDEFGHJKMNPQRTUVWXY]{4}$/);
    const link = await t.app.inject({ method: 'GET', url: `/r/${await codeOf(t, shop, 'stara')}` });
    expect(link.statusCode).toBe(302);
  });
});

describe('the client address behind a proxy', () => {
  it('takes the visitor’s address from X-Forwarded-For when the proxy is trusted', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/r/${await codeOf(t, shop, 'anna')}`,
      headers: { 'x-forwarded-for': '203.0.113.7', 'user-agent': 'Safari' },
    });
    const visitId = new URL(res.headers.location as string).searchParams.get('lojal_visit')!;
    const visit = await t.db
      .selectFrom('referral_visits')
      .select('client_address')
      .where('id', '=', visitId)
      .executeTakeFirstOrThrow();
    expect(visit.client_address).toBe('203.0.113.7');
  });

  it('reads LOJAL_TRUST_PROXY as off, on, a hop count or a list', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ LOJAL_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ LOJAL_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ LOJAL_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
  });
});
