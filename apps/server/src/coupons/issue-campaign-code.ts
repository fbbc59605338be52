import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { newId } from '../shared/ids.ts';
import { addDays } from '../shared/zoned-time.ts';
import { newCouponCode } from './coupon-code.ts';
import type { DiscountSpec } from './coupon-decision.ts';

export interface IssuedCode {
  id: string;
  code: string;
  discount: DiscountSpec;
  minBasket: number | null;
  expiresAt: Date | null;
}

/**
 * One new unique code of a campaign (its discount, minimum basket and dates, one use unless the
 * campaign says more), for one person: a pop-up's welcome coupon. Not bound to a customer
 * record, since the person may order as a guest or under the shop's own customer id; the
 * campaign's rules (first order only, uses per customer, budget) still apply at checkout.
 * `validDays` ends it sooner than the campaign. Null when the campaign is archived or over.
 */
export async function issueCampaignCode(
  db: Kysely<Database>,
  input: { shopId: string; campaignId: string; at: Date; validDays?: number | null },
): Promise<IssuedCode | null> {
  const campaign = await db
    .selectFrom('coupon_campaigns')
    .selectAll()
    .where('shop_id', '=', input.shopId)
    .where('id', '=', input.campaignId)
    .executeTakeFirst();
  if (!campaign || campaign.archived_at) return null;
  if (campaign.ends_at && campaign.ends_at <= input.at) return null;
  const own = input.validDays ? addDays(input.at, input.validDays) : null;
  const expiresAt =
    own && campaign.ends_at
      ? own < campaign.ends_at
        ? own
        : campaign.ends_at
      : (own ?? campaign.ends_at);
  for (let attempt = 0; attempt < 5; attempt++) {
    const row = await db
      .insertInto('coupons')
      .values({
        shop_id: input.shopId,
        id: newId('cpn'),
        code: newCouponCode(),
        source: 'campaign',
        campaign_id: campaign.id,
        customer_id: null,
        discount: JSON.stringify(campaign.discount),
        min_basket: campaign.min_basket,
        starts_at: campaign.starts_at,
        expires_at: expiresAt,
        usage_limit: campaign.uses_per_code ?? 1,
        created_at: input.at,
      })
      .onConflict((oc) => oc.columns(['shop_id', 'code_key']).doNothing())
      .returning(['id', 'code'])
      .executeTakeFirst();
    if (row) {
      return {
        id: row.id,
        code: row.code,
        discount: campaign.discount as DiscountSpec,
        minBasket: campaign.min_basket,
        expiresAt,
      };
    }
  }
  throw new Error('could not draw an unused coupon code in 5 attempts');
}
