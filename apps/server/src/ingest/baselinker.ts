import { toMinorUnits } from '../shared/money.ts';
import { idString } from '../shared/json.ts';
import type { Command, CustomerFacts, LineFacts, OrderFacts } from './facts.ts';
import { PayloadError } from './facts.ts';
import { arrayOf, asObject, text, type Obj } from './payload.ts';

/**
 * BaseLinker (Base.com) records as the pull stores them (platforms/baselinker/): BaseLinker has no
 * webhooks, so every record is an envelope the connector wrote around BaseLinker's own answer.
 * The envelope carries what the order alone does not say (when this version was seen, the shop's
 * status mapping), so this adapter stays a pure function of the stored record.
 */
export const BASELINKER_TOPICS = {
  /** `BaseLinkerOrderRecord`: one `getOrders` order. */
  order: 'order',
  /** `BaseLinkerRemovedRecord`: the journal said the order was removed and it is gone. */
  removed: 'order.removed',
  /** `BaseLinkerReturnRecord`: one `getOrderReturns` return, counted as a refund. */
  return: 'return',
} as const;

export interface BaseLinkerOrderRecord {
  /** The order exactly as `getOrders` gave it. */
  order: unknown;
  /** When this version was seen, unix seconds: the journal event's date, or the order's own newest date. */
  asOf: number;
  /** When BaseLinker's journal said it was paid (log type 3), unix seconds, if this pull saw it. */
  paidAt: number | null;
  /** The shop's settings: order status ids that mean paid / cancelled. */
  paidStatusIds: string[];
  cancelledStatusIds: string[];
}

export interface BaseLinkerRemovedRecord {
  orderId: string;
  /** The journal event's date, unix seconds. */
  removedAt: number;
}

export interface BaseLinkerReturnRecord {
  /** The return exactly as `getOrderReturns` gave it. */
  return: unknown;
}

// fulfillment_status of a return: 0 active, 1 done, 2 cancelled, 5 accepted
const RETURN_CANCELLED = '2';

/** Maps one stored BaseLinker record to commands. */
export function commandsFromBaseLinker(
  topic: string,
  payload: unknown,
  _receivedAt: Date,
): Command[] {
  switch (topic) {
    case BASELINKER_TOPICS.order: {
      const record = asObject(payload, 'record');
      const facts = orderFacts(record);
      return facts
        ? [{ kind: 'order', order: facts }]
        : [{ kind: 'ignore', reason: 'unconfirmed order' }];
    }
    case BASELINKER_TOPICS.removed: {
      const record = asObject(payload, 'record');
      const orderId = idString(record.orderId);
      if (!orderId) throw new PayloadError('orderId is missing');
      return [
        {
          kind: 'cancel',
          orderExternalId: orderId,
          cancelledAt: unixDate(record.removedAt, 'removedAt'),
        },
      ];
    }
    case BASELINKER_TOPICS.return: {
      const r = asObject(asObject(payload, 'record').return, 'return');
      if (idString(r.fulfillment_status) === RETURN_CANCELLED) {
        return [{ kind: 'ignore', reason: 'the return was cancelled' }];
      }
      const currency = text(r.currency);
      if (!currency) throw new PayloadError('return.currency is missing');
      const amount = arrayOf(r.products).reduce(
        (sum, p) =>
          sum + money(p.price_brutto, currency, 'return.products[].price_brutto') * quantity(p),
        0,
      );
      if (amount <= 0) return [{ kind: 'ignore', reason: 'the return has no value' }];
      return [
        {
          kind: 'refund',
          refund: {
            orderExternalId: requiredId(r.order_id, 'return.order_id'),
            externalId: `return:${requiredId(r.return_id, 'return.return_id')}`,
            amount,
            currency,
            reason: null,
            refundedAt: unixDate(r.date_add, 'return.date_add'),
          },
        },
      ];
    }
    default:
      return [{ kind: 'ignore', reason: `topic ${topic} is not used by Lojal` }];
  }
}

/**
 * BaseLinker has no customer entity: a buyer is known by the e-mail on the order, or by the
 * phone when there is no e-mail. The external id is derived from it, so every order with the
 * same e-mail (in any letter case) lands on one customer: `email:jan@example.pl`, or
 * `phone:+48600100200` (digits and a leading plus kept). Null: a buyer with neither.
 */
export function baseLinkerCustomerId(email: string | null, phone: string | null): string | null {
  if (email) return `email:${email.toLowerCase()}`;
  const digits = phone ? normalPhone(phone) : null;
  return digits ? `phone:${digits}` : null;
}

