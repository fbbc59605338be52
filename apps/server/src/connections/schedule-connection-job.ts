import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

const ADD_JOB =
  'graphile_worker.add_job(text,json,text,timestamptz,integer,text,integer,text[],text)';

export type ConnectionTask = 'connection-pull' | 'connection-push';

/** The job queue that runs one connection's pulls and pushes one at a time. */
export function connectionQueue(shopId: string, connectionId: string): string {
  return `connection:${shopId}:${connectionId}`;
}

/**
 * Queues a connection's pull or push to run now, from any process: through the job queue's own
 * SQL function when the queue exists, otherwise left to the worker's minute sweep, which finds
 * every due connection. Now replaces a run booked for later (a backoff, the next interval); the
 * connection's own queue keeps a run already going from being joined by this one.
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
      queue_name := ${connectionQueue(shopId, connectionId)}::text,
      job_key := ${`${task}:${shopId}:${connectionId}`}::text,
      job_key_mode := 'replace',
      max_attempts := 3)`.execute(db);
}
