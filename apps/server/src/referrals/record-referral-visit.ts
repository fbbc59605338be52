import type { Db } from '../db/connect.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { findReferralCode } from './ensure-referral-codes.ts';
import { activeCampaign } from './manage-referral-campaigns.ts';
import { referralCodeKey } from './referral-code.ts';

/**
 * Someone followed a referral link: the visit is recorded (client address, user agent, time)
 * and the visitor is sent to the shop with the code and the visit's id, which the storefront
 * hands back when the visitor signs up (POST /v1/referrals/attributions).
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
  let query = db
    .selectFrom('referral_codes as r')
    .innerJoin('shops as s', 's.id', 'r.shop_id')
    .select(['s.id', 's.storefront_url'])
    .where('r.code_key', '=', referralCodeKey(input.code))
    .limit(2);
  if (input.shopId) query = query.where('r.shop_id', '=', input.shopId);
  const shops = await query.execute();
  const shop = shops.length === 1 ? shops[0]! : null;
  if (!shop) throw problems.notFound(`Referral code ${input.code}`);
  if (!shop.storefront_url) {
    throw problems.conflict(
      'The shop has not set where referral links lead (PUT /v1/referrals/storefront).',
    );
  }
  const owner = (await findReferralCode(db, shop.id, input.code))!;
  const campaign = await activeCampaign(db, shop.id, now);
  const visitId = newId('rfv');
  // A HEAD request (a link preview, a checker) is not a visit.
  if (input.record !== false)
    await db
      .insertInto('referral_visits')
      .values({
        shop_id: shop.id,
        id: visitId,
        campaign_id: campaign?.id ?? null,
        referrer_customer_id: owner.customerId,
        client_address: input.address,
        user_agent: input.userAgent?.slice(0, 500) ?? null,
        visited_at: now,
      })
      .execute();
  const url = new URL(shop.storefront_url);
  url.searchParams.set('lojal_ref', owner.code);
  url.searchParams.set('lojal_visit', visitId);
  return { location: url.toString(), visitId };
}
