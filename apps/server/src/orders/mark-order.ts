import { sql } from 'kysely';
import type { Clock } from '../shared/clock.ts';
import { emit, type Tx } from '../events/domain-events.ts';
import { waitingForOrder } from './waiting-events.ts';
import type { OrderChangeResult } from './record-refund.ts';

type Milestone = 'cancelled' | 'fulfilled';

/**
 * Marks an order cancelled or fulfilled at the earliest time reported; emits the transition
 * the first time only. Waits if the order has not arrived yet.
 */
export async function markOrder(
  tx: Tx,
  clock: Clock,
  shopId: string,
  externalId: string,
  milestone: Milestone,
  at: Date,
): Promise<OrderChangeResult> {
  const column = milestone === 'cancelled' ? 'cancelled_at' : 'fulfilled_at';
  const order = await tx
    .selectFrom('orders')
    .select(['id', column])
    .where('shop_id', '=', shopId)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  if (!order) return { waitingFor: waitingForOrder(externalId) };
  const current = (order as Record<string, unknown>)[column] as Date | null;
  if (current && current <= at) return { applied: false };
  await tx
    .updateTable('orders')
    .set({ [column]: sql`${at}::timestamptz`, updated_at: clock.now() })
    .where('shop_id', '=', shopId)
    .where('id', '=', order.id)
    .execute();
  if (!current) {
    await emit(tx, clock, { type: `order.${milestone}`, shopId, orderId: order.id, at });
  }
  return { applied: true };
}
