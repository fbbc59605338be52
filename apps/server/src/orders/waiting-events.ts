import type { Tx } from '../events/domain-events.ts';

/** What a parked event that needs this order waits for. */
export function waitingForOrder(externalId: string): string {
  return `order:${externalId}`;
}

/**
 * The keys parked events of a shop wait for, loaded once per processing batch, so recording an
 * order only queries for parked events when there are some.
 */
export type ParkedKeys = Set<string>;

/** Re-queues events parked until this order arrived (refunds, cancellations that came first). */
export async function wakeEventsWaitingFor(
  tx: Tx,
  shopId: string,
  externalId: string,
  parked?: ParkedKeys,
): Promise<void> {
  const key = waitingForOrder(externalId);
  if (parked && !parked.has(key)) return;
  await tx
    .updateTable('inbound_events')
    .set({ status: 'pending', waiting_for: null })
    .where('shop_id', '=', shopId)
    .where('status', '=', 'waiting')
    .where('waiting_for', '=', key)
    .execute();
  parked?.delete(key);
}
