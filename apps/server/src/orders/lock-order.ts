import { sql } from 'kysely';
import type { Tx } from '../events/domain-events.ts';

/**
 * Serialises everything that touches one order (the order itself, its refunds, cancellation,
 * fulfilment) across processes, so a refund cannot park itself while its order is being
 * written in another transaction and miss the wake-up.
 */
export async function lockOrder(tx: Tx, shopId: string, externalId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${shopId + ':order:' + externalId}, 0))`.execute(
    tx,
  );
}

/** What a parked event that needs this order waits for. */
export function waitingForOrder(externalId: string): string {
  return `order:${externalId}`;
}

/** Re-queues events parked until this order arrived (refunds, cancellations that came first). */
export async function wakeEventsWaitingFor(
  tx: Tx,
  shopId: string,
  externalId: string,
): Promise<number> {
  const result = await tx
    .updateTable('inbound_events')
    .set({ status: 'pending', waiting_for: null })
    .where('shop_id', '=', shopId)
    .where('status', '=', 'waiting')
    .where('waiting_for', '=', waitingForOrder(externalId))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
