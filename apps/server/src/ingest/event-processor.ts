import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Tx } from '../events/domain-events.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { Metrics } from '../shared/metrics.ts';
import { applyEvents, recordOutcomes, type Outcome } from './apply-events.ts';
import type { StoredEvent } from './commands-for-event.ts';

interface Options {
  batchSize?: number;
  /** How often to look for work written by other processes when not nudged. */
  pollMs?: number;
}

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

function isTransient(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? '';
  return TRANSIENT_SQLSTATES.has(code) || code === 'ECONNRESET' || code === 'ECONNREFUSED';
}

/**
 * Drains pending inbound events. A batch belongs to one shop, whose advisory lock the batch
 * holds, so one shop's events are applied by one processor at a time, in id order, while
 * several processes share the work across shops. A batch's outcomes commit with its effects;
 * a crash before commit leaves the batch pending for the next run.
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
    this.batchSize = options.batchSize ?? 500;
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
   * Processes one batch of one shop's events as a whole. When something other than a bad
   * payload fails, the batch is rolled back and run again event by event, each in a savepoint,
   * so the broken event is parked as failed and the others still apply.
   */
  async processBatch(): Promise<number> {
    try {
      return await this.runBatch(false);
    } catch (error) {
      if (isTransient(error)) throw error;
      this.log.warn({ err: error }, 'batch failed; retrying event by event');
      return this.runBatch(true);
    }
  }

  private runBatch(oneByOne: boolean): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      const shopId = await this.lockShopWithWork(tx);
      if (!shopId) return 0;
      const { rows } = await sql<StoredEvent>`
        SELECT shop_id, id, source, topic, body, received_at FROM inbound_events
        WHERE status = 'pending' AND shop_id = ${shopId} ORDER BY id LIMIT ${this.batchSize}
        FOR UPDATE SKIP LOCKED`.execute(tx);
      if (rows.length === 0) return 0;
      const outcomes: Outcome[] = [];
      if (!oneByOne) {
        outcomes.push(...(await applyEvents(tx, this.clock, shopId, rows)));
      } else {
        for (const event of rows) {
          await sql`SAVEPOINT event`.execute(tx);
          try {
            outcomes.push(...(await applyEvents(tx, this.clock, shopId, [event])));
            await sql`RELEASE SAVEPOINT event`.execute(tx);
          } catch (error) {
            if (isTransient(error)) throw error;
            await sql`ROLLBACK TO SAVEPOINT event`.execute(tx);
            const reason = error instanceof Error ? error.message : String(error);
            this.log.warn(
              { eventId: event.id, shopId, err: reason },
              'inbound event parked as failed',
            );
            const failed: Outcome = { status: 'failed', reason };
            await recordOutcomes(tx, shopId, [event], [failed]);
            outcomes.push(failed);
          }
        }
      }
      this.observe(rows, outcomes);
      return rows.length;
    });
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

  private observe(rows: StoredEvent[], outcomes: Outcome[]): void {
    if (!this.metrics) return;
    const now = this.clock.now().getTime();
    outcomes.forEach((outcome, i) => {
      this.metrics!.eventsProcessed.inc({ status: outcome.status });
      const receivedAt = rows[i]?.received_at.getTime();
      if (receivedAt) this.metrics!.processingLag.observe(Math.max(0, (now - receivedAt) / 1000));
    });
  }
}
