import type { Db } from '../db/connect.ts';
import type { Tx } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import { customerMatches } from '../segments/customer-matches.ts';
import { findSegmentRules } from '../segments/manage-segments.ts';
import type { CustomerContext } from './coupon-decision.ts';
import type { CouponRow } from './find-coupon.ts';
import { meetsTier } from '../tiers/meets-tier.ts';

/**
 * What a coupon's terms need to know of the customer, and nothing more: campaign uses for a
 * per-customer limit, a paid order for "first order only", segment membership, tier.
 * `beforeOrderId` leaves the order being paid out of "has a paid order".
 */
export async function customerContext(
  db: Db | Tx,
  shop: Pick<ShopRow, 'id' | 'currency' | 'timezone'>,
  coupon: CouponRow | null,
  customerId: string | null,
  now: Date,
  beforeOrderId?: string,
): Promise<CustomerContext> {
  const context: CustomerContext = {
    customerId,
    campaignUses: 0,
    hasPaidOrder: false,
    inSegment: null,
    meetsTier: null,
  };
  const c = coupon?.campaign;
  if (!customerId || !c || !coupon.campaignId) return context;
  if (c.usesPerCustomer) {
    const { n } = await db
      .selectFrom('coupon_uses')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('shop_id', '=', shop.id)
      .where('campaign_id', '=', coupon.campaignId)
      .where('customer_id', '=', customerId)
      .where('released_at', 'is', null)
      .executeTakeFirstOrThrow();
    context.campaignUses = Number(n);
  }
  if (c.firstOrderOnly) {
    const paid = await db
      .selectFrom('orders')
      .select('id')
      .where('shop_id', '=', shop.id)
      .where('customer_id', '=', customerId)
      .where('paid_at', 'is not', null)
      .where('cancelled_at', 'is', null)
      .$if(beforeOrderId !== undefined, (q) => q.where('id', '!=', beforeOrderId!))
      .limit(1)
      .executeTakeFirst();
    context.hasPaidOrder = paid !== undefined;
  }
  if (c.segmentId) {
    const rules = await findSegmentRules(db as Db, shop as ShopRow, c.segmentId).catch(() => null);
    if (rules) {
      context.inSegment = await customerMatches(db, shop, customerId, rules, now);
    } else {
      context.inSegment = false;
    }
  }
  if (c.minTier) {
    context.meetsTier = (await meetsTier(db, shop.id, customerId, c.minTier, now)).met;
  }
  return context;
}
