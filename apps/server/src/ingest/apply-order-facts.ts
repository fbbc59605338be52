import { newId } from '../shared/ids.ts';
import type { OrderFacts } from './facts.ts';
import { waitingForOrder, type BatchState, type OrderRow } from './batch-state.ts';
import { applyCustomerFacts } from './apply-customer-facts.ts';

/**
 * Stores an order or merges newer data into it. Order data (amounts, lines, codes) follows the
 * newest source time; paid / cancelled / fulfilled only ever move forward and keep their
 * earliest time, so deliveries in any order end in the same order, and each transition is
 * emitted once.
 */
export function applyOrderFacts(state: BatchState, facts: OrderFacts): void {
  const customerId = facts.customer ? applyCustomerFacts(state, facts.customer) : null;
  const customer = facts.customer ? state.customers.get(facts.customer.externalId) : undefined;
  const existing = state.orders.get(facts.externalId);
  const row: OrderRow = existing ?? {
    shop_id: state.shopId,
    id: newId('ord'),
    external_id: facts.externalId,
    customer_id: customerId,
    email: null,
    currency: facts.currency,
    total: 0,
    subtotal: null,
    shipping: null,
    tax: null,
    discount: null,
    discount_codes: [],
    refunded_amount: 0,
    placed_at: facts.placedAt,
    paid_at: null,
    cancelled_at: null,
    fulfilled_at: null,
    source_updated_at: null,
    created_at: state.now,
    updated_at: state.now,
    shipping_address: null,
    customer_locale: null,
  };
  const before = { paid: row.paid_at, cancelled: row.cancelled_at, fulfilled: row.fulfilled_at };

  const newer = !row.source_updated_at || facts.asOf >= row.source_updated_at;
  if (newer) {
    Object.assign(row, {
      // a customer erased under RODO/GDPR never gets an e-mail back through a later order
      email: customer?.redacted_at ? null : facts.email,
      currency: facts.currency,
      total: facts.total,
      subtotal: facts.subtotal,
      shipping: facts.shipping,
      tax: facts.tax,
      discount: facts.discount,
      discount_codes: facts.discountCodes,
      placed_at: facts.placedAt,
      source_updated_at: facts.asOf,
    });
    // A newer delivery without a customer does not take the order away from one.
    if (customerId) row.customer_id = customerId;
    if (facts.shippingAddress !== undefined) row.shipping_address = facts.shippingAddress;
    if (facts.customerLocale) row.customer_locale = facts.customerLocale;
    state.newLines.set(row.id, facts.lines);
  }
  row.paid_at = earliest(row.paid_at, facts.paidAt);
  row.cancelled_at = earliest(row.cancelled_at, facts.cancelledAt);
  row.fulfilled_at = earliest(row.fulfilled_at, facts.fulfilledAt);
  row.updated_at = state.now;
  state.orders.set(row.external_id, row);
  state.dirtyOrders.add(row.id);

  const base = { shopId: state.shopId, orderId: row.id };
  if (!before.paid && row.paid_at) {
    state.domainEvents.push({
      type: 'order.paid',
      ...base,
      customerId: row.customer_id,
      at: row.paid_at,
      ...(facts.history && { history: true }),
    });
  }
  if (!before.cancelled && row.cancelled_at) {
    state.domainEvents.push({ type: 'order.cancelled', ...base, at: row.cancelled_at });
  }
  if (!before.fulfilled && row.fulfilled_at) {
    state.domainEvents.push({ type: 'order.fulfilled', ...base, at: row.fulfilled_at });
  }
  if (!existing) state.woken.add(waitingForOrder(facts.externalId));
}

function earliest(current: Date | null, incoming: Date | null): Date | null {
  if (!current) return incoming;
  if (!incoming) return current;
  return incoming < current ? incoming : current;
}
