import type { Db } from '../db/connect.ts';
import type { Cart, Discount, Refusal } from '../coupons/coupon-decision.ts';
import { findReferralCode } from './ensure-referral-codes.ts';
import { activeCampaign } from './manage-referral-campaigns.ts';
import type { ReferralSettings } from './referral-settings.ts';

export type ReferralCheckout =
  { valid: true; code: string; discount: Discount } | { valid: false; reason: Refusal };

/**
 * A referral code typed at checkout is the friend's first-order discount: it answers with the
 * live campaign's friend discount, and refuses the referrer himself and customers who already
 * have a paid order. Null when the code is not a referral code.
 */
export async function validateReferralCode(
  db: Db,
  shop: { id: string; currency: string },
  input: { code: string; customerId?: string; cart: Cart },
  now: Date,
): Promise<ReferralCheckout | null> {
  const owner = await findReferralCode(db, shop.id, input.code);
  if (!owner) return null;
  const campaign = await activeCampaign(db, shop.id, now);
  const spec = campaign?.settings.friendDiscount;
  if (!campaign || !spec) return { valid: false, reason: 'not_found' };
  if (input.customerId) {
    const customer = await db
      .selectFrom('customers as c')
      .select((eb) => [
        'c.id',
        eb
          .exists(
            eb
              .selectFrom('orders as o')
              .select('o.id')
              .whereRef('o.shop_id', '=', 'c.shop_id')
              .whereRef('o.customer_id', '=', 'c.id')
              .where('o.paid_at', 'is not', null),
          )
          .as('paid'),
      ])
      .where('c.shop_id', '=', shop.id)
      .where('c.external_id', '=', input.customerId)
      .executeTakeFirst();
    if (customer && (customer.id === owner.customerId || customer.paid)) {
      return { valid: false, reason: 'not_eligible' };
    }
  }
  if (input.cart.currency !== shop.currency) return { valid: false, reason: 'not_eligible' };
  if (input.cart.total < campaign.settings.minOrderValue)
    return { valid: false, reason: 'min_basket' };
  return { valid: true, code: owner.code, discount: friendDiscount(spec, input.cart) };
}

export function friendDiscount(
  spec: NonNullable<ReferralSettings['friendDiscount']>,
  cart: Cart,
): Discount {
  if (spec.kind === 'fixed') {
    return { kind: 'fixed', amount: Math.min(spec.amount, cart.total), currency: cart.currency };
  }
  const raw = Math.floor((cart.total * spec.percent) / 100);
  return {
    kind: 'percentage',
    amount: spec.cap ? Math.min(raw, spec.cap) : raw,
    currency: cart.currency,
    percent: spec.percent,
  };
}
