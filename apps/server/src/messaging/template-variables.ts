/**
 * What a message template can read. Money is in minor units with its currency (use the `money`
 * filter), dates are ISO strings or Dates (use the `date` filter), points are integers.
 */
export interface TemplateVariables {
  shop: { name: string; url?: string; currency: string; timezone: string };
  customer: { firstName?: string; lastName?: string; email?: string; externalId: string };
  points?: {
    available: number;
    pending: number;
    expiringAmount?: number;
    expiringAt?: string | Date;
  };
  /** `toNext` is in the unit of `measure`: points, minor units of the shop's currency, or orders. */
  tier?: {
    name: string;
    nextTierName?: string;
    toNext?: number;
    measure?: 'points' | 'spend' | 'orders';
  };
  coupon?: { code: string; discountText: string; expiresAt?: string | Date; minBasket?: number };
  order?: { externalId: string; total: number; currency: string };
  /** The reward texts are written by the caller in the message's language ("20 zł rabatu"). */
  referral?: { code: string; link: string; rewardText?: string; friendRewardText?: string };
  /** One-click answer links: `npsUrls[score]` for scores 0..10. */
  survey?: { npsUrls: string[]; csatUrls?: string[] };
  review?: { url: string };
  links: { shop?: string; preferences: string; unsubscribe: string };
  [k: string]: unknown;
}
