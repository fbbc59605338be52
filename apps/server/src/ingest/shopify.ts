import { localeOfTag } from '../shared/i18n.ts';
import { toMinorUnits } from '../shared/money.ts';
import { idString } from '../shared/json.ts';
import type { Command, CustomerFacts, LineFacts, OrderFacts, RefundFacts } from './facts.ts';
import { PayloadError } from './facts.ts';
import {
  arrayOf,
  asObject,
  date,
  lineProperties,
  optionalObject,
  requiredDate,
  text,
  type Obj,
} from './payload.ts';
import { commandsFromShopifyGraphql } from './shopify-graphql.ts';

const ORDER_TOPICS = new Set([
  'orders/create',
  'orders/paid',
  'orders/updated',
  'orders/cancelled',
  'orders/fulfilled',
  'orders/partially_fulfilled',
  'orders/edited',
]);
const PAID_STATUSES = new Set(['paid', 'partially_refunded', 'refunded']);

/** Maps one Shopify webhook delivery (already parsed losslessly) to commands. */
export function commandsFromShopify(topic: string, payload: unknown, receivedAt: Date): Command[] {
  // Records pulled through the GraphQL Admin API (platforms/shopify) have their own shape.
  if (topic.startsWith('graphql/')) return commandsFromShopifyGraphql(topic, payload);
  if (ORDER_TOPICS.has(topic)) {
    const order = asObject(payload, 'order');
    const facts = orderFacts(order, topic);
    const refunds = arrayOf(order.refunds).map((r) =>
      refundFacts(r, facts.currency, facts.externalId, receivedAt),
    );
    return [
      { kind: 'order', order: facts },
      ...refunds.map((refund) => ({ kind: 'refund' as const, refund })),
    ];
  }
  switch (topic) {
    case 'refunds/create':
      return [
        {
          kind: 'refund',
          refund: refundFacts(asObject(payload, 'refund'), null, null, receivedAt),
        },
      ];
    case 'customers/create':
    case 'customers/update':
    case 'customers/enable':
    case 'customers/disable':
      return [
        { kind: 'customer', customer: customerFacts(asObject(payload, 'customer'), receivedAt) },
      ];
    case 'customers/redact': {
      const customer = asObject(asObject(payload, 'payload').customer, 'customer');
      return [
        {
          kind: 'redact-customer',
          externalId: shopifyId(customer, 'customer.id'),
          request: { by: 'shopify', basis: 'Shopify customers/redact', requestedAt: receivedAt },
        },
      ];
    }
    case 'customers/data_request': {
      // { shop_domain, customer: { id, email, phone }, orders_requested, data_request: { id } }
      const request = asObject(payload, 'payload');
      const customer = asObject(request.customer, 'customer');
      return [
        {
          kind: 'data-request',
          request: {
            customerExternalId: shopifyId(customer, 'customer.id'),
            requestId: idString(optionalObject(request.data_request)?.id),
            source: 'shopify.data_request',
            requestedAt: receivedAt,
          },
        },
      ];
    }
    case 'shop/redact': {
      // { shop_id, shop_domain }: only a verified delivery applies (commands-for-event.ts)
      const shopDomain = text(asObject(payload, 'payload').shop_domain);
      if (!shopDomain) throw new PayloadError('shop_domain is missing');
      return [{ kind: 'redact-shop', platformShop: shopDomain }];
    }
    default:
      return [{ kind: 'ignore', reason: `topic ${topic} is not used by Lojal` }];
  }
}

/** Shopify's numeric ids exceed 2^53; the GraphQL id carries the same number as text. */
function shopifyId(obj: Obj, field: string): string {
  const gid = text(obj.admin_graphql_api_id);
  const fromGid = gid ? /\/(\d+)$/.exec(gid)?.[1] : undefined;
  const id = fromGid ?? idString(obj.id);
  if (!id) throw new PayloadError(`${field} is missing`);
  return id;
}

function shopMoney(set: unknown): { amount: string; currency: string } | null {
  const money = optionalObject(optionalObject(set)?.shop_money);
  const amount = money?.amount;
  const currency = text(money?.currency_code);
  return (typeof amount === 'string' || typeof amount === 'number') && currency
    ? { amount: String(amount), currency }
    : null;
}

function amount(value: unknown, currency: string): number | null {
  return typeof value === 'string' || typeof value === 'number'
    ? toMinorUnits(value, currency)
    : null;
}

