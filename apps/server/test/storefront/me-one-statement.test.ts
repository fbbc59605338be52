import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, orderPaid, refunded, send } from '../points/support.ts';
import { customerToken, storefrontSecret } from '../support/storefront.ts';
import { customerView } from '../../src/customers/customer-view.ts';
import type { ShopRow } from '../../src/shops/shop.ts';

/**
 * Storefront `me` reads the customer view and its extras (pending lots, coupons, own share
 * messages, redemptions per reward) in one statement since issue 20. Over random customers
 * (orders in and out of the return window and of the tier window, refunds, redemptions with a
 * per-customer limit, own share messages), its answer equals what the two statements it
 * replaced give: the customer view, and the extras statement as it was (kept here).
 */
const clock = fixedClock('2026-06-15T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let secret: string;

/** A small deterministic generator (mulberry32): the same data on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const CUSTOMERS = 12;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep jednym zapytaniem');
  secret = await storefrontSecret(t, shop);
  const tiers = await call(t, shop, 'PUT', '/v1/tiers', {
    metric: 'spend',
    period: 'rolling_12_months',
    tiers: [
      { id: 'silver', name: { pl: 'Srebrny', en: 'Silver' }, entryThreshold: 20_000 },
      { id: 'gold', name: { pl: 'Złoty', en: 'Gold' }, entryThreshold: 60_000 },
    ],
  });
  expect(tiers.statusCode, tiers.body).toBe(200);
  const reward = await call(t, shop, 'POST', '/v1/rewards', {
    name: { pl: 'Kawa', en: 'Coffee' },
    kind: 'free_shipping',
    pointsCost: 50,
    perCustomerLimit: 2,
  });
  expect(reward.statusCode, reward.body).toBe(201);
  const next = random(20);
  for (let c = 0; c < CUSTOMERS; c++) {
    const customer = `k-${c}`;
    await send(t, shop, {
      type: 'customer.created',
      id: `created-${customer}`,
      data: { id: customer, firstName: 'Kasia' },
    });
    const orders = Math.floor(next() * 5);
    for (let o = 0; o < orders; o++) {
      // from 15 months ago to yesterday: some outside the tier window, some still pending
      const daysAgo = next() < 0.3 ? 1 + Math.floor(next() * 13) : 1 + Math.floor(next() * 450);
      const at = new Date(clock.now().getTime() - daysAgo * DAY);
      const id = `${customer}-o${o}`;
      const total = 5_000 + Math.floor(next() * 40) * 1_000;
      await send(t, shop, orderPaid(id, customer, at.toISOString(), { total }));
      if (next() < 0.3) {
        const amount = Math.floor(total * next());
        await send(t, shop, refunded(id, `${id}-r`, amount, at.toISOString()));
      }
    }
    if (next() < 0.6) {
      const adj = await call(t, shop, 'POST', `/v1/customers/${customer}/adjustments`, {
        points: 100 + Math.floor(next() * 200),
        reason: 'test',
      });
      expect(adj.statusCode, adj.body).toBe(201);
      for (let r = Math.floor(next() * 3); r > 0; r--) {
        await call(t, shop, 'POST', `/v1/customers/${customer}/redemptions`, {
          rewardId: reward.json().id,
        });
      }
    }
    if (next() < 0.4) {
      for (const locale of ['pl', 'en']) {
        const own = await call(
          t,
          shop,
          'PUT',
          `/v1/customers/${customer}/referrals/share-messages/whatsapp`,
          { locale, text: `Zobacz {link} (${locale})` },
        );
        expect([200, 404]).toContain(own.statusCode);
      }
    }
  }
});
afterAll(() => t.close());

interface OldExtras {
  pending_lots: Array<{ points: number; available_at: string }>;
  coupons: Array<{ code: string; expires_at: string | null }>;
  own_messages: Array<{ channel: string; text: string }>;
  redeemed: Record<string, number> | null;
}

/** The extras statement as it was before issue 20, by the customer's Lojal id. */
async function oldExtras(customerId: string, locale: string, now: Date): Promise<OldExtras> {
  const { rows } = await sql<OldExtras>`
    SELECT
      (SELECT COALESCE(json_agg(json_build_object('points', l.remaining, 'available_at', l.available_at)
                                ORDER BY l.available_at), '[]')
       FROM (SELECT remaining, available_at FROM point_lots
             WHERE shop_id = ${shop.id} AND customer_id = ${customerId} AND remaining > 0
               AND available_at > ${now}
             ORDER BY available_at LIMIT 20) l) AS pending_lots,
      (SELECT COALESCE(json_agg(json_build_object('code', k.code, 'expires_at', k.expires_at)
                ORDER BY k.id DESC), '[]')
       FROM (SELECT id, code, expires_at FROM coupons
             WHERE shop_id = ${shop.id} AND customer_id = ${customerId}
               AND (expires_at IS NULL OR expires_at > ${now})
               AND (usage_limit IS NULL OR used_count < usage_limit)
             ORDER BY id DESC LIMIT 20) k) AS coupons,
      (SELECT COALESCE(json_agg(json_build_object('channel', channel, 'text', text)), '[]')
       FROM referral_share_messages
       WHERE shop_id = ${shop.id} AND customer_id = ${customerId} AND locale = ${locale}) AS own_messages,
      (SELECT json_object_agg(reward_id, n) FROM (
         SELECT reward_id, count(*)::int AS n FROM redemptions
         WHERE shop_id = ${shop.id} AND customer_id = ${customerId} AND status <> 'returned'
         GROUP BY reward_id) r) AS redeemed`.execute(t.db);
  return rows[0]!;
}

describe('storefront me in one statement', () => {
  it('answers as the customer view and the old extras statement did, for every customer', async () => {
    const now = clock.now();
    const row = (await t.db
      .selectFrom('shops')
      .selectAll()
      .where('id', '=', shop.id)
      .executeTakeFirstOrThrow()) as ShopRow;
    let withCoupons = 0;
    let withPending = 0;
    let withMessages = 0;
    for (let c = 0; c < CUSTOMERS; c++) {
      const token = await customerToken(secret, `k-${c}`, { now });
      for (const locale of ['pl', 'en'] as const) {
        const res = await t.app.inject({
          method: 'GET',
          url: `/storefront/v1/shops/${shop.id}/me?locale=${locale}`,
          headers: { authorization: `Bearer ${token}`, 'accept-language': locale },
        });
        expect(res.statusCode, res.body).toBe(200);
        const me = res.json();
        const view = await customerView(t.db, row, `k-${c}`, now);
        const old = await oldExtras(view.lojalId, locale, now);
        expect(me.points).toEqual({
          available: view.points.available,
          pending: view.points.pending,
          expiringSoon: view.points.expiringSoon,
          lifetimeEarned: view.points.lifetimeEarned,
          pendingLots: old.pending_lots.map((l) => ({
            points: Number(l.points),
            availableAt: new Date(l.available_at).toISOString(),
          })),
        });
        expect(me.tier.current?.id ?? null).toBe(view.tier?.current?.id ?? null);
        expect(me.tier.next?.needed ?? null).toBe(view.tier?.next?.needed ?? null);
        expect(me.coupons.map((k: { code: string }) => k.code)).toEqual(
          old.coupons.map((k) => k.code),
        );
        for (const reward of me.rewards) {
          expect(reward.limitReached).toBe((old.redeemed?.[reward.id] ?? 0) >= 2);
        }
        const whatsapp = me.referral.share.find(
          (m: { channel: string }) => m.channel === 'whatsapp',
        );
        const own = old.own_messages.find((m) => m.channel === 'whatsapp');
        if (own) expect(whatsapp.text).toContain(`(${locale})`);
        else expect(whatsapp.text).not.toMatch(/\((pl|en)\)$/);
        withCoupons += me.coupons.length > 0 ? 1 : 0;
        withPending += me.points.pendingLots.length > 0 ? 1 : 0;
        withMessages += own ? 1 : 0;
      }
    }
    // the random data reaches every part of the statement
    expect(withCoupons).toBeGreaterThan(0);
    expect(withPending).toBeGreaterThan(0);
    expect(withMessages).toBeGreaterThan(0);
  });

  it('an unknown customer is still joining, and a second read finds them', async () => {
    const token = await customerToken(secret, 'new-face', { now: clock.now(), firstName: 'Ola' });
    const read = () =>
      t.app.inject({
        method: 'GET',
        url: `/storefront/v1/shops/${shop.id}/me`,
        headers: { authorization: `Bearer ${token}` },
      });
    const first = await read();
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().customer).toMatchObject({ id: 'new-face', joining: true });
    await t.processor.drain();
    const second = await read();
    expect(second.json().customer).toMatchObject({ id: 'new-face', joining: false });
  });
});
