import { sql } from 'kysely';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import type { RefundFacts } from '../ingest/facts.ts';
import { PayloadError } from '../ingest/facts.ts';
import { emit, type Tx } from '../events/domain-events.ts';
import { waitingForOrder } from './waiting-events.ts';

export type OrderChangeResult = { applied: boolean } | { waitingFor: string };

/** Records a refund once (by the refund's own id); waits if its order has not arrived yet. */
export async function recordRefund(
  tx: Tx,
  clock: Clock,
  shopId: string,
  refund: RefundFacts,
): Promise<OrderChangeResult> {
  const order = await tx
    .selectFrom('orders')
    .select(['id', 'currency'])
    .where('shop_id', '=', shopId)
    .where('external_id', '=', refund.orderExternalId)
    .executeTakeFirst();
  if (!order) return { waitingFor: waitingForOrder(refund.orderExternalId) };
  if (order.currency !== refund.currency) {
    throw new PayloadError(
      `refund currency ${refund.currency} differs from the order's ${order.currency}`,
    );
  }
  const id = newId('rfd');
  const inserted = await tx
    .insertInto('refunds')
    .values({
      shop_id: shopId,
      id,
      order_id: order.id,
      external_id: refund.externalId,
      amount: refund.amount,
      currency: refund.currency,
      reason: refund.reason,
      refunded_at: refund.refundedAt,
    })
    .onConflict((oc) => oc.columns(['shop_id', 'order_id', 'external_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return { applied: false };
  await tx
    .updateTable('orders')
    .set({ refunded_amount: sql`refunded_amount + ${refund.amount}`, updated_at: clock.now() })
    .where('shop_id', '=', shopId)
    .where('id', '=', order.id)
    .execute();
  await emit(tx, clock, {
    type: 'order.refunded',
    shopId,
    orderId: order.id,
    refundId: id,
    amount: refund.amount,
    at: refund.refundedAt,
  });
  return { applied: true };
}
