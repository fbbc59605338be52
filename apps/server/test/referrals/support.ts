import { expect } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { call, send } from '../points/support.ts';

type Shop = { id: string; apiKey: string };

export function customer(id: string, data: object = {}) {
  return { type: 'customer.created', id: `c-${id}`, data: { id, ...data } };
}

export async function signUp(t: TestApp, shop: Shop, id: string, data: object = {}) {
  await send(t, shop, customer(id, data));
}

export async function codeOf(t: TestApp, shop: Shop, id: string): Promise<string> {
  const res = await call(t, shop, 'GET', `/v1/customers/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().referralCode as string;
}

/**
 * A live referral campaign. Its links redirect straight to the storefront (`landing:
 * 'redirect'`), which these tests follow; the landing page (the default) has tests of its own.
 */
export async function campaign(
  t: TestApp,
  shop: Shop,
  settings: object,
  name = 'Poleć znajomym',
  landing: 'page' | 'redirect' = 'redirect',
) {
  // Referral links lead to the shop's storefront, which a shop sets before a campaign.
  const storefront = await call(t, shop, 'PUT', '/v1/referrals/storefront', {
    storefrontUrl: 'https://sklep-testowy.pl/',
  });
  expect(storefront.statusCode, storefront.body).toBe(200);
  const res = await call(t, shop, 'POST', '/v1/referral-campaigns', { name, settings, landing });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

export async function attribute(t: TestApp, shop: Shop, body: object) {
  const res = await call(t, shop, 'POST', '/v1/referrals/attributions', body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as
    | { attributed: true; referralId: string; status: string; reasons: Array<{ reason: string }> }
    | { attributed: false; reason: string };
}

export interface ReferralJson {
  id: string;
  friendCustomerId: string;
  status: string;
  reasons: Array<{ reason: string; weight: number }>;
  rewards: Array<{
    stage: string;
    party: string;
    kind: string;
    points: number | null;
    revokedAt: string | null;
    couponCode: string | null;
  }>;
  rewardDueAt: string | null;
}

export async function referralsOf(
  t: TestApp,
  shop: Shop,
  referrer: string,
): Promise<ReferralJson[]> {
  const res = await call(t, shop, 'GET', `/v1/customers/${referrer}/referrals`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data;
}

export async function referralOf(t: TestApp, shop: Shop, referrer: string, friend: string) {
  const found = (await referralsOf(t, shop, referrer)).find((r) => r.friendCustomerId === friend);
  expect(found, `referral of ${friend}`).toBeDefined();
  return found!;
}

/** Points a customer holds from referral rewards: credits of the referral rule less reversals. */
export async function referralPoints(t: TestApp, shopId: string, externalId: string) {
  const rows = await t.db
    .selectFrom('point_entries as e')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.shop_id', '=', 'e.shop_id').onRef('c.id', '=', 'e.customer_id'),
    )
    .select(['e.id', 'e.points', 'e.rule_code', 'e.reverses_entry_id'])
    .where('e.shop_id', '=', shopId)
    .where('c.external_id', '=', externalId)
    .execute();
  const credits = new Set(rows.filter((r) => r.rule_code === 'referral').map((r) => r.id));
  return rows
    .filter((r) => credits.has(r.id) || (r.reverses_entry_id && credits.has(r.reverses_entry_id)))
    .reduce((sum, r) => sum + Number(r.points), 0);
}
