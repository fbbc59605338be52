import { expect, it } from 'vitest';
import { runMigrations } from 'graphile-worker';
import { sql } from 'kysely';
import { createTestDatabase } from '../support/database.ts';
import { scheduleConnectionJob } from '../../src/connections/schedule-connection-job.ts';

// A wake-up (a new code, a hook, "sync now") must not wait behind a run booked for later, and
// one connection's pull and push share a queue so they never run at once (graphile-worker's SQL).
it('queues connection jobs in their own queue, replacing a later booking', async () => {
  const d = await createTestDatabase();
  await runMigrations({ connectionString: d.url });
  await sql`SELECT graphile_worker.add_job('connection-pull', '{}'::json, job_key := 'connection-pull:shp_1:con_1', run_at := now() + interval '1 hour', queue_name := 'connection:shp_1:con_1')`.execute(
    d.db,
  );
  await scheduleConnectionJob(d.db, 'connection-pull', 'shp_1', 'con_1');
  await scheduleConnectionJob(d.db, 'connection-push', 'shp_1', 'con_1');
  const { rows } = await sql<{ task_identifier: string; queue_name: string; soon: boolean }>`
    SELECT task_identifier, queue_name, run_at < now() + interval '1 minute' AS soon FROM graphile_worker.jobs ORDER BY id`.execute(
    d.db,
  );
  expect(rows).toHaveLength(2);
  expect(rows.every((r) => r.soon && r.queue_name === 'connection:shp_1:con_1')).toBe(true);
  await d.drop();
});
