import { newId } from '../shared/ids.ts';
import type { CustomerFacts } from './facts.ts';
import type { BatchState, CustomerRow } from './batch-state.ts';
import { mergeCustomerFacts, type CustomerState } from './merge-customer-facts.ts';

/**
 * Creates the customer on first sight or applies the fields the facts hold newer data for.
 * Returns Lojal's customer id. Emits customer.created / customer.updated when data changed.
 */
export function applyCustomerFacts(state: BatchState, facts: CustomerFacts): string {
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

/** Erases personal data and keeps the customer (and its orders) as records; see RODO art. 17. */
export function applyRedaction(state: BatchState, externalId: string): void {
  const row = state.customers.get(externalId) ?? newCustomerRow(state, externalId);
  for (const value of [row.email, row.phone]) if (value) state.erased.add(value);
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
