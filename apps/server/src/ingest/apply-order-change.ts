import { newId } from '../shared/ids.ts';
import { PayloadError, type RefundFacts } from './facts.ts';
import { waitingForOrder, type BatchState } from './batch-state.ts';

export type OrderChange = { applied: boolean } | { waitingFor: string };

/**
 * Records a refund once (by the refund's own id); waits if its order has not arrived yet. A
 * refund seen again with its lines named (it was first seen without them) says which lines it
 * refunded, once more, without moving money again.
 */
export function applyRefund(state: BatchState, refund: RefundFacts): OrderChange {
  const order = state.orders.get(refund.orderExternalId);
  if (!order) return { waitingFor: waitingForOrder(refund.orderExternalId) };
  if (order.currency !== refund.currency) {
    throw new PayloadError(
      `refund currency ${refund.currency} differs from the order's ${order.currency}`,
    );
  }
  const key = `${order.id}|${refund.externalId}`;
  if (state.refundKeys.has(key)) {
    if (!refund.lineExternalIds?.length) return { applied: false };
    state.domainEvents.push({
      type: 'order.lines-refunded',
      shopId: state.shopId,
      orderId: order.id,
      lineIds: refund.lineExternalIds,
      at: refund.refundedAt,
    });
    return { applied: false };
  }
  const id = newId('rfd');
  state.refundKeys.add(key);
  state.newRefunds.push({
    id,
    orderId: order.id,
    externalId: refund.externalId,
    amount: refund.amount,
    currency: refund.currency,
    reason: refund.reason,
    refundedAt: refund.refundedAt,
  });
  order.refunded_amount += refund.amount;
  order.updated_at = state.now;
  state.dirtyOrders.add(order.id);
  state.domainEvents.push({
    type: 'order.refunded',
    shopId: state.shopId,
    orderId: order.id,
    refundId: id,
    amount: refund.amount,
    at: refund.refundedAt,
    ...(refund.lineExternalIds?.length && { lineIds: refund.lineExternalIds }),
  });
  return { applied: true };
}

/**
 * Marks an order cancelled or fulfilled at the earliest time reported; emits the transition
 * the first time only. Waits if the order has not arrived yet.
 */
export function applyMilestone(
  state: BatchState,
  externalId: string,
  milestone: 'cancelled' | 'fulfilled',
  at: Date,
): OrderChange {
  const order = state.orders.get(externalId);
  if (!order) return { waitingFor: waitingForOrder(externalId) };
  const column = milestone === 'cancelled' ? 'cancelled_at' : 'fulfilled_at';
  const current = order[column];
  if (current && current <= at) return { applied: false };
  order[column] = at;
  order.updated_at = state.now;
  state.dirtyOrders.add(order.id);
  if (!current) {
    state.domainEvents.push({
      type: `order.${milestone}`,
      shopId: state.shopId,
      orderId: order.id,
      at,
    });
  }
  return { applied: true };
}
