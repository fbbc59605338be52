import { currencyExponent } from '../../shared/money.ts';
import type { CodeToPush } from '../../connections/connector.ts';

/**
 * Lojal's terms of a code as the input of `discountCodeBasicCreate` (an amount or a percentage
 * off) or `discountCodeFreeShippingCreate`. What Shopify's code discounts cannot hold:
 * exclusions of products or categories, a cap on a percentage, products and categories at once
 * (products are sent), and "one unit free" (a free product is 100% off that product, every unit
 * in the cart). docs/integrations/shopify.md lists these for merchants.
 */
export type DiscountMutation = 'basic' | 'free_shipping';

export function discountInput(
  code: CodeToPush,
  now: Date,
  options: { code: string; title: string },
): { mutation: DiscountMutation; input: Record<string, unknown> } {
  const common: Record<string, unknown> = {
    title: options.title,
    code: options.code,
    startsAt: (code.startsAt ?? now).toISOString(),
    endsAt: code.expiresAt ? code.expiresAt.toISOString() : null,
    usageLimit: code.usageLimit,
    appliesOncePerCustomer: code.usageLimitPerCustomer === 1 || code.usageLimit === 1,
    customerSelection:
      code.customerExternalId && /^\d+$/.test(code.customerExternalId)
        ? { customers: { add: [`gid://shopify/Customer/${code.customerExternalId}`] } }
        : { all: true },
    minimumRequirement:
      code.minBasket !== null && code.minBasket > 0
        ? {
            subtotal: {
              greaterThanOrEqualToSubtotal: decimal(code.minBasket, code.currency),
            },
          }
        : null,
  };
  const discount = code.discount;
  if (discount.kind === 'free_shipping') {
    return {
      mutation: 'free_shipping',
      input: { ...common, destination: { all: true }, appliesOnOneTimePurchase: true },
    };
  }
  let value: Record<string, unknown>;
  let productIds = code.productIds;
  if (discount.kind === 'fixed') {
    value = {
      discountAmount: {
        amount: decimal(discount.amount, discount.currency),
        appliesOnEachItem: false,
      },
    };
  } else if (discount.kind === 'percentage') {
    value = { percentage: Math.round(discount.percent * 100) / 10_000 };
  } else {
    value = { percentage: 1 };
    productIds = [discount.productId];
  }
  return {
    mutation: 'basic',
    input: {
      ...common,
      customerGets: { value, items: itemsOf(productIds, code.categoryIds) },
    },
  };
}

function itemsOf(productIds: string[], categoryIds: string[]): Record<string, unknown> {
  if (productIds.length > 0) {
    return { products: { productsToAdd: productIds.map((id) => gid('Product', id)) } };
  }
  if (categoryIds.length > 0) {
    return { collections: { add: categoryIds.map((id) => gid('Collection', id)) } };
  }
  return { all: true };
}

/** Lojal's product/category ids are Shopify's numeric ids (from webhooks and pulls). */
function gid(type: string, id: string): string {
  return id.startsWith('gid://') ? id : `gid://shopify/${type}/${id}`;
}

/** Minor units as Shopify's Decimal text: 1250 PLN → "12.50". */
export function decimal(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(Math.round(minor))).padStart(exponent + 1, '0');
  return exponent === 0
    ? sign + digits
    : `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** The title of a campaign's one discount: the campaign id in brackets finds it again. */
export function campaignTitle(campaign: { id: string; name: string }): string {
  return `Lojal: ${campaign.name} [${campaign.id}]`;
}
