import type { Db } from '../db/connect.ts';
import type { InboundSource } from '../db/schema.ts';
import { newId } from '../shared/ids.ts';

/** A delivery as received, before any interpretation. */
export interface Delivery {
  shopId: string;
  source: InboundSource;
  topic: string;
  /** The sender's id for this delivery: dedupes retries. */
  deliveryId: string | null;
  idempotencyKey: string | null;
  requestHash: Buffer | null;
  verified: boolean;
  headers: Record<string, string>;
  body: Buffer;
  occurredAt: Date | null;
}

export type Stored =
  | { eventId: string; duplicate: false }
  | {
      eventId: string;
      duplicate: true;
      matchedBy: 'delivery' | 'idempotency-key';
      requestHash: Buffer | null;
    };

interface Pending {
  delivery: Delivery;
  /** When the request arrived, to the millisecond; not the time of the batch's commit. */
  receivedAt: Date;
  resolve(stored: Stored): void;
  reject(error: unknown): void;
}

/**
 * Stores deliveries in the raw event log, committed before the sender gets its 2xx. Deliveries
 * that arrive while a write is in flight are written together in one multi-row INSERT (group
 * commit): one round trip and one WAL flush for the lot, no added wait when traffic is light.
 */
export class InboxWriter {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: Db,
    private readonly onStored: () => void = () => undefined,
    private readonly maxParallel = 2,
    private readonly maxBatch = 500,
  ) {}

  write(delivery: Delivery): Promise<Stored> {
    return new Promise((resolve, reject) => {
      this.queue.push({ delivery, receivedAt: new Date(), resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxParallel) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      this.writeBatch(batch)
        .catch((error) => batch.forEach((p) => p.reject(error)))
        .finally(() => {
          this.inFlight--;
          this.flush();
        });
    }
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    try {
      await this.insertBatch(batch);
    } catch (error) {
      // One delivery the database refuses must not fail the others written with it.
      if (batch.length === 1) throw error;
      for (const pending of batch) {
        await this.insertBatch([pending]).catch((e: unknown) => pending.reject(e));
      }
    }
  }

  private async insertBatch(batch: Pending[]): Promise<void> {
    // Within one batch, a repeat of an earlier delivery waits for that one's result.
    const leaders: Pending[] = [];
    const followers: Array<{
      pending: Pending;
      leader: Pending;
      matchedBy: 'delivery' | 'idempotency-key';
    }> = [];
    const seen = new Map<string, Pending>();
    for (const pending of batch) {
      const d = pending.delivery;
      const byIdem = d.idempotencyKey ? seen.get(`i|${d.shopId}|${d.idempotencyKey}`) : undefined;
      const byDelivery = d.deliveryId
        ? seen.get(`d|${d.shopId}|${d.source}|${d.deliveryId}`)
        : undefined;
      const leader = byIdem ?? byDelivery;
      if (leader) {
        followers.push({ pending, leader, matchedBy: byIdem ? 'idempotency-key' : 'delivery' });
        continue;
      }
      leaders.push(pending);
      if (d.idempotencyKey) seen.set(`i|${d.shopId}|${d.idempotencyKey}`, pending);
      if (d.deliveryId) seen.set(`d|${d.shopId}|${d.source}|${d.deliveryId}`, pending);
    }

    const ids = leaders.map(() => newId('evt'));
    const receivedAt = leaders.map((p) => p.receivedAt);
    // Multi-row VALUES rather than unnest(): each body travels as its own binary parameter,
    // half the bytes of the hex text that a bytea[] array would need.
    const rows = await this.db
      .insertInto('inbound_events')
      .values(
        leaders.map(({ delivery: d }, i) => ({
          shop_id: d.shopId,
          id: ids[i]!,
          source: d.source,
          topic: d.topic,
          delivery_id: d.deliveryId,
          idempotency_key: d.idempotencyKey,
          request_hash: d.requestHash,
          verified: d.verified,
          headers: JSON.stringify(d.headers),
          body: d.body,
          occurred_at: d.occurredAt,
          received_at: receivedAt[i]!,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .execute();
    const inserted = new Set(rows.map((r) => r.id));
    this.onStored();

    const results = new Map<Pending, Stored>();
    for (const [i, pending] of leaders.entries()) {
      const id = ids[i]!;
      const stored: Stored = inserted.has(id)
        ? { eventId: id, duplicate: false }
        : await this.findExisting(pending.delivery);
      results.set(pending, stored);
      pending.resolve(stored);
    }
    for (const { pending, leader, matchedBy } of followers) {
      const first = results.get(leader)!;
      pending.resolve({
        eventId: first.eventId,
        duplicate: true,
        matchedBy,
        // compared with what is stored, which is the leader's own request only if it was new
        requestHash: first.duplicate ? first.requestHash : leader.delivery.requestHash,
      });
    }
  }

  private async findExisting(d: Delivery): Promise<Stored> {
    if (d.idempotencyKey) {
      const row = await this.db
        .selectFrom('inbound_events')
        .select(['id', 'request_hash'])
        .where('shop_id', '=', d.shopId)
        .where('idempotency_key', '=', d.idempotencyKey)
        .executeTakeFirst();
      if (row)
        return {
          eventId: row.id,
          duplicate: true,
          matchedBy: 'idempotency-key',
          requestHash: row.request_hash,
        };
    }
    const row = await this.db
      .selectFrom('inbound_events')
      .select(['id', 'request_hash'])
      .where('shop_id', '=', d.shopId)
      .where('source', '=', d.source)
      .where('delivery_id', '=', d.deliveryId)
      .executeTakeFirst();
    if (!row) throw new Error('a conflicting inbound event could not be found');
    return {
      eventId: row.id,
      duplicate: true,
      matchedBy: 'delivery',
      requestHash: row.request_hash,
    };
  }
}
