import { localeOfTag } from '../shared/i18n.ts';
import { toMinorUnits } from '../shared/money.ts';
import type { Command, CustomerFacts, LineFacts, OrderFacts, RefundFacts } from './facts.ts';
import { PayloadError } from './facts.ts';
import {
  arrayOf,
  asObject,
  date,
  optionalObject,
  requiredDate,
  text,
  type Obj,
} from './payload.ts';

/** Topics of records pulled through the GraphQL Admin API (platforms/shopify/pull.ts). */
export const GRAPHQL_ORDER_TOPIC = 'graphql/order';
export const GRAPHQL_CUSTOMER_TOPIC = 'graphql/customer';

const PAID_STATUSES = new Set(['PAID', 'PARTIALLY_REFUNDED', 'REFUNDED']);

/**
 * The numeric tail of a GraphQL id (`gid://shopify/Order/820982911946154508` →
 * `820982911946154508`), which is the id webhooks carry: a pulled order and a webhooked order
 * are the same order in Lojal.
 */
export function gidTail(gid: unknown, what: string): string {
  const id =
    typeof gid === 'string'
      ? /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)(?:\?.*)?$/.exec(gid)?.[1]
      : undefined;
  if (!id) throw new PayloadError(`${what} is not a Shopify GraphQL id`);
  return id;
}

function optionalGidTail(gid: unknown): string | null {
  return typeof gid === 'string' ? (/\/(\d+)(?:\?.*)?$/.exec(gid)?.[1] ?? null) : null;
}

/** Maps one pulled GraphQL record to the same commands its webhook would give. */
export function commandsFromShopifyGraphql(topic: string, payload: unknown): Command[] {
  switch (topic) {
    case GRAPHQL_ORDER_TOPIC: {
      const order = orderFacts(asObject(payload, 'order'));
      const refunds = arrayOf(asObject(payload, 'order').refunds).map((r) => refundFacts(r, order));
      return [
        { kind: 'order', order },
        ...refunds.map((refund) => ({ kind: 'refund' as const, refund })),
      ];
    }
    case GRAPHQL_CUSTOMER_TOPIC:
      return [{ kind: 'customer', customer: customerFacts(asObject(payload, 'customer'), null) }];
    default:
      return [{ kind: 'ignore', reason: `topic ${topic} is not used by Lojal` }];
  }
}

function money(set: unknown, what: string): { amount: string; currency: string } | null {
  const m = optionalObject(optionalObject(set)?.shopMoney);
  if (!m) return null;
  const amount = m.amount;
  const currency = text(m.currencyCode);
  if ((typeof amount !== 'string' && typeof amount !== 'number') || !currency) {
    throw new PayloadError(`${what}.shopMoney is incomplete`);
  }
  return { amount: String(amount), currency };
}

function minor(set: unknown, what: string): number | null {
  const m = money(set, what);
  return m ? toMinorUnits(m.amount, m.currency) : null;
}

function orderFacts(o: Obj): OrderFacts {
  const currency = text(o.currencyCode);
  if (!currency) throw new PayloadError('order.currencyCode is missing');
  const placedAt = requiredDate(o.createdAt, 'order.createdAt');
  const asOf = date(o.updatedAt) ?? placedAt;
  const total = minor(o.totalPriceSet, 'order.totalPriceSet');
  if (total === null) throw new PayloadError('order.totalPriceSet is missing');
  const paid = PAID_STATUSES.has(String(o.displayFinancialStatus));
  const customer = optionalObject(o.customer);
  const lines = arrayOf(optionalObject(o.lineItems)?.nodes).map((l) => lineFacts(l, currency));
  return {
    externalId: gidTail(o.id, 'order.id'),
    customer: customer ? customerFacts(customer, asOf) : null,
    email: text(o.email),
    customerLocale: localeOfTag(o.customerLocale),
    currency,
    total,
    subtotal: minor(o.subtotalPriceSet, 'order.subtotalPriceSet'),
    shipping: minor(o.totalShippingPriceSet, 'order.totalShippingPriceSet'),
    tax: minor(o.totalTaxSet, 'order.totalTaxSet'),
    discount: minor(o.totalDiscountsSet, 'order.totalDiscountsSet'),
    discountCodes: Array.isArray(o.discountCodes)
      ? o.discountCodes.map(text).filter((c): c is string => c !== null)
      : [],
    lines,
    placedAt,
    paidAt: paid ? (date(o.processedAt) ?? asOf) : null,
    cancelledAt: date(o.cancelledAt),
    fulfilledAt: o.displayFulfillmentStatus === 'FULFILLED' ? asOf : null,
    asOf,
  };
}

function lineFacts(l: Obj, currency: string): LineFacts {
  const price = money(l.originalUnitPriceSet, 'lineItem.originalUnitPriceSet');
  return {
    externalId: optionalGidTail(l.id),
    productId: optionalGidTail(optionalObject(l.product)?.id),
    variantId: optionalGidTail(optionalObject(l.variant)?.id),
    sku: text(l.sku),
    title: text(l.title) ?? text(l.name),
    categoryIds: [],
    quantity: typeof l.quantity === 'number' ? l.quantity : 0,
    unitPrice: price ? toMinorUnits(price.amount, price.currency ?? currency) : 0,
  };
}

function refundFacts(r: Obj, order: OrderFacts): RefundFacts {
  const total = money(r.totalRefundedSet, 'refund.totalRefundedSet');
  if (!total) throw new PayloadError('refund.totalRefundedSet is missing');
  return {
    orderExternalId: order.externalId,
    externalId: gidTail(r.id, 'refund.id'),
    amount: Math.abs(toMinorUnits(total.amount, total.currency)),
    currency: total.currency,
    reason: text(r.note),
    refundedAt: requiredDate(r.createdAt, 'refund.createdAt'),
  };
}

function consent(value: unknown): boolean | undefined {
  const state = optionalObject(value)?.marketingState;
  return typeof state === 'string' ? state === 'SUBSCRIBED' : undefined;
}

function customerFacts(c: Obj, fallbackAsOf: Date | null): CustomerFacts {
  const asOf = date(c.updatedAt) ?? fallbackAsOf;
  if (!asOf) throw new PayloadError('customer.updatedAt is missing');
  return {
    externalId: gidTail(c.id, 'customer.id'),
    email: text(c.email),
    phone: text(c.phone),
    firstName: text(c.firstName),
    lastName: text(c.lastName),
    acceptsEmailMarketing: consent(c.emailMarketingConsent),
    acceptsSmsMarketing: consent(c.smsMarketingConsent),
    tags: Array.isArray(c.tags)
      ? c.tags.map(text).filter((t): t is string => t !== null)
      : undefined,
    asOf,
  };
}
