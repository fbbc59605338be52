import type { Insertable } from 'kysely';
import type { CouponsTable } from '../db/schema.ts';
import { newId } from '../shared/ids.ts';
import { addDays } from '../shared/zoned-time.ts';
import { discountOf, type RewardRow } from '../rewards/reward-schema.ts';
import { newCouponCode } from './coupon-code.ts';
import type { DiscountSpec } from './coupon-decision.ts';

/** What a customer's coupon gives, and for how long. */
export interface CouponTerms {
  discount: DiscountSpec;
  minBasket: number | null;
  validDays: number;
}

/** The coupon a catalogue reward gives; null for a perk that staff fulfil. */
export function rewardCouponTerms(reward: RewardRow, currency: string): CouponTerms | null {
  const discount = discountOf(reward, currency);
  if (!discount) return null;
  return {
    discount,
    minBasket: (reward.config as { minBasket?: number }).minBasket ?? null,
    validDays: reward.coupon_valid_days,
  };
}

/** A discount given inline (a stamp card's, a referral's), a fixed amount in the shop's currency. */
export function discountInCurrency(
  d:
    | { kind: 'fixed'; amount: number }
    | { kind: 'percentage'; percent: number; cap?: number | null }
    | Exclude<DiscountSpec, { kind: 'fixed' | 'percentage' }>,
  currency: string,
): DiscountSpec {
  if (d.kind === 'fixed') return { kind: 'fixed', amount: d.amount, currency };
  if (d.kind === 'percentage')
    return { kind: 'percentage', percent: d.percent, cap: d.cap ?? null };
  return d;
}

/**
 * A one-use coupon bound to one customer, as a reward, a full stamp card, a referral or a tier
 * perk issues it: an unguessable code, valid `validDays` from `at` unless `expiresAt` says.
 */
export function customerCouponRow(input: {
  shopId: string;
  customerId: string;
  source: 'reward' | 'referral' | 'flow';
  terms: CouponTerms;
  at: Date;
  redemptionId?: string | null;
  startsAt?: Date | null;
  expiresAt?: Date;
  prefix?: string;
}): Insertable<CouponsTable> {
  return {
    shop_id: input.shopId,
    id: newId('cpn'),
    code: input.prefix === undefined ? newCouponCode() : newCouponCode(input.prefix),
    source: input.source,
    customer_id: input.customerId,
    redemption_id: input.redemptionId ?? null,
    discount: JSON.stringify(input.terms.discount),
    min_basket: input.terms.minBasket,
    starts_at: input.startsAt ?? null,
    expires_at: input.expiresAt ?? addDays(input.at, input.terms.validDays),
    usage_limit: 1,
    created_at: input.at,
  };
}
