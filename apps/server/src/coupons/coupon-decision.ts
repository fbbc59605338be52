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

/** The terms a campaign's codes share, beyond the coupon's own dates and limits. */
export interface CampaignTerms {
  usesPerCustomer: number | null;
  budget: number | null;
  budgetUsed: number;
  productIds: string[];
  categoryIds: string[];
  excludeProductIds: string[];
  excludeCategoryIds: string[];
  firstOrderOnly: boolean;
  segmentId: string | null;
  minTier: string | null;
  stackable: boolean;
  archived: boolean;
}

export interface CouponFacts {
  discount: DiscountSpec;
  customerId: string | null;
  minBasket: number | null;
  startsAt: Date | null;
  expiresAt: Date | null;
  usageLimit: number | null;
  usedCount: number;
  campaign: CampaignTerms | null;
}

export interface CartLine {
  productId: string;
  categoryIds?: string[];
  quantity: number;
  price: number;
}

export interface Cart {
  currency: string;
  total: number;
  lines?: CartLine[];
}

/** What is known of the customer, looked up only when the coupon's terms need it. */
export interface CustomerContext {
  customerId: string | null;
  /** Uses of this campaign by the customer (not released). */
  campaignUses: number;
  hasPaidOrder: boolean;
  inSegment: boolean | null;
  /** Whether the customer's tier is at least the campaign's minimum; null when there is none. */
  meetsTier: boolean | null;
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

export type Decision =
  { valid: true; discount: Discount } | { valid: false; reason: Refusal; reasons: Refusal[] };

interface DecisionInput {
  customer: CustomerContext;
  cart: Cart;
  now: Date;
  /** Other codes already in the cart, and whether each may be combined. */
  otherCodes?: Array<{ stackable: boolean }>;
}

/**
 * Every way the coupon fails for this cart, in the fixed order of usefulness: does it exist, is
 * it live, is any left, is it for this customer, can it be combined, does it cover these
 * products, is the basket big enough. Empty when the code applies.
 */
export function refusalsOf(coupon: CouponFacts | null, input: DecisionInput): Refusal[] {
  if (!coupon || coupon.campaign?.archived) return ['not_found'];
  const found = new Set<Refusal>();
  if (coupon.startsAt && coupon.startsAt > input.now) found.add('not_started');
  if (coupon.expiresAt && coupon.expiresAt <= input.now) found.add('expired');
  if (coupon.usageLimit !== null && coupon.usedCount >= coupon.usageLimit) {
    found.add('usage_limit_reached');
  }
  const c = coupon.campaign;
  if (c?.budget !== null && c?.budget !== undefined && c.budgetUsed >= c.budget) {
    found.add('budget_exhausted');
  }
  const who = input.customer;
  const d = coupon.discount;
  if (
    (coupon.customerId && coupon.customerId !== who.customerId) ||
    (d.kind === 'fixed' && d.currency !== input.cart.currency) ||
    (c?.firstOrderOnly && (who.customerId === null || who.hasPaidOrder)) ||
    (c?.segmentId && who.inSegment !== true) ||
    (c?.minTier && who.meetsTier !== true)
  ) {
    found.add('not_eligible');
  }
  if (c?.usesPerCustomer && who.customerId !== null && who.campaignUses >= c.usesPerCustomer) {
    found.add('customer_limit_reached');
  }
  const others = input.otherCodes ?? [];
  if (others.length > 0 && (!(c?.stackable ?? false) || others.some((o) => !o.stackable))) {
    found.add('not_combinable');
  }
  if (eligibleAmount(c, input.cart) <= 0 && input.cart.total > 0) found.add('excluded_items');
  if (coupon.minBasket !== null && input.cart.total < coupon.minBasket) found.add('min_basket');
  return [...found];
}

/**
 * Whether the coupon applies: the first of its refusals (so a code that fails several ways
 * always gives the same, most useful reason), else the discount.
 */
export function decideCoupon(coupon: CouponFacts | null, input: DecisionInput): Decision {
  const reasons = refusalsOf(coupon, input);
  if (reasons.length > 0 || !coupon) {
    return { valid: false, reason: reasons[0] ?? 'not_found', reasons };
  }
  const c = coupon.campaign;
  const base = eligibleAmount(c, input.cart);
  const discount = discountFor(coupon.discount, { ...input.cart, total: base });
  // What is left of the budget caps the discount rather than refusing a cart it can still serve.
  if (c?.budget !== null && c?.budget !== undefined) {
    discount.amount = Math.min(discount.amount, c.budget - c.budgetUsed);
  }
  discount.currency = input.cart.currency;
  return { valid: true, discount };
}

/**
 * The part of the cart the code covers. Without product terms, the whole cart. With them, the
 * lines that match (included, and not excluded); a cart sent without lines cannot be checked
 * and covers nothing.
 */
export function eligibleAmount(c: CampaignTerms | null, cart: Cart): number {
  const restricted =
    c !== null &&
    (c.productIds.length > 0 ||
      c.categoryIds.length > 0 ||
      c.excludeProductIds.length > 0 ||
      c.excludeCategoryIds.length > 0);
  if (!restricted) return cart.total;
  if (!cart.lines || cart.lines.length === 0) return 0;
  const covered = (line: CartLine) => {
    const categories = line.categoryIds ?? [];
    const included =
      (c.productIds.length === 0 && c.categoryIds.length === 0) ||
      c.productIds.includes(line.productId) ||
      categories.some((id) => c.categoryIds.includes(id));
    const excluded =
      c.excludeProductIds.includes(line.productId) ||
      categories.some((id) => c.excludeCategoryIds.includes(id));
    return included && !excluded;
  };
  const linesTotal = cart.lines.reduce((s, l) => s + l.price * l.quantity, 0);
  const eligible = cart.lines.filter(covered).reduce((s, l) => s + l.price * l.quantity, 0);
  // Lines are priced before the cart's own adjustments: scale to the total the cart states.
  return linesTotal > 0 ? Math.round((eligible * cart.total) / linesTotal) : 0;
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