function orderFacts(o: Obj, topic: string): OrderFacts {
  const currency = text(o.currency);
  if (!currency) throw new PayloadError('order.currency is missing');
  const placedAt = requiredDate(o.created_at, 'order.created_at');
  const asOf = date(o.updated_at) ?? placedAt;
  const total = amount(o.total_price, currency);
  if (total === null) throw new PayloadError('order.total_price is missing');
  const paid = topic === 'orders/paid' || PAID_STATUSES.has(String(o.financial_status));
  const customer = optionalObject(o.customer);
  const shipping = shopMoney(o.total_shipping_price_set);
  return {
    externalId: shopifyId(o, 'order.id'),
    customer: customer ? customerFacts(customer, asOf) : null,
    email: text(o.email) ?? text(o.contact_email),
    customerLocale: localeOfTag(o.customer_locale),
    currency,
    total,
    subtotal: amount(o.subtotal_price, currency),
    shipping: shipping ? toMinorUnits(shipping.amount, currency) : null,
    tax: amount(o.total_tax, currency),
    discount: amount(o.total_discounts, currency),
    discountCodes: arrayOf(o.discount_codes)
      .map((d) => text(d.code))
      .filter((c): c is string => c !== null),
    lines: arrayOf(o.line_items).map((l) => lineFacts(l, currency)),
    placedAt,
    paidAt: paid ? (date(o.processed_at) ?? asOf) : null,
    cancelledAt: date(o.cancelled_at),
    fulfilledAt: o.fulfillment_status === 'fulfilled' ? asOf : null,
    asOf,
  };
}

function lineFacts(l: Obj, currency: string): LineFacts {
  const properties = lineProperties(l.properties);
  return {
    externalId: l.admin_graphql_api_id || l.id !== undefined ? shopifyId(l, 'line_item.id') : null,
    productId: idString(l.product_id),
    variantId: idString(l.variant_id),
    sku: text(l.sku),
    title: text(l.title) ?? text(l.name),
    categoryIds: [],
    quantity: typeof l.quantity === 'number' ? l.quantity : 0,
    unitPrice: amount(l.price, currency) ?? 0,
    ...(properties && { properties }),
  };
}

function refundFacts(
  r: Obj,
  orderCurrency: string | null,
  orderId: string | null,
  receivedAt: Date,
): RefundFacts {
  const orderExternalId = orderId ?? idString(r.order_id);
  if (!orderExternalId) throw new PayloadError('refund.order_id is missing');
  const transactions = arrayOf(r.transactions).filter(
    (t) => t.kind === 'refund' && (t.status === 'success' || t.status === undefined),
  );
  let currency = orderCurrency ?? text(transactions[0]?.currency);
  let total = 0;
  if (transactions.length > 0) {
    for (const t of transactions) {
      currency ??= text(t.currency);
      total += toMinorUnits(String(t.amount), currency ?? 'XXX');
    }
  } else {
    // A refund without money transactions: value it from the refunded lines.
    for (const item of arrayOf(r.refund_line_items)) {
      const sub = shopMoney(item.subtotal_set);
      const tax = shopMoney(item.total_tax_set);
      currency ??= sub?.currency ?? null;
      if (sub) total += toMinorUnits(sub.amount, sub.currency);
      if (tax) total += toMinorUnits(tax.amount, tax.currency);
    }
  }
  if (!currency) throw new PayloadError('refund currency is unknown');
  // The refunded lines, by the line's GraphQL id where the plain one lost digits.
  const lineIds = arrayOf(r.refund_line_items).flatMap((item) => {
    const line = optionalObject(item.line_item);
    if (line && (line.admin_graphql_api_id || line.id !== undefined)) {
      return [shopifyId(line, 'refund_line_items[].line_item.id')];
    }
    const id = idString(item.line_item_id);
    return id ? [id] : [];
  });
  return {
    ...(lineIds.length > 0 && { lineExternalIds: lineIds }),
    orderExternalId,
    externalId: shopifyId(r, 'refund.id'),
    amount: Math.abs(total),
    currency,
    reason: text(r.note),
    refundedAt: date(r.processed_at) ?? date(r.created_at) ?? receivedAt,
  };
}

function customerFacts(c: Obj, fallbackAsOf: Date): CustomerFacts {
  const marketing = optionalObject(c.email_marketing_consent);
  const sms = optionalObject(c.sms_marketing_consent);
  const tags =
    typeof c.tags === 'string'
      ? c.tags
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean)
      : undefined;
  return {
    externalId: shopifyId(c, 'customer.id'),
    email: text(c.email),
    phone: text(c.phone),
    firstName: text(c.first_name),
    lastName: text(c.last_name),
    acceptsEmailMarketing: marketing
      ? marketing.state === 'subscribed'
      : typeof c.accepts_marketing === 'boolean'
        ? c.accepts_marketing
        : undefined,
    acceptsSmsMarketing: sms ? sms.state === 'subscribed' : undefined,
    tags,
    asOf: date(c.updated_at) ?? fallbackAsOf,
  };
}
