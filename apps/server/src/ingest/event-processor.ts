import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Tx } from '../events/domain-events.ts';
import type { ParkedKeys } from '../orders/waiting-events.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { Metrics } from '../shared/metrics.ts';
import { processEvent, type Outcome, type StoredEvent } from './process-event.ts';

interface Options {
  batchSize?: number;
  /** How often to look for work written by other processes when not nudged. */
  pollMs?: number;
}

type Result = Outcome | { status: 'failed'; error: string };

/** An event of an optimistic batch failed: rerun the batch with a savepoint per event. */
class EventFailed extends Error {}

// Errors that say "try again", not "this event is broken": the batch is retried, not parked.
const TRANSIENT_SQLSTATES = new Set([
  '40001',
  '40P01',
  '55P03',
  '57014',
  '08000',
  '08003',
  '08006',
]);

/**
 * Drains pending inbound events. A batch belongs to one shop, whose advisory lock the batch
 * holds, so one shop's events are applied by one processor at a time, in order, while several
 * processes share the work across shops. Each event runs in a savepoint; every outcome is
 * recorded in the same transaction. A crash before commit leaves the batch pending.
 */
export class EventProcessor {
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private nudged = false;
  private readonly batchSize: number;
  private readonly pollMs: number;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly metrics?: Metrics,
    options: Options = {},
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.pollMs = options.pollMs ?? 1000;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** New work was written; process it now instead of at the next poll. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  /** Finishes the batch in hand, then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  /** Processes until nothing is pending; for tests, the CLI and the demo seed. */
  async drain(): Promise<number> {
    let total = 0;
    for (let n = await this.processBatch(); n > 0; n = await this.processBatch()) total += n;
    return total;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.nudged = false;
      try {
        if ((await this.processBatch()) > 0) continue;
      } catch (error) {
        this.log.error({ err: error }, 'event processing batch failed; retrying');
      }
      if (!this.nudged && !this.stopping) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.pollMs);
      this.wake = done;
    });
  }

  /**
   * Processes one batch. Events normally run without savepoints (two round trips fewer each);
   * when one fails, the batch is rolled back and run again with a savepoint per event, so the
   * broken event is parked as failed and the others still apply.
   */
  async processBatch(): Promise<number> {
    try {
      return await this.runBatch(false);
    } catch (error) {
      if (!(error instanceof EventFailed)) throw error;
      return this.runBatch(true);
    }
  }

  private runBatch(isolated: boolean): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      const shopId = await this.lockShopWithWork(tx);
      if (!shopId) return 0;
      const { rows } = await sql<StoredEvent>`
        SELECT shop_id, id, source, topic, body, received_at FROM inbound_events
        WHERE status = 'pending' AND shop_id = ${shopId} ORDER BY id LIMIT ${this.batchSize}
        FOR UPDATE SKIP LOCKED`.execute(tx);
      if (rows.length === 0) return 0;
      const parked = await this.parkedKeys(tx, shopId);
      const results: Result[] = [];
      for (const event of rows) {
        if (isolated) await sql`SAVEPOINT event`.execute(tx);
        try {
          const outcome = await processEvent(tx, this.clock, event, parked);
          if (outcome.status === 'waiting') {
            // Recorded now, not with the batch, so an order later in this batch can wake it.
            await tx
              .updateTable('inbound_events')
              .set((eb) => ({
                status: 'waiting',
                waiting_for: outcome.waitingFor,
                attempts: eb('attempts', '+', 1),
              }))
              .where('shop_id', '=', event.shop_id)
              .where('id', '=', event.id)
              .execute();
            parked.add(outcome.waitingFor);
          }
          results.push(outcome);
          if (isolated) await sql`RELEASE SAVEPOINT event`.execute(tx);
        } catch (error) {
          if (TRANSIENT_SQLSTATES.has((error as { code?: string }).code ?? '')) throw error;
          if (!isolated) throw new EventFailed();
          await sql`ROLLBACK TO SAVEPOINT event`.execute(tx);
          const message = error instanceof Error ? error.message : String(error);
          this.log.warn(
            { eventId: event.id, shopId: event.shop_id, err: message },
            'inbound event parked as failed',
          );
          results.push({ status: 'failed', error: message });
        }
      }
      const done = rows
        .map((row, i) => ({ row, result: results[i]! }))
        .filter(({ result }) => result.status !== 'waiting');
      if (done.length > 0) {
        await sql`
          UPDATE inbound_events e SET
            status = r.status,
            waiting_for = NULL,
            reason = r.reason,
            attempts = e.attempts + 1,
            processed_at = CASE WHEN r.status IN ('processed', 'ignored') THEN now() END
          FROM unnest(${done.map((d) => d.row.id)}::text[], ${done.map((d) => d.result.status)}::text[],
                      ${done.map((d) => reasonOf(d.result))}::text[]) AS r(id, status, reason)
          WHERE e.shop_id = ${shopId} AND e.id = r.id`.execute(tx);
      }
      this.observe(rows, results);
      return rows.length;
    });
  }

  private async parkedKeys(tx: Tx, shopId: string): Promise<ParkedKeys> {
    const { rows } = await sql<{ waiting_for: string }>`
      SELECT DISTINCT waiting_for FROM inbound_events
      WHERE shop_id = ${shopId} AND status = 'waiting' AND waiting_for IS NOT NULL`.execute(tx);
    return new Set(rows.map((r) => r.waiting_for));
  }

  /** A shop with pending events that no other processor is working on, locked for this batch. */
  private async lockShopWithWork(tx: Tx): Promise<string | null> {
    const { rows } = await sql<{ shop_id: string }>`
      SELECT DISTINCT shop_id FROM (
        SELECT shop_id FROM inbound_events WHERE status = 'pending' ORDER BY id LIMIT 1000) p`.execute(
      tx,
    );
    for (const { shop_id } of rows) {
      const { rows: lock } = await sql<{ ok: boolean }>`
        SELECT pg_try_advisory_xact_lock(hashtextextended(${'lojal-processor:' + shop_id}, 0)) AS ok`.execute(
        tx,
      );
      if (lock[0]?.ok) return shop_id;
    }
    return null;
  }

  private observe(rows: StoredEvent[], results: Result[]): void {
    if (!this.metrics) return;
    const now = this.clock.now().getTime();
    results.forEach((result, i) => {
      this.metrics!.eventsProcessed.inc({ status: result.status });
      const receivedAt = rows[i]?.received_at.getTime();
      if (receivedAt) this.metrics!.processingLag.observe(Math.max(0, (now - receivedAt) / 1000));
    });
  }
}

function reasonOf(result: Result): string | null {
  if (result.status === 'failed') return result.error;
  if (result.status === 'ignored') return result.reason;
  return null;
}
