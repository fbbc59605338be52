import { toMinorUnits } from '../shared/money.ts';
import { idString } from '../shared/json.ts';
import type { Command, CustomerFacts, LineFacts, OrderFacts } from './facts.ts';
import { PayloadError } from './facts.ts';
import { arrayOf, asObject, optionalObject, text, type Obj } from './payload.ts';

/**
 * Dotykačka / Dotypos (POS) records as the pull stores them (platforms/dotykacka/). Its webhooks
 * are unsigned and carry ids as floats with digits already lost, so Lojal never stores what a
 * webhook says: a webhook only wakes the pull, and only these pulled records (ids read exactly,
 * as strings) become orders.
 */
export const DOTYKACKA_TOPICS = {
  /** `DotykackaOrderRecord`: one API v2 order with its items and its customer, if any. */
  order: 'order',
} as const;

export interface DotykackaOrderRecord {
  /** The order as `GET /v2/clouds/{cloudId}/orders?include=orderItems` gave it (ids as strings). */
  order: unknown;
  /** The order's customer (`GET …/customers`), when one is attached and still exists. */
  customer: unknown;
}

// Order flags (docs.api.dotypos.com, entity Order): bit 2 = this document cancels another.
const FLAG_CANCELLATION = 1 << 2;
const NOT_SALES = new Set(['CASH_IN', 'CASH_OUT']);

/** Maps one stored Dotykačka record to commands. */
export function commandsFromDotykacka(
  topic: string,
  payload: unknown,
  _receivedAt: Date,
): Command[] {
  if (topic !== DOTYKACKA_TOPICS.order) {
    // e.g. a webhook body stored by mistake: never trusted (its ids are floats)
    return [
      { kind: 'ignore', reason: `topic ${topic} is not read: Dotykačka data comes from the pull` },
    ];
  }
  const record = asObject(payload, 'record');
  const o = asObject(record.order, 'order');
  const id = requiredId(o.id, 'order.id');
  const documentType = text(o.documentType);
  if (documentType && NOT_SALES.has(documentType)) {
    return [{ kind: 'ignore', reason: `${documentType} is a cash movement, not a sale` }];
  }
  const currency = text(o.currency);
  if (!currency) throw new PayloadError('order.currency is missing');
  const flags = Number(o.flags ?? 0);
  const asOf = requiredTime(o.versionDate, 'order.versionDate');
  if ((flags & FLAG_CANCELLATION) !== 0) {
    // A cancellation (storno) document: its negative total is money given back on the order
    // it cancels, which stays paid; this is a refund of it.
    const source = idString(o._sourceOrderId) ?? idString(o._relatedOrderId);
    if (!source) throw new PayloadError('a cancellation document without _sourceOrderId');
    const amount = Math.abs(money(o.totalValueRounded, currency, 'order.totalValueRounded'));
    if (amount === 0) return [{ kind: 'ignore', reason: 'a cancellation of nothing' }];
    return [
      {
        kind: 'refund',
        refund: {
          orderExternalId: source,
          externalId: `cancellation:${id}`,
          amount,
          currency,
          reason: text(o.note),
          refundedAt: time(o.completed) ?? time(o.created) ?? asOf,
        },
      },
    ];
  }
  return [{ kind: 'order', order: orderFacts(o, id, currency, asOf, record.customer) }];
}

function orderFacts(
  o: Obj,
  id: string,
  currency: string,
  asOf: Date,
  rawCustomer: unknown,
): OrderFacts {
  const customer = customerFacts(o, rawCustomer, asOf);
  const lines = arrayOf(o.orderItems)
    .filter((i) => !time(i.canceledDate))
    .map((i): LineFacts => {
      const qty = Number(i.quantity);
      const whole = Number.isInteger(qty) && qty > 0;
      // weighed goods (0.35 kg) count as one line of their total price
      return {
        externalId: idString(i.id),
        productId: idString(i._productId),
        variantId: null,
        sku: null,
        title: text(i.name),
        categoryIds: idString(i._categoryId) ? [idString(i._categoryId)!] : [],
        quantity: whole ? qty : 1,
        unitPrice: whole
          ? money(
              i.billedUnitPriceWithVat ?? i.unitPriceWithVat,
              currency,
              'orderItems[].billedUnitPriceWithVat',
            )
          : money(i.totalPriceWithVat, currency, 'orderItems[].totalPriceWithVat'),
      };
    });
  const placedAt = time(o.created) ?? asOf;
  const paid = o.paid === true;
  const cancelled = !paid && (text(o.status) === 'canceled' || time(o.canceledDate) !== null);
  return {
    externalId: id,
    customer,
    email: customer?.email ?? null,
    currency,
    total: money(o.totalValueRounded, currency, 'order.totalValueRounded'),
    subtotal: null,
    shipping: null,
    tax: null,
    discount: null,
    discountCodes: [],
    lines,
    placedAt,
    paidAt: paid ? (time(o.completed) ?? asOf) : null,
    cancelledAt: cancelled ? (time(o.canceledDate) ?? asOf) : null,
    fulfilledAt: null,
    asOf,
  };
}

/**
 * A POS order has a customer only when the cashier attached one (a loyalty customer in
 * Dotykačka): an order without one still counts for the shop's figures, and earns nobody points.
 */
function customerFacts(o: Obj, raw: unknown, orderAsOf: Date): CustomerFacts | null {
  const customerId = idString(o._customerId);
  if (!customerId) return null;
  const c = optionalObject(raw);
  if (!c || idString(c.id) !== customerId) return { externalId: customerId, asOf: orderAsOf };
  const email = text(c.email);
  return {
    externalId: customerId,
    email: email?.toLowerCase() ?? null,
    phone: text(c.phone),
    firstName: text(c.firstName),
    lastName: text(c.lastName),
    asOf: time(c.versionDate) ?? orderAsOf,
  };
}

function requiredId(value: unknown, field: string): string {
  const id = idString(value);
  if (id === null) throw new PayloadError(`${field} is missing`);
  return id;
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

/**
 * Dotykačka's timestamps: ISO 8601 with a zone written `+0000` (API v2 samples), or epoch
 * milliseconds. Unverified beyond the samples: anything else is refused by name.
 */
export function dotykackaTime(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? new Date(value) : null;
  if (typeof value !== 'string') return null;
  if (/^\d{12,}$/.test(value)) return new Date(Number(value));
  const iso = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  if (!/(?:Z|[+-]\d{2}:\d{2})$/.test(iso)) return null; // a zone-less time would be a guess
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

const time = dotykackaTime;

function requiredTime(value: unknown, field: string): Date {
  const d = dotykackaTime(value);
  if (!d) throw new PayloadError(`${field} is missing or not a time with a zone: ${String(value)}`);
  return d;
}
