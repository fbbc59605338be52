import { toMinorUnits } from '../shared/money.ts';
import { idString } from '../shared/json.ts';
import { localParts, zonedTime } from '../shared/zoned-time.ts';
import type { Command, CustomerFacts, OrderFacts } from './facts.ts';
import { PayloadError } from './facts.ts';
import { arrayOf, asObject, optionalObject, requiredId, text, type Obj } from './payload.ts';

/**
 * Maps records pulled from PrestaShop's Webservice (platforms/prestashop/pull.ts) to commands.
 * Each record is wrapped by the connector with what the Webservice leaves out: the shop's time
 * zone (its times are zone-less wall clock), the order's ISO currency (it names an id_currency),
 * and whether the order's state is one of the shop's cancelled states:
 * `{"timezone": "Europe/Warsaw", "currency": "PLN", "cancelled": false, "order": {…}}`.
 * The module's live events (integrations/prestashop/lojal) arrive as Lojal's own /v1/events.
 */
export function commandsFromPrestaShop(
  topic: string,
  payload: unknown,
  receivedAt: Date,
): Command[] {
  const wrapper = asObject(payload, 'record');
  const timezone = text(wrapper.timezone);
  if (!timezone) throw new PayloadError('record.timezone is missing');
  const at = (value: unknown) => wallTime(value, timezone);
  switch (topic) {
    case 'order':
      return [{ kind: 'order', order: orderFacts(wrapper, at) }];
    case 'order_slip': {
      const slip = asObject(wrapper.order_slip, 'order_slip');
      const currency = text(wrapper.currency);
      if (!currency) throw new PayloadError('the refunded order’s currency is unknown');
      const products = decimal(slip.total_products_tax_incl) ?? decimal(slip.amount) ?? '0';
      const shipping =
        decimal(slip.total_shipping_tax_incl) ?? decimal(slip.shipping_cost_amount) ?? '0';
      return [
        {
          kind: 'refund',
          refund: {
            orderExternalId: requiredId(slip.id_order, 'order_slip.id_order'),
            externalId: requiredId(slip.id, 'order_slip.id'),
            amount: toMinorUnits(products, currency) + toMinorUnits(shipping, currency),
            currency,
            reason: null,
            refundedAt: at(slip.date_add) ?? at(slip.date_upd) ?? receivedAt,
          },
        },
      ];
    }
    case 'customer': {
      const c = asObject(wrapper.customer, 'customer');
      return [{ kind: 'customer', customer: customerFacts(c, at, receivedAt) }];
    }
    default:
      return [{ kind: 'ignore', reason: `topic ${topic} is not used by Lojal` }];
  }
}

function orderFacts(wrapper: Obj, at: (value: unknown) => Date | null): OrderFacts {
  const o = asObject(wrapper.order, 'order');
  const currency = text(wrapper.currency);
  if (!currency) throw new PayloadError('the order’s currency (id_currency) is unknown');
  const money = (value: unknown) => {
    const d = decimal(value);
    return d === null ? null : toMinorUnits(d, currency);
  };
  const placedAt = at(o.date_add);
  if (!placedAt) throw new PayloadError('order.date_add is missing or not a date');
  const asOf = at(o.date_upd) ?? placedAt;
  const total = money(o.total_paid_tax_incl) ?? money(o.total_paid);
  if (total === null) throw new PayloadError('order.total_paid_tax_incl is missing');
  const excl = money(o.total_paid_tax_excl);
  const customerId = idString(o.id_customer);
  const rows = arrayOf(optionalObject(o.associations)?.order_rows);
  // `valid` is 1 while the order's state counts as validated (paid, shipped, delivered…).
  const valid = String(o.valid ?? '') === '1';
  return {
    externalId: requiredId(o.id, 'order.id'),
    customer:
      customerId && customerId !== '0'
        ? ({ externalId: customerId, asOf } satisfies CustomerFacts)
        : null,
    email: null,
    currency,
    total,
    subtotal: money(o.total_products_wt),
    shipping: money(o.total_shipping_tax_incl) ?? money(o.total_shipping),
    tax: excl === null ? null : total - excl,
    discount: money(o.total_discounts_tax_incl) ?? money(o.total_discounts),
    discountCodes: [],
    lines: rows.map((r) => {
      const quantity = Number(r.product_quantity ?? 0);
      const variant = idString(r.product_attribute_id);
      return {
        externalId: idString(r.id),
        productId: idString(r.product_id),
        variantId: variant && variant !== '0' ? variant : null,
        sku: text(r.product_reference),
        title: text(r.product_name),
        categoryIds: [],
        quantity: Number.isFinite(quantity) ? quantity : 0,
        unitPrice: money(r.unit_price_tax_incl) ?? money(r.product_price) ?? 0,
      };
    }),
    placedAt,
    paidAt: valid ? (at(o.invoice_date) ?? placedAt) : null,
    cancelledAt: wrapper.cancelled === true ? asOf : null,
    fulfilledAt: at(o.delivery_date),
    asOf,
  };
}

function customerFacts(
  c: Obj,
  at: (value: unknown) => Date | null,
  receivedAt: Date,
): CustomerFacts {
  const birthday = text(c.birthday);
  return {
    externalId: requiredId(c.id, 'customer.id'),
    email: text(c.email),
    firstName: text(c.firstname),
    lastName: text(c.lastname),
    ...(birthday && /^\d{4}-\d{2}-\d{2}$/.test(birthday) && !birthday.startsWith('0000')
      ? { birthday }
      : {}),
    acceptsEmailMarketing: String(c.newsletter ?? '') === '1',
    asOf: at(c.date_upd) ?? at(c.date_add) ?? receivedAt,
  };
}

/** A decimal as PrestaShop writes it ("12.500000"), or null. */
function decimal(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value.trim())) return null;
  return value.trim();
}

/** A zone-less wall-clock time in the shop's zone; null for PrestaShop's zero date. */
function wallTime(value: unknown, timeZone: string): Date | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value.trim());
  if (!m || m[1] === '0000') return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  try {
    localParts(new Date(0), timeZone);
  } catch {
    throw new PayloadError(`record.timezone ${timeZone} is not a time zone`);
  }
  return new Date(zonedTime(timeZone, y!, mo!, d!, h!, mi!).getTime() + s! * 1000);
}
