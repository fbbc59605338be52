import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

const ADD_JOB =
  'graphile_worker.add_job(text,json,text,timestamptz,integer,text,integer,text[],text)';

export type ConnectionTask = 'connection-pull' | 'connection-push';

/**
 * Queues a connection's pull or push to run now, from any process: through the job queue's own
 * SQL function when the queue exists (one job per connection and task: the job key), otherwise
 * left to the worker's minute sweep, which finds every due connection.
 */
export async function scheduleConnectionJob(
  db: Db,
  task: ConnectionTask,
  shopId: string,
  connectionId: string,
): Promise<void> {
  const { rows } = await sql<{ ok: boolean }>`
    SELECT to_regprocedure(${ADD_JOB}) IS NOT NULL AS ok`.execute(db);
  if (!rows[0]?.ok) return;
  await sql`
    SELECT graphile_worker.add_job(
      ${task},
      json_build_object('shopId', ${shopId}::text, 'connectionId', ${connectionId}::text),
      job_key := ${`${task}:${shopId}:${connectionId}`}::text,
      job_key_mode := 'preserve_run_at',
      max_attempts := 3)`.execute(db);
}
