import { toMinorUnits } from '../shared/money.ts';
import { idString } from '../shared/json.ts';
import { wallClockInstant } from '../shared/zoned-time.ts';
import type { Command, LineFacts, OrderFacts } from './facts.ts';
import { PayloadError } from './facts.ts';
import { arrayOf, asObject, optionalObject, text, type Obj } from './payload.ts';

/**
 * IdoSell orders, pulled (IdoSell pushes nothing), stored wrapped in an envelope that carries what
 * the order does not say, so the adapter stays a pure function of what was stored:
 *
 *   { "context": { "timezone": "Europe/Warsaw", "statuses": {…} }, "data": <one order of
 *     orders/orders/search's Results, as IdoSell sent it> }
 *
 * IdoSell writes zone-less local times ("2025-03-01 10:00:00"), read in the zone kept here.
 * Field names follow IdoSell's admin API as public clients use it (orderId, orderSerialNumber,
 * clientResult.clientAccount, orderDetails.{orderStatus, orderAddDate, orderChangeDate,
 * payments.orderCurrency, productsResults}); *unverified* against a live shop.
 */
export interface IdoSellContext {
  timezone: string;
  statuses: IdoSellStatusMap;
}

/** IdoSell's order statuses (fixed names) by what they mean to Lojal. */
export interface IdoSellStatusMap {
  paid: string[];
  cancelled: string[];
  /** A change to one of these is read as the whole order refunded. */
  refunded: string[];
}

export const DEFAULT_IDOSELL_STATUSES: IdoSellStatusMap = {
  paid: ['finished', 'finished_ext'],
  // joined: merged into another order, which carries the sale
  cancelled: ['canceled', 'all_canceled', 'false', 'lost', 'missing', 'joined'],
  refunded: ['returned', 'complainted'],
};

export function idosellEnvelope(context: IdoSellContext, rawJson: string): string {
  return `{"context":${JSON.stringify(context)},"data":${rawJson}}`;
}

export function commandsFromIdoSell(topic: string, payload: unknown, _receivedAt: Date): Command[] {
  if (topic !== 'order') return [{ kind: 'ignore', reason: `topic ${topic} is not used by Lojal` }];
  const envelope = asObject(payload, 'body');
  const c = asObject(envelope.context, 'context');
  const timezone = text(c.timezone);
  if (!timezone) throw new PayloadError('context.timezone is missing');
  const s = optionalObject(c.statuses);
  const list = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  const statuses: IdoSellStatusMap = s
    ? { paid: list(s.paid), cancelled: list(s.cancelled), refunded: list(s.refunded) }
    : DEFAULT_IDOSELL_STATUSES;
  return orderCommands(asObject(envelope.data, 'data'), timezone, statuses);
}

/**
 * The order's id in Lojal: `orderSerialNumber`, the number the shop's panel and its e-mails to
 * customers show ("zamówienie nr 1234"), and the one other systems fed from IdoSell carry;
 * `orderId` ("shop-1234") is IdoSell's internal key.
 */
export function idosellOrderKey(o: Obj): string | null {
  return idString(o.orderSerialNumber) ?? null;
}

function orderCommands(o: Obj, zone: string, statuses: IdoSellStatusMap): Command[] {
  const externalId = idosellOrderKey(o);
  if (!externalId) throw new PayloadError('order.orderSerialNumber is missing');
  const d = asObject(o.orderDetails, 'order.orderDetails');
  const local = (v: unknown) => (typeof v === 'string' ? wallClockInstant(v, zone) : null);
  const placedAt = local(d.orderAddDate);
  if (!placedAt)
    throw new PayloadError('orderDetails.orderAddDate is missing or not a local date-time');
  const changedAt = local(d.orderChangeDate);
  const asOf = changedAt && changedAt > placedAt ? changedAt : placedAt;
  const payments = optionalObject(d.payments);
  const amounts = optionalObject(payments?.orderCurrency);
  const currency = text(amounts?.currencyId);
  if (!amounts || !currency)
    throw new PayloadError('orderDetails.payments.orderCurrency is missing');
  const money = (v: unknown) =>
    typeof v === 'number' || (typeof v === 'string' && v.trim() !== '')
      ? toMinorUnits(String(v), currency)
      : 0;
  const products = money(amounts.orderProductsCost);
  const shipping = money(amounts.orderDeliveryCost);
  const total =
    products + shipping + money(amounts.orderPayformCost) + money(amounts.orderInsuranceCost);
  const status = text(d.orderStatus) ?? '';
  const account = optionalObject(optionalObject(o.clientResult)?.clientAccount);
  const billing = optionalObject(optionalObject(o.clientResult)?.clientBillingAddress);
  const clientId = idString(account?.clientId);
  const email = text(account?.clientEmail);
  const lines: LineFacts[] = arrayOf(d.productsResults).map((p) => {
    const quantity = Math.max(1, Math.round(Number(p.productQuantity ?? 1)) || 1);
    return {
      externalId: null,
      productId: idString(p.productId),
      variantId: idString(p.sizeId),
      sku: text(p.productCode),
      title: text(p.productName),
      categoryIds: [],
      quantity,
      unitPrice: money(p.productOrderPrice),
    };
  });
  const facts: OrderFacts = {
    externalId,
    customer:
      clientId && clientId !== '0'
        ? {
            externalId: clientId,
            email,
            phone: text(account?.clientPhone1),
            firstName: text(billing?.clientFirstName),
            lastName: text(billing?.clientLastName),
            asOf,
          }
        : null,
    email,
    currency,
    total,
    subtotal: products,
    shipping,
    tax: null,
    discount: null,
    discountCodes: [],
    lines,
    placedAt,
    paidAt: statuses.paid.includes(status) || statuses.refunded.includes(status) ? asOf : null,
    cancelledAt: statuses.cancelled.includes(status) ? asOf : null,
    fulfilledAt: statuses.paid.includes(status) ? asOf : null,
    asOf,
  };
  const commands: Command[] = [{ kind: 'order', order: facts }];
  if (statuses.refunded.includes(status)) {
    commands.push({
      kind: 'refund',
      refund: {
        orderExternalId: externalId,
        externalId: `status-refund:${externalId}`,
        amount: total,
        currency,
        reason: `IdoSell status ${status}`,
        refundedAt: asOf,
      },
    });
  }
  return commands;
}
