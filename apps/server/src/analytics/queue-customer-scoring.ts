import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { scoreCustomers } from './score-customers.ts';

/** The job queue's task that scores a shop's customers under its CLV model (app/worker.ts). */
export const SCORE_CUSTOMERS_TASK = 'score-customers';

const ADD_JOB =
  'graphile_worker.add_job(text,json,text,timestamptz,integer,text,integer,text[],text)';

/**
 * Queues the scoring of every buyer of the shop under its newly fitted CLV model (1M buyers take
 * about 25 s, too long for the fit's request), from any process, through the job queue's own
 * SQL function; a job already waiting for the shop is replaced, so fits in a row score once.
 * Returns false when the process runs without the job queue (no worker ever started on this
 * database): the caller then scores in place.
 */
export async function queueCustomerScoring(db: Db, shopId: string): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`
    SELECT to_regprocedure(${ADD_JOB}) IS NOT NULL AS ok`.execute(db);
  if (!rows[0]?.ok) return false;
  await sql`
    SELECT graphile_worker.add_job(
      ${SCORE_CUSTOMERS_TASK},
      json_build_object('shopId', ${shopId}::text),
      job_key := ${`${SCORE_CUSTOMERS_TASK}:${shopId}`}::text,
      job_key_mode := 'replace',
      max_attempts := 5)`.execute(db);
  return true;
}

/** The queued job: the shop's customers scored under the model it has when the job runs. */
export async function runCustomerScoring(db: Db, clock: Clock, payload: unknown): Promise<number> {
  const shopId = (payload as { shopId?: unknown } | null)?.shopId;
  if (typeof shopId !== 'string') return 0;
  const shop = await db.selectFrom('shops').selectAll().where('id', '=', shopId).executeTakeFirst();
  return shop ? scoreCustomers(db, shop, clock.now()) : 0;
}
