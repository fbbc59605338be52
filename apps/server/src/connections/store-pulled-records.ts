import type { Db } from '../db/connect.ts';
import type { InboundSource } from '../db/schema.ts';
import { newId } from '../shared/ids.ts';
import type { PulledRecord } from './connector.ts';

/** The raw event header that marks history imported without points (ingest/commands-for-event). */
export const HISTORY_HEADER = 'x-lojal-history';

/**
 * Stores pulled records in the raw event log as deliveries `pull:<key>` of the platform, like
 * webhook deliveries: committed before the cursor moves past them, so a crash re-pulls and the
 * delivery id stores each version once. Returns how many were new.
 */
export async function storePulledRecords(
  db: Db,
  input: {
    shopId: string;
    platform: InboundSource;
    records: PulledRecord[];
    mode: 'sync' | 'backfill';
    /** Backfill without points: the orders count for analytics and tiers, and earn nothing. */
    history: boolean;
    receivedAt: Date;
  },
): Promise<number> {
  if (input.records.length === 0) return 0;
  const headers = JSON.stringify({
    'x-lojal-pull': input.mode,
    ...(input.history && { [HISTORY_HEADER]: 'no-points' }),
  });
  const rows = await db
    .insertInto('inbound_events')
    .values(
      input.records.map((r) => ({
        shop_id: input.shopId,
        id: newId('evt'),
        source: input.platform,
        topic: r.topic,
        delivery_id: `pull:${r.key}`,
        idempotency_key: null,
        request_hash: null,
        verified: true,
        headers,
        body: Buffer.from(r.body, 'utf8'),
        occurred_at: r.occurredAt ?? null,
        received_at: input.receivedAt,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .execute();
  return rows.length;
}
