import type { Selectable } from 'kysely';
import type { InboundEventsTable } from '../db/schema.ts';

export type InboundEventRow = Selectable<InboundEventsTable>;

/** An inbound event as the API shows it; the raw body only in the single-event view. */
export function inboundEventView(
  row: Omit<InboundEventRow, 'body'> & { body?: Buffer },
  withBody = false,
) {
  return {
    id: row.id,
    source: row.source,
    topic: row.topic,
    deliveryId: row.delivery_id,
    status: row.status,
    reason: row.reason,
    waitingFor: row.waiting_for,
    attempts: row.attempts,
    verified: row.verified,
    receivedAt: row.received_at.toISOString(),
    occurredAt: row.occurred_at?.toISOString() ?? null,
    processedAt: row.processed_at?.toISOString() ?? null,
    ...(withBody && row.body && { body: row.body.toString('utf8') }),
  };
}
