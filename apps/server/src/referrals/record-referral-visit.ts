import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { activeCampaign } from './manage-referral-campaigns.ts';
import { referralCodeKey } from './referral-code.ts';

interface LinkOwner {
  kind: 'customer' | 'affiliate';
  shop_id: string;
  owner_id: string;
  code: string;
  storefront_url: string | null;
}

/**
 * Someone followed a referral link: the visit is recorded (client address, user agent, time)
 * and the visitor is sent to the shop with the code and the visit's id, which the storefront
 * hands back when the visitor signs up (POST /v1/referrals/attributions) or, for an
 * affiliate's link, with the order (POST /v1/affiliates/attributions).
 */
export async function recordReferralVisit(
  db: Db,
  input: {
    shopId?: string;
    code: string;
    address: string | null;
    userAgent: string | null;
    record?: boolean;
  },
  now: Date,
): Promise<{ location: string; visitId: string }> {
  // The link carries no shop: the code finds it (a deliberate lookup across shops, like an API
  // key's), and `?shop=` settles a code two shops happen to share.
  const key = referralCodeKey(input.code);
  const shopId = input.shopId ?? null;
  const { rows } = await sql<LinkOwner>`
    SELECT t.kind, t.shop_id, t.owner_id, t.code, s.storefront_url
    FROM (SELECT 'customer' AS kind, shop_id, customer_id AS owner_id, code FROM referral_codes
            WHERE code_key = ${key}
          UNION ALL
          SELECT 'affiliate', shop_id, id, code FROM affiliates
            WHERE code_key = ${key} AND archived_at IS NULL) t
    JOIN shops s ON s.id = t.shop_id
    WHERE ${shopId}::text IS NULL OR t.shop_id = ${shopId}
    LIMIT 2`.execute(db);
  const owner = rows.length === 1 ? rows[0]! : null;
  if (!owner) throw problems.notFound(`Referral code ${input.code}`);
  if (!owner.storefront_url) {
    throw problems.conflict(
      'The shop has not set where referral links lead (PUT /v1/referrals/storefront).',
    );
  }
  const visitId = newId(owner.kind === 'customer' ? 'rfv' : 'afv');
  // A HEAD request (a link preview, a checker) is not a visit.
  if (input.record !== false) await saveVisit(db, owner, visitId, input, now);
  const url = new URL(owner.storefront_url);
  url.searchParams.set('lojal_ref', owner.code);
  url.searchParams.set('lojal_visit', visitId);
  return { location: url.toString(), visitId };
}

async function saveVisit(
  db: Db,
  owner: LinkOwner,
  id: string,
  client: { address: string | null; userAgent: string | null },
  now: Date,
): Promise<void> {
  const seen = {
    shop_id: owner.shop_id,
    id,
    client_address: client.address,
    user_agent: client.userAgent?.slice(0, 500) ?? null,
    visited_at: now,
  };
  if (owner.kind === 'affiliate') {
    await db
      .insertInto('affiliate_visits')
      .values({ ...seen, affiliate_id: owner.owner_id })
      .execute();
    return;
  }
  const campaign = await activeCampaign(db, owner.shop_id, now);
  await db
    .insertInto('referral_visits')
    .values({ ...seen, campaign_id: campaign?.id ?? null, referrer_customer_id: owner.owner_id })
    .execute();
}