function normalPhone(phone: string): string | null {
  const plus = phone.trim().startsWith('+') ? '+' : '';
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 6 ? plus + digits : null;
}

function orderFacts(record: Obj): OrderFacts | null {
  const o = asObject(record.order, 'order');
  // Unconfirmed orders may still be incomplete (BaseLinker's own advice): the journal's
  // confirmation event (type 2) brings the order again once it is confirmed.
  if (o.confirmed === false) return null;
  const externalId = requiredId(o.order_id, 'order.order_id');
  const currency = text(o.currency);
  if (!currency) throw new PayloadError('order.currency is missing');
  const asOf = unixDate(record.asOf, 'asOf');
  const placedAt = unixDate(o.date_add, 'order.date_add');
  const lines: LineFacts[] = arrayOf(o.products).map((p) => ({
    externalId: idString(p.order_product_id),
    productId: nonZero(idString(p.product_id)),
    variantId: nonZero(idString(p.variant_id)),
    sku: text(p.sku),
    title: text(p.name),
    categoryIds: [],
    quantity: quantity(p),
    unitPrice: money(p.price_brutto, currency, 'order.products[].price_brutto'),
  }));
  const subtotal = lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
  const shipping =
    o.delivery_price === undefined ? 0 : money(o.delivery_price, currency, 'order.delivery_price');
  const total = subtotal + shipping;
  const paymentDone =
    o.payment_done === undefined ? 0 : money(o.payment_done, currency, 'order.payment_done');
  const status = idString(o.order_status_id);
  const paidByStatus = status !== null && ids(record.paidStatusIds).includes(status);
  const cancelled = status !== null && ids(record.cancelledStatusIds).includes(status);
  const paidByPayment = total > 0 && paymentDone >= total;
  const paid = paidByPayment || paidByStatus;
  const confirmedAt = optionalUnixDate(o.date_confirmed);
  const inStatusAt = optionalUnixDate(o.date_in_status);
  const email = text(o.email);
  const phone = text(o.phone);
  const customerId = baseLinkerCustomerId(email, phone);
  const [firstName, lastName] = splitName(text(o.invoice_fullname) ?? text(o.delivery_fullname));
  const customer: CustomerFacts | null = customerId
    ? {
        externalId: customerId,
        email: email?.toLowerCase() ?? null,
        phone,
        firstName,
        lastName,
        asOf,
      }
    : null;
  return {
    externalId,
    customer,
    email: email?.toLowerCase() ?? null,
    currency,
    total,
    subtotal,
    shipping,
    tax: null,
    discount: null,
    discountCodes: [],
    lines,
    placedAt,
    // The journal's payment event is the payment time; without it, a history order was paid when
    // confirmed, and an order paid only by its status when it entered that status.
    paidAt: paid
      ? (optionalUnixDate(record.paidAt) ??
        (paidByPayment ? null : inStatusAt) ??
        confirmedAt ??
        placedAt)
      : null,
    cancelledAt: cancelled ? (inStatusAt ?? asOf) : null,
    fulfilledAt: null,
    asOf,
  };
}

function splitName(full: string | null): [string | null, string | null] {
  if (!full) return [null, null];
  const space = full.indexOf(' ');
  return space < 0 ? [full, null] : [full.slice(0, space), full.slice(space + 1).trim() || null];
}

function nonZero(id: string | null): string | null {
  return id === '0' ? null : id;
}

function ids(value: unknown): string[] {
  return Array.isArray(value) ? value.map(idString).filter((v): v is string => v !== null) : [];
}

function requiredId(value: unknown, field: string): string {
  const id = idString(value);
  if (id === null) throw new PayloadError(`${field} is missing`);
  return id;
}

function quantity(p: Obj): number {
  const q = typeof p.quantity === 'number' ? p.quantity : Number(p.quantity);
  return Number.isFinite(q) && q > 0 ? q : 0;
}

function money(value: unknown, currency: string, field: string): number {
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw new PayloadError(`${field} is not an amount`);
  }
  try {
    return toMinorUnits(value, currency);
  } catch {
    throw new PayloadError(`${field} is not an amount: ${String(value)}`);
  }
}

/** BaseLinker times are unix timestamps in seconds (zone-less by nature). */
function optionalUnixDate(value: unknown): Date | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? new Date(n * 1000) : null;
}

function unixDate(value: unknown, field: string): Date {
  const d = optionalUnixDate(value);
  if (!d) throw new PayloadError(`${field} is missing or not a unix time`);
  return d;
}
