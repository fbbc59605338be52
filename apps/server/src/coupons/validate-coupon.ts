import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { ShopRow } from '../shops/shop.ts';
import {
  decideCoupon,
  refusalMessage,
  refusalMessages,
  type Cart,
  type Refusal,
} from './coupon-decision.ts';
import { validateReferralCode } from '../referrals/validate-referral-code.ts';
import { customerContext } from './customer-context.ts';
import { findCoupon, findCoupons } from './find-coupon.ts';
import { normalizeCode } from './coupon-code.ts';

export interface ValidateCouponInput {
  code: string;
  /** The shop's own customer id. */
  customerId?: string;
  cart: Cart;
  /** Codes already applied to the cart: checked for combining. */
  appliedCodes?: string[];
  locale?: string;
}

/**
 * Checkout asks whether a code applies to a cart: the answer says why not, in the shop's
 * language and in both, with a machine reason. Nothing is reserved; the paid order consumes it.
 */
export async function validateCoupon(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  input: ValidateCouponInput,
) {
  const now = clock.now();
  // One statement for the code, its campaign and the customer: validation sits in checkout.
  const coupon = await findCoupon(db, shop.id, input.code, input.customerId);
  const others = (input.appliedCodes ?? []).filter(
    (c) => normalizeCode(c) !== normalizeCode(input.code),
  );
  if (!coupon) {
    // A customer's referral code is the friend's first-order discount.
    const referral = await validateReferralCode(db, shop, input, now);
    // A friend's referral discount is not combined with other codes.
    if (referral?.valid && others.length > 0) {
      return refusal('not_combinable', input.locale ?? shop.locale);
    }
    if (referral?.valid) return referral;
    if (referral) return refusal(referral.reason, input.locale ?? shop.locale);
  }
  const customerId = coupon?.askedCustomerId ?? null;
  // A code of the shop's own (not Lojal's) counts as one that does not combine.
  const known = await findCoupons(db, shop.id, others);
  const otherCodes = others.map((c) => ({
    stackable: known.get(normalizeCode(c))?.campaign?.stackable ?? false,
  }));
  const decision = decideCoupon(coupon, {
    customer: await customerContext(db, shop, coupon, customerId, now),
    cart: input.cart,
    now,
    otherCodes,
  });
  if (decision.valid) {
    return { valid: true as const, code: coupon!.code, discount: decision.discount };
  }
  return refusal(decision.reasons, input.locale ?? shop.locale);
}

/** The first reason as the answer, and every reason the code fails, each in both languages. */
function refusal(reasons: Refusal | Refusal[], locale: string) {
  const all = Array.isArray(reasons) ? reasons : [reasons];
  const reason = all[0]!;
  return {
    valid: false as const,
    reason,
    message: refusalMessage(reason, locale),
    messages: refusalMessages(reason),
    reasons: all.map((r) => ({
      reason: r,
      message: refusalMessage(r, locale),
      messages: refusalMessages(r),
    })),
  };
}
