import { toMinorUnits } from '../shared/money.ts';
import { idString } from '../shared/json.ts';
import type { Command, CustomerFacts, OrderFacts, ProductFacts } from './facts.ts';
import { PayloadError } from './facts.ts';
import {
  arrayOf,
  asObject,
  date,
  lineProperties,
  optionalObject,
  requiredDate,
  requiredId,
  text,
  type Obj,
} from './payload.ts';

const PAID_STATUSES = new Set(['processing', 'completed', 'refunded']);
// WooCommerce's *_gmt fields are UTC without a zone designator.
const utc = { assumeUtc: true };

/** Maps one WooCommerce webhook delivery (REST v3 resource shape) to commands. */
export function commandsFromWooCommerce(
  topic: string,
  payload: unknown,
  receivedAt: Date,
): Command[] {
  switch (topic) {
    case 'order.created':
    case 'order.updated':
    case 'order.restored': {
      const order = asObject(payload, 'order');
      const facts = orderFacts(order);
      const refunds = arrayOf(order.refunds).map((r) => ({
        kind: 'refund' as const,
        refund: {
          orderExternalId: facts.externalId,
          externalId: requiredId(r.id, 'refunds[].id'),
          amount: Math.abs(toMinorUnits(String(r.total ?? '0'), facts.currency)),
          currency: facts.currency,
          reason: text(r.reason),
          refundedAt: facts.asOf,
          ...refundedLines(r),
        },
      }));
      return [{ kind: 'order', order: facts }, ...refunds];
    }
    case 'customer.created':
    case 'customer.updated':
      return [
        { kind: 'customer', customer: customerFacts(asObject(payload, 'customer'), receivedAt) },
      ];
    case 'product.created':
    case 'product.updated':
    case 'product.restored': {
      const product = asObject(payload, 'product');
      // The product resource names no currency; the reconciliation pull adds the shop's. A
      // webhook's product without it would wipe the price, so it waits for the pull instead.
      if (!text(product.currency)) {
        return [
          { kind: 'ignore', reason: `${topic} without a currency: the pull brings products` },
        ];
      }
      return [{ kind: 'product', product: productFacts(product, receivedAt) }];
    }
    case 'order.deleted':
    case 'customer.deleted':
      return [{ kind: 'ignore', reason: `${topic} keeps the records Lojal already has` }];
    default:
      return [{ kind: 'ignore', reason: `topic ${topic} is not used by Lojal` }];
  }
}

/**
 * The order lines a refund names. An order's `refunds` list gives only amounts; the refund
 * resource (`GET /orders/{id}/refunds`, which the reconciliation pull adds to a partly refunded
 * order) lists its lines, each naming the order line in `line_item_id` (newer WooCommerce) or
 * its `_refunded_item_id` meta.
 */
function refundedLines(refund: Obj): { lineExternalIds?: string[] } {
  const ids = arrayOf(refund.line_items).flatMap((item) => {
    const meta = arrayOf(item.meta_data).find((m) => m.key === '_refunded_item_id');
    const id = idString(item.line_item_id) ?? idString(meta?.value);
    return id && id !== '0' ? [id] : [];
  });
  return ids.length > 0 ? { lineExternalIds: [...new Set(ids)] } : {};
}

function money(value: unknown, currency: string): number | null {
  return typeof value === 'string' || typeof value === 'number'
    ? toMinorUnits(String(value), currency)
    : null;
}

function orderFacts(o: Obj): OrderFacts {
  const currency = text(o.currency);
  if (!currency) throw new PayloadError('order.currency is missing');
  const placedAt = requiredDate(
    o.date_created_gmt ?? o.date_created,
    'order.date_created_gmt',
    utc,
  );
  const asOf = date(o.date_modified_gmt, utc) ?? placedAt;
  const total = money(o.total, currency);
  if (total === null) throw new PayloadError('order.total is missing');
  const status = String(o.status ?? '');
  const billing = optionalObject(o.billing);
  const customerId = idString(o.customer_id);
  const lines = arrayOf(o.line_items);
  const email = text(billing?.email);
  return {
    externalId: requiredId(o.id, 'order.id'),
    // customer_id 0 is a guest checkout
    customer:
      customerId && customerId !== '0'
        ? {
            externalId: customerId,
            email,
            phone: text(billing?.phone),
            firstName: text(billing?.first_name),
            lastName: text(billing?.last_name),
            asOf,
          }
        : null,
    email,
    currency,
    total,
    subtotal: lines.reduce((sum, l) => sum + (money(l.total, currency) ?? 0), 0),
    shipping: money(o.shipping_total, currency),
    tax: money(o.total_tax, currency),
    discount: money(o.discount_total, currency),
    discountCodes: arrayOf(o.coupon_lines)
      .map((c) => text(c.code))
      .filter((c): c is string => c !== null),
    lines: lines.map((l) => {
      const quantity = typeof l.quantity === 'number' ? l.quantity : 0;
      const lineSubtotal = money(l.subtotal, currency);
      const properties = lineProperties(l.meta_data);
      return {
        ...(properties && { properties }),
        externalId: idString(l.id),
        productId: idString(l.product_id),
        variantId: idString(l.variation_id) === '0' ? null : idString(l.variation_id),
        sku: text(l.sku),
        title: text(l.name),
        categoryIds: [],
        quantity,
        unitPrice:
          lineSubtotal !== null && quantity > 0
            ? Math.round(lineSubtotal / quantity)
            : (money(l.price, currency) ?? 0),
      };
    }),
    placedAt,
    paidAt: date(o.date_paid_gmt, utc) ?? (PAID_STATUSES.has(status) ? asOf : null),
    cancelledAt: status === 'cancelled' ? asOf : null,
    fulfilledAt: status === 'completed' ? (date(o.date_completed_gmt, utc) ?? asOf) : null,
    asOf,
  };
}

function customerFacts(c: Obj, receivedAt: Date): CustomerFacts {
  const billing = optionalObject(c.billing);
  return {
    externalId: requiredId(c.id, 'customer.id'),
    email: text(c.email),
    phone: text(billing?.phone),
    firstName: text(c.first_name),
    lastName: text(c.last_name),
    asOf: date(c.date_modified_gmt, utc) ?? date(c.date_created_gmt, utc) ?? receivedAt,
  };
}

function productFacts(p: Obj, receivedAt: Date): ProductFacts {
  const currency = text(p.currency)!;
  const images = arrayOf(p.images);
  const price = text(p.price);
  const status = text(p.status);
  return {
    externalId: requiredId(p.id, 'product.id'),
    name: text(p.name) ?? requiredId(p.id, 'product.id'),
    url: text(p.permalink),
    imageUrl: text(images[0]?.src),
    // "" for a product without a price (variable products price their variations)
    price: price ? money(price, currency) : null,
    currency: price ? currency : null,
    categoryIds: arrayOf(p.categories)
      .map((c) => idString(c.id))
      .filter((id): id is string => id !== null),
    // publish is on sale; draft, pending, private and trash are not
    active: status === null || status === 'publish',
    asOf: date(p.date_modified_gmt, utc) ?? date(p.date_created_gmt, utc) ?? receivedAt,
  };
}
