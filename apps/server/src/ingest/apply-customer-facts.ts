import { newId } from '../shared/ids.ts';
import { phoneForms, toE164 } from '../shared/phone.ts';
import type { CustomerFacts, ErasureRequest } from './facts.ts';
import type { BatchState, CustomerRow } from './batch-state.ts';
import { mergeCustomerFacts, type CustomerState } from './merge-customer-facts.ts';

/**
 * Creates the customer on first sight or applies the fields the facts hold newer data for.
 * Returns Lojal's customer id. Emits customer.created / customer.updated when data changed.
 */
export function applyCustomerFacts(state: BatchState, given: CustomerFacts): string {
  const facts = withE164Phone(state, given);
  const existing = state.customers.get(facts.externalId);
  const row: CustomerRow = existing ?? newCustomerRow(state, facts.externalId);
  const merged = mergeCustomerFacts(asMergeState(row), facts);
  const changed = Object.keys(merged.changes).length > 0;
  const timesChanged = JSON.stringify(merged.fieldTimes) !== JSON.stringify(row.field_times);
  if (existing && !changed && !timesChanged) return row.id;

  Object.assign(row, merged.changes);
  row.field_times = merged.fieldTimes;
  if (!row.source_updated_at || facts.asOf > row.source_updated_at)
    row.source_updated_at = facts.asOf;
  if (changed) row.updated_at = state.now;
  state.customers.set(row.external_id, row);
  state.dirtyCustomers.add(row.id);
  if (!existing) {
    state.domainEvents.push({
      type: 'customer.created',
      shopId: state.shopId,
      customerId: row.id,
      at: facts.asOf,
      ...(facts.history && { history: true }),
    });
  } else if (changed) {
    state.domainEvents.push({
      type: 'customer.updated',
      shopId: state.shopId,
      customerId: row.id,
      at: facts.asOf,
    });
  }
  return row.id;
}

/**
 * Every way customer data arrives (the events API, Shopify, WooCommerce) passes here, so the
 * phone is stored in E.164, read in the shop's region. The API refuses a number that is none
 * (400); a platform's delivery keeps the rest of its data, and the event's reason says why the
 * phone was left out: an order is never lost for a phone.
 */
function withE164Phone(state: BatchState, facts: CustomerFacts): CustomerFacts {
  if (typeof facts.phone !== 'string') return facts;
  const phone = facts.phone.trim() === '' ? null : toE164(facts.phone, state.phoneRegion);
  if (phone !== null || facts.phone.trim() === '') return { ...facts, phone };
  state.notes.push(
    `customer ${facts.externalId}: the phone is not a valid number${state.phoneRegion ? ` in ${state.phoneRegion}` : ''} and was not stored`,
  );
  return { ...facts, phone: undefined };
}

/** Erases personal data and keeps the customer (and its orders) as records; see RODO art. 17. */
export function applyRedaction(
  state: BatchState,
  externalId: string,
  request?: ErasureRequest,
): void {
  const row = state.customers.get(externalId) ?? newCustomerRow(state, externalId);
  const erased = new Set<string>();
  if (row.email) erased.add(row.email);
  // The phone is stored in E.164; raw deliveries hold it as the shop sent it.
  for (const form of row.phone ? phoneForms(row.phone) : []) erased.add(form);
  for (const value of erased) state.erased.add(value);
  const names = [row.first_name, row.last_name].filter((n): n is string => !!n);
  Object.assign(row, {
    email: null,
    phone: null,
    first_name: null,
    last_name: null,
    birthday: null,
  });
  row.redacted_at ??= state.now;
  row.updated_at = state.now;
  state.customers.set(externalId, row);
  state.dirtyCustomers.add(row.id);
  state.redacted.add(row.id);
  for (const order of state.orders.values()) {
    if (order.customer_id === row.id && (order.email !== null || order.shipping_address !== null)) {
      order.email = null;
      order.shipping_address = null;
      state.dirtyOrders.add(order.id);
    }
  }
  state.domainEvents.push({
    type: 'customer.redacted',
    shopId: state.shopId,
    customerId: row.id,
    at: state.now,
    erased: [...erased, ...names],
    ...(request && { request }),
  });
}

function newCustomerRow(state: BatchState, externalId: string): CustomerRow {
  return {
    shop_id: state.shopId,
    id: newId('cus'),
    external_id: externalId,
    email: null,
    phone: null,
    first_name: null,
    last_name: null,
    birthday: null,
    accepts_email_marketing: null,
    accepts_sms_marketing: null,
    tags: [],
    field_times: {},
    source_updated_at: null,
    redacted_at: null,
    created_at: state.now,
    updated_at: state.now,
  };
}

function asMergeState(row: CustomerRow): CustomerState {
  return {
    values: {
      email: row.email,
      phone: row.phone,
      first_name: row.first_name,
      last_name: row.last_name,
      birthday: row.birthday,
      accepts_email_marketing: row.accepts_email_marketing,
      accepts_sms_marketing: row.accepts_sms_marketing,
      tags: row.tags,
    },
    fieldTimes: row.field_times,
    redacted: row.redacted_at !== null,
  };
}
