import { toMinorUnits } from '../shared/money.ts';
import { idString } from '../shared/json.ts';
import { wallClockInstant } from '../shared/zoned-time.ts';
import type { ShippingAddress } from '../db/schema.ts';
import type { Command, CustomerFacts, LineFacts, OrderFacts } from './facts.ts';
import { PayloadError } from './facts.ts';
import { arrayOf, asObject, optionalObject, requiredId, text, type Obj } from './payload.ts';

/**
 * Shoper's records (webhook deliveries and pulled rows alike) are stored wrapped in an envelope
 * that carries what the record itself does not say and the adapter must know to stay a pure
 * function of what was stored:
 *
 *   { "context": { "timezone": "Europe/Warsaw", "currency": "PLN", "statuses": {…} | null },
 *     "data": <the Shoper JSON exactly as sent> }
 *
 * - `timezone`: Shoper writes times without a zone, in the shop's local time. The zone in force
 *   when the record was received is kept with it, so a replay months later reads the same instants
 *   even if the shop's zone setting changed since.
 * - `currency`: Shoper amounts carry no currency code (only `currency_id`).
 * - `statuses`: which of the shop's own status ids mean paid, cancelled and refunded
 *   (platforms/shoper/statuses.ts). Null when the receiver did not know them (a webhook before the
 *   connection settings exist): the order's own `status.type` is read instead if it has one.
 *
 * Webhook route and connector build the envelope with `shoperEnvelope`.
 */
export interface ShoperContext {
  timezone: string;
  currency: string;
  statuses: ShoperStatusMap | null;
}

/** Status ids (strings, as Shoper sends them) by what they mean to Lojal. */
export interface ShoperStatusMap {
  paid: string[];
  cancelled: string[];
  /** A change to one of these is read as a full refund: Shoper has no refund event. */
  refunded: string[];
}

/** The stored body: the context, then the raw Shoper JSON text verbatim. */
export function shoperEnvelope(context: ShoperContext, rawJson: string): string {
  return `{"context":${JSON.stringify(context)},"data":${rawJson}}`;
}

// Status types of Shoper's /statuses: 1 new, 2 opened (in progress), 3 closed (done), 4 not
// completed (cancelled, rejected, returned: the names tell them apart).
const CLOSED = '3';
const NOT_COMPLETED = '4';
const REFUND_WORDS = /zwr[oó]c|zwrot|refund|return|rückerstatt|retour/i;

/** What a status of the given type and names means by default (the merchant can override per id). */
export function classifyShoperStatus(
  type: string | null,
  names: string[],
): 'paid' | 'cancelled' | 'refunded' | null {
  if (type === CLOSED) return 'paid';
  if (type === NOT_COMPLETED) {
    return names.some((n) => REFUND_WORDS.test(n)) ? 'refunded' : 'cancelled';
  }
  return null;
}

/** Maps one Shoper record (webhook topic or pulled record, same shapes) to commands. */
export function commandsFromShoper(topic: string, payload: unknown, receivedAt: Date): Command[] {
  const envelope = asObject(payload, 'body');
  const context = readContext(envelope.context);
  const data = asObject(envelope.data, 'data');
  switch (topic) {
    case 'order.create':
    case 'order.edit':
    case 'order.paid':
    case 'order.status':
      return orderCommands(data, context);
    case 'client.create':
    case 'client.edit':
      return [{ kind: 'customer', customer: userFacts(data, context, receivedAt) }];
    case 'order.delete':
    case 'client.delete':
      return [{ kind: 'ignore', reason: `${topic} keeps the records Lojal already has` }];
    default:
      return [{ kind: 'ignore', reason: `topic ${topic} is not used by Lojal` }];
  }
}

function readContext(value: unknown): ShoperContext {
  const c = asObject(value, 'context');
  const timezone = text(c.timezone);
  const currency = text(c.currency);
  if (!timezone) throw new PayloadError('context.timezone is missing');
  if (!currency) throw new PayloadError('context.currency is missing');
  const s = optionalObject(c.statuses);
  const ids = (v: unknown) =>
    Array.isArray(v) ? v.map(idString).filter((x): x is string => x !== null) : [];
  return {
    timezone,
    currency,
    statuses: s
      ? { paid: ids(s.paid), cancelled: ids(s.cancelled), refunded: ids(s.refunded) }
      : null,
  };
}

function localTime(value: unknown, context: ShoperContext): Date | null {
  return typeof value === 'string' ? wallClockInstant(value, context.timezone) : null;
}

function money(value: unknown, currency: string): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  if (typeof value === 'string' && value.trim() === '') return null;
  return toMinorUnits(String(value), currency);
}

/** "0"/"1", 0/1 and booleans, as Shoper mixes them. */
function flag(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}

