import type { LocalizedText } from '../db/schema.ts';

/**
 * Whether a coupon applies to a cart, and for how much: a pure decision over the coupon row and
 * the cart, so checkout validation and the order that later consumes the code agree.
 */
export type Refusal =
  | 'not_found'
  | 'not_started'
  | 'expired'
  | 'min_basket'
  | 'usage_limit_reached'
  | 'customer_limit_reached'
  | 'not_eligible'
  | 'excluded_items'
  | 'not_combinable'
  | 'budget_exhausted';

export type DiscountSpec =
  | { kind: 'fixed'; amount: number; currency: string }
  | { kind: 'percentage'; percent: number; cap?: number | null; currency?: string }
  | { kind: 'free_shipping' }
  | { kind: 'free_product'; productId: string };

export interface CouponFacts {
  discount: DiscountSpec;
  customerId: string | null;
  minBasket: number | null;
  startsAt: Date | null;
  expiresAt: Date | null;
  usageLimit: number | null;
  usedCount: number;
}

export interface Cart {
  currency: string;
  total: number;
}

export interface Discount {
  kind: DiscountSpec['kind'];
  /** What comes off the cart, in minor units; 0 when the benefit is shipping or a product. */
  amount: number;
  currency: string;
  percent?: number;
  productId?: string;
  freeShipping?: boolean;
}

export type Decision = { valid: true; discount: Discount } | { valid: false; reason: Refusal };

export function decideCoupon(
  coupon: CouponFacts | null,
  input: { customerId: string | null; cart: Cart; now: Date },
): Decision {
  if (!coupon) return { valid: false, reason: 'not_found' };
  if (coupon.startsAt && coupon.startsAt > input.now)
    return { valid: false, reason: 'not_started' };
  if (coupon.expiresAt && coupon.expiresAt <= input.now) return { valid: false, reason: 'expired' };
  if (coupon.usageLimit !== null && coupon.usedCount >= coupon.usageLimit) {
    return { valid: false, reason: 'usage_limit_reached' };
  }
  if (coupon.customerId && coupon.customerId !== input.customerId) {
    return { valid: false, reason: 'not_eligible' };
  }
  const d = coupon.discount;
  if (
    (d.kind === 'fixed' || (d.kind === 'percentage' && d.currency)) &&
    d.currency !== input.cart.currency
  ) {
    return { valid: false, reason: 'not_eligible' };
  }
  if (coupon.minBasket !== null && input.cart.total < coupon.minBasket) {
    return { valid: false, reason: 'min_basket' };
  }
  return { valid: true, discount: discountFor(d, input.cart) };
}

function discountFor(d: DiscountSpec, cart: Cart): Discount {
  switch (d.kind) {
    case 'fixed':
      return { kind: 'fixed', amount: Math.min(d.amount, cart.total), currency: cart.currency };
    case 'percentage': {
      const raw = Math.round((cart.total * d.percent) / 100);
      const amount = d.cap ? Math.min(raw, d.cap) : raw;
      return { kind: 'percentage', amount, currency: cart.currency, percent: d.percent };
    }
    case 'free_shipping':
      return { kind: 'free_shipping', amount: 0, currency: cart.currency, freeShipping: true };
    case 'free_product':
      return { kind: 'free_product', amount: 0, currency: cart.currency, productId: d.productId };
  }
}

const MESSAGES: Record<Refusal, LocalizedText> = {
  not_found: { pl: 'Nie znamy takiego kodu.', en: 'This code does not exist.' },
  not_started: { pl: 'Ten kod jeszcze nie działa.', en: 'This code is not active yet.' },
  expired: { pl: 'Ten kod stracił ważność.', en: 'This code has expired.' },
  min_basket: {
    pl: 'Koszyk jest za mały dla tego kodu.',
    en: 'The cart is below the minimum for this code.',
  },
  usage_limit_reached: {
    pl: 'Ten kod został już wykorzystany.',
    en: 'This code has already been used.',
  },
  customer_limit_reached: {
    pl: 'Wykorzystano już ten kod na tym koncie.',
    en: 'You have already used this code.',
  },
  not_eligible: {
    pl: 'Ten kod nie jest przeznaczony dla tego zamówienia.',
    en: 'This code is not valid for this order.',
  },
  excluded_items: {
    pl: 'Kod nie obejmuje produktów w koszyku.',
    en: 'The code does not cover the products in the cart.',
  },
  not_combinable: {
    pl: 'Tego kodu nie można łączyć z innymi.',
    en: 'This code cannot be combined with others.',
  },
  budget_exhausted: { pl: 'Pula tej promocji się wyczerpała.', en: 'This promotion has run out.' },
};

export function refusalMessage(reason: Refusal, locale: string): string {
  return locale.startsWith('pl') ? MESSAGES[reason].pl : MESSAGES[reason].en;
}

export function refusalMessages(reason: Refusal): LocalizedText {
  return MESSAGES[reason];
}
