/**
 * Pure decisions of a stamp card: how many stamps the daily limit lets through, where they go,
 * and which cards they fill. The writer (add-stamps.ts) applies them.
 */

export interface CardFill {
  stamps: number;
  required: number;
}

/** Stamps the daily limit still allows out of `wanted`, given what the day already has. */
export function allowedToday(wanted: number, stampedToday: number, dailyLimit: number | null) {
  if (dailyLimit === null) return wanted;
  return Math.max(0, Math.min(wanted, dailyLimit - stampedToday));
}

export interface Placement {
  /** 0 is the open card; 1, 2… are cards opened as earlier ones fill. */
  card: number;
  stamps: number;
  completes: boolean;
}

/**
 * Fills the open card, then new ones of `nextRequired` stamps: the stamps of one order beyond a
 * full card carry over to the next, so nothing a customer earned is lost.
 */
export function placeStamps(open: CardFill, count: number, nextRequired: number): Placement[] {
  const out: Placement[] = [];
  let room = open.required - open.stamps;
  let card = 0;
  let left = count;
  while (left > 0) {
    const take = Math.min(left, room);
    out.push({ card, stamps: take, completes: take === room });
    left -= take;
    card += 1;
    room = nextRequired;
  }
  return out;
}

export interface OrderForStamps {
  total: number;
  subtotal: number | null;
  shipping: number | null;
  tax: number | null;
  lines: Array<{ productId: string | null; categoryIds: string[]; quantity: number }>;
}

export interface EarningTerms {
  earnBy: 'visit' | 'order' | 'product';
  productIds: string[];
  categoryIds: string[];
  minOrder: number | null;
}

/**
 * Stamps a paid order earns: one per order, or one per unit of the listed products or
 * categories. The minimum counts the order after discounts, without shipping and tax, as the
 * points `spend` rule does. An order with nothing paid (a reward taken for free at the
 * counter) earns no stamp, so the free coffee does not start the next card.
 */
export function stampsForOrder(terms: EarningTerms, order: OrderForStamps): number {
  if (terms.earnBy === 'visit') return 0;
  const spent = order.subtotal ?? order.total - (order.shipping ?? 0) - (order.tax ?? 0);
  if (spent <= 0) return 0;
  if (terms.minOrder !== null && spent < terms.minOrder) return 0;
  if (terms.earnBy === 'order') return 1;
  const products = new Set(terms.productIds);
  const categories = new Set(terms.categoryIds);
  let units = 0;
  for (const line of order.lines) {
    const listed =
      (line.productId !== null && products.has(line.productId)) ||
      line.categoryIds.some((c) => categories.has(c));
    if (listed) units += line.quantity;
  }
  return units;
}