function statusMeaning(o: Obj, context: ShoperContext): 'paid' | 'cancelled' | 'refunded' | null {
  const statusId = idString(o.status_id);
  const map = context.statuses;
  if (map && statusId) {
    if (map.refunded.includes(statusId)) return 'refunded';
    if (map.cancelled.includes(statusId)) return 'cancelled';
    if (map.paid.includes(statusId)) return 'paid';
    return null;
  }
  // No map: the order's own status object, when the delivery carries one.
  const status = optionalObject(o.status);
  if (!status) return null;
  const names = Object.values(optionalObject(status.translations) ?? {})
    .map((t) => text(optionalObject(t)?.name))
    .filter((n): n is string => n !== null);
  const name = text(status.name);
  return classifyShoperStatus(idString(status.type), name ? [...names, name] : names);
}

function orderCommands(o: Obj, context: ShoperContext): Command[] {
  const { currency } = context;
  const externalId = requiredId(o.order_id, 'order.order_id');
  const placedAt = localTime(o.date, context);
  if (!placedAt) throw new PayloadError('order.date is missing or not a local date-time');
  const statusAt = localTime(o.status_date, context);
  // Shoper keeps no modification time on orders: the status change is the newest it tells.
  const asOf = statusAt && statusAt > placedAt ? statusAt : placedAt;
  const total = money(o.sum, currency);
  if (total === null) throw new PayloadError('order.sum is missing');
  const paidAmount = money(o.paid, currency) ?? 0;
  const meaning = statusMeaning(o, context);
  const paid = flag(o.is_paid) || (total > 0 && paidAmount >= total) || meaning === 'paid';
  const billing = optionalObject(o.billing_address);
  const delivery = optionalObject(o.delivery_address);
  const email = text(o.email);
  const userId = idString(o.user_id);
  const lines = arrayOf(o.products).map((p) => lineFacts(p, currency));
  const shipping = money(o.shipping_cost, currency);
  const code = text(o.promo_code);
  const facts: OrderFacts = {
    externalId,
    // user_id is null (or 0) for a guest checkout
    customer:
      userId && userId !== '0'
        ? {
            externalId: userId,
            email,
            phone: text(billing?.phone),
            firstName: text(billing?.firstname),
            lastName: text(billing?.lastname),
            asOf,
          }
        : null,
    email,
    currency,
    total,
    subtotal: lines.length > 0 ? lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0) : null,
    shipping,
    tax: null,
    discount: null,
    discountCodes: code ? [code] : [],
    shippingAddress: addressOf(delivery),
    lines,
    placedAt,
    paidAt: paid ? asOf : null,
    cancelledAt: meaning === 'cancelled' ? asOf : null,
    fulfilledAt: null,
    asOf,
  };
  const commands: Command[] = [{ kind: 'order', order: facts }];
  if (meaning === 'refunded') {
    // No refund event exists: a move to a refund status is read as the whole order returned.
    // One refund per order, whatever the number of deliveries saying so.
    commands.push({
      kind: 'refund',
      refund: {
        orderExternalId: externalId,
        externalId: `status-refund:${externalId}`,
        amount: total,
        currency,
        reason: `Shoper status ${idString(o.status_id) ?? '?'}`,
        refundedAt: statusAt ?? asOf,
      },
    });
  }
  return commands;
}

/** The delivery address when complete enough to ship to; undefined keeps what Lojal has. */
function addressOf(a: Obj | null): ShippingAddress | undefined {
  if (!a) return undefined;
  const line1 = text(a.street1);
  const city = text(a.city);
  const postalCode = text(a.postcode);
  const country = text(a.country_code);
  if (!line1 || !city || !postalCode || !country) return undefined;
  return { line1, line2: text(a.street2), city, postalCode, country };
}

function lineFacts(p: Obj, currency: string): LineFacts {
  // quantity can be fractional (kg): Lojal counts whole units, at least one per line
  const quantity = Math.max(1, Math.round(Number(p.quantity ?? 1)) || 1);
  const price = money(p.price, currency) ?? 0;
  const discountPerc = Number(p.discount_perc ?? 0) || 0;
  const productId = idString(p.product_id);
  const stockId = idString(p.stock_id);
  return {
    externalId: idString(p.id),
    // 0: a line not (or no longer) in the catalogue
    productId: productId && productId !== '0' ? productId : null,
    variantId: stockId && stockId !== '0' ? stockId : null,
    sku: text(p.code),
    title: text(p.name),
    categoryIds: [],
    quantity,
    unitPrice: Math.round(price * (1 - discountPerc / 100)),
  };
}

function userFacts(u: Obj, context: ShoperContext, receivedAt: Date): CustomerFacts {
  return {
    externalId: requiredId(u.user_id, 'user.user_id'),
    email: text(u.email),
    firstName: text(u.firstname),
    lastName: text(u.lastname),
    ...('newsletter' in u ? { acceptsEmailMarketing: flag(u.newsletter) } : {}),
    // Users carry no modification time: the receipt orders them.
    asOf: receivedAt,
    asOfIsReceipt: true,
  };
}
