import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { ShopRow } from '../shops/shop.ts';
import { decideCoupon, refusalMessage, refusalMessages, type Cart } from './coupon-decision.ts';
import { findCoupon } from './find-coupon.ts';

export interface ValidateCouponInput {
  code: string;
  /** The shop's own customer id. */
  customerId?: string;
  cart: Cart;
  locale?: string;
}

/**
 * Checkout asks whether a code applies to a cart: the answer says why not, in the shop's
 * language and in both, with a machine reason. Nothing is reserved; the order consumes it.
 */
export async function validateCoupon(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  input: ValidateCouponInput,
) {
  const coupon = await findCoupon(db, shop.id, input.code);
  let customerId: string | null = null;
  if (input.customerId !== undefined) {
    const customer = await db
      .selectFrom('customers')
      .select('id')
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', input.customerId)
      .executeTakeFirst();
    customerId = customer?.id ?? null;
  }
  const decision = decideCoupon(coupon, { customerId, cart: input.cart, now: clock.now() });
  if (decision.valid)
    return { valid: true as const, code: coupon!.code, discount: decision.discount };
  return {
    valid: false as const,
    reason: decision.reason,
    message: refusalMessage(decision.reason, input.locale ?? shop.locale),
    messages: refusalMessages(decision.reason),
  };
}
