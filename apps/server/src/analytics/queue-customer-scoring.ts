import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { scoreCustomers } from './score-customers.ts';

/** The job queue's task that scores a shop's customers under its CLV model (app/worker.ts). */
export const SCORE_CUSTOMERS_TASK = 'score-customers';

/**
 * Queues the scoring of every buyer of the shop under its newly fitted CLV model (1M buyers take
 * about 25 s, too long for the fit's request), from any process, through the job queue's own
 * SQL function (migrate.ts creates the queue's schema); a job already waiting for the shop is
 * replaced, so fits in a row score once. The worker (app/worker.ts) runs it.
 */
export async function queueCustomerScoring(db: Db, shopId: string): Promise<void> {
  await sql`
    SELECT graphile_worker.add_job(
      ${SCORE_CUSTOMERS_TASK},
      json_build_object('shopId', ${shopId}::text),
      job_key := ${`${SCORE_CUSTOMERS_TASK}:${shopId}`}::text,
      job_key_mode := 'replace',
      max_attempts := 5)`.execute(db);
}

/** The queued job: the shop's customers scored under the model it has when the job runs. */
export async function runCustomerScoring(db: Db, clock: Clock, payload: unknown): Promise<number> {
  const shopId = (payload as { shopId?: unknown } | null)?.shopId;
  if (typeof shopId !== 'string') return 0;
  const shop = await db.selectFrom('shops').selectAll().where('id', '=', shopId).executeTakeFirst();
  return shop ? scoreCustomers(db, shop, clock.now()) : 0;
}
