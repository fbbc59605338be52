/**
 * npm run bench:messages — the message pipeline's speed, in this process against PostgreSQL:
 *
 *   1. Throughput: BENCH_MESSAGES (10,000) e-mails due at once, each for its own customer, are
 *      claimed, rendered (MJML layout + Liquid template, click tracking on) and handed over SMTP
 *      to a local sink (smtp-server, counting only, in a child process) by one worker with
 *      BENCH_CONCURRENCY (32, as the worker's default) sends in flight: messages per second, end
 *      to end, and the CPU each message cost this process (the worker), PostgreSQL and the sink
 *      (figures a shared machine distorts less than the rate).
 *   2. Scheduling lag: the same number of messages falling due at one moment, then sent by the
 *      worker the automation round runs: for each, sent_at − due time, p50 / p99 / max.
 *   3. Flows: BENCH_MESSAGES runs of a one-step flow due at once, walked by advanceDueRuns
 *      (queueing a message each): runs per second.
 *
 * A fresh database `lojal_bench_messages` (dropped at the end).
 *   BENCH_MESSAGES=10000 BENCH_CONCURRENCY=32 BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import { connect } from '../apps/server/src/db/connect.ts';
import { recreateDatabase, withDatabase } from '../apps/server/src/db/databases.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { provisionShop } from '../apps/server/src/app/provision-shop.ts';
import { SecretBox } from '../apps/server/src/shared/secrets.ts';
import { systemClock } from '../apps/server/src/shared/clock.ts';
import { deliverDueMessages } from '../apps/server/src/automations/deliver-messages.ts';
import { advanceDueRuns } from '../apps/server/src/automations/advance-runs.ts';
import { createFlow } from '../apps/server/src/automations/manage-flows.ts';
import { smtpTransport } from '../apps/server/src/messaging/smtp-transport.ts';
import { RenderPool } from '../apps/server/src/messaging/render-pool.ts';
import { percentile } from './support/server.ts';
import { reportFigure, size } from './support/figures.ts';
import { startSmtpSink } from './support/smtp-sink.ts';

const N = size('BENCH_MESSAGES', 10_000, 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const serverUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'lojal_bench_messages';

/** CPU ms spent so far by the PostgreSQL backends serving this database (Linux /proc). */
async function databaseCpuMs(pool: pg.Pool): Promise<Map<number, number>> {
  const { rows } = await pool.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
  );
  const ticks = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // not on this machine, or gone
    }
  }
  return ticks;
}

function cpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, now] of after) ms += now - (before.get(pid) ?? 0);
  return ms;
}

async function main() {
  console.log(
    `bench:messages — ${N} messages, concurrency ${CONCURRENCY}, ${os.cpus().length} cores`,
  );
  await recreateDatabase(serverUrl, DB);
  const { db, pool } = connect(withDatabase(serverUrl, DB), 8);
  await migrate(pool);
  const box = new SecretBox(Buffer.alloc(32, 3));
  const shop = await provisionShop(db, systemClock, box, {
    name: 'Kawiarnia Ziarno',
    currency: 'PLN',
    timezone: 'Europe/Warsaw',
    locale: 'pl',
  });
  await sql`
    INSERT INTO customers (shop_id, id, external_id, email, first_name, accepts_email_marketing, field_times)
    SELECT ${shop.id}, 'cus_' || i, 'c' || i, 'c' || i || '@example.pl', 'Zofia', true, '{}'
    FROM generate_series(1, ${N}) i`.execute(db);
  const sink = await startSmtpSink();
  const email = smtpTransport(sink.url, { pool: true, maxConnections: CONCURRENCY });
  // As on the processor thread: messages render in a pool of worker threads.
  const renderPool = new RenderPool({ size: 2 });
  const deps = {
    renderer: renderPool,
    channels: { email },
    keys: box,
    publicUrl: 'https://lojal.example',
    mailFrom: 'bench@lojal.example',
    concurrency: CONCURRENCY,
  };

  const due = async (prefix: string, at: string) =>
    sql`
      INSERT INTO messages (shop_id, id, send_key, customer_id, channel, purpose, template_key, locale, to_address,
                            status, not_before, created_at)
      SELECT ${shop.id}, ${prefix} || lpad(i::text, 6, '0'), ${prefix} || i, 'cus_' || i, 'email', 'loyalty',
             'welcome.second_order_coupon', 'pl', 'c' || i || '@example.pl', 'queued', ${at}::timestamptz, now()
      FROM generate_series(1, ${N}) i`.execute(db);

  // 1. Throughput.
  await due('msg_a', new Date(Date.now() - 1000).toISOString());
  await pool.query('VACUUM ANALYZE messages');
  let started = performance.now();
  const cpu = process.cpuUsage();
  const pgCpu = await databaseCpuMs(pool);
  const sinkBefore = await sink.stats();
  const report = await deliverDueMessages(db, systemClock, deps, 200);
  let seconds = (performance.now() - started) / 1000;
  // This process's CPU (every thread: the send loop and the render threads; the SMTP sink runs
  // in a process of its own) per message: less at the mercy of a shared machine than the rate.
  const used = process.cpuUsage(cpu);
  const pgUsed = cpuSince(pgCpu, await databaseCpuMs(pool));
  const sinkAfter = await sink.stats();
  const perMessage = (ms: number) => (ms / report.sent).toFixed(2);
  console.log(
    `throughput: ${report.sent} sent (${sinkAfter.received - sinkBefore.received} received by SMTP) in ${seconds.toFixed(1)} s = ${Math.round(report.sent / seconds)} messages/s; CPU per message: ${perMessage((used.user + used.system) / 1000)} ms in this process (the worker), ${perMessage(pgUsed)} ms in PostgreSQL, ${perMessage(sinkAfter.cpuMs - sinkBefore.cpuMs)} ms in the SMTP sink (its own process)`,
  );
  reportFigure({
    figure: 'e-mails rendered and handed to SMTP, one worker',
    value: Math.round(report.sent / seconds),
    unit: '/s',
    compare: 'absolute',
    goal: 2000,
    better: 'higher',
  });

  // 2. Scheduling lag: N messages due 2 s from now; the worker polls as the round does.
  const dueAt = new Date(Date.now() + 2000);
  await due('msg_b', dueAt.toISOString());
  while (Date.now() < dueAt.getTime()) await new Promise((r) => setTimeout(r, 50));
  await deliverDueMessages(db, systemClock, deps, 200);
  const { rows } = await sql<{ lag_ms: number }>`
    SELECT extract(epoch FROM sent_at - not_before) * 1000 AS lag_ms FROM messages
    WHERE shop_id = ${shop.id} AND id LIKE 'msg_b%' AND status = 'sent' ORDER BY 1`.execute(db);
  const lags = rows.map((r) => Number(r.lag_ms));
  console.log(
    `scheduling lag of ${lags.length} due messages: p50 ${(percentile(lags, 50) / 1000).toFixed(2)} s, p99 ${(percentile(lags, 99) / 1000).toFixed(2)} s, max ${(lags[lags.length - 1]! / 1000).toFixed(2)} s`,
  );
  // At 2,000/s, the last of N messages due at once goes out N / 2,000 s after its due time.
  reportFigure({
    figure: `lag p99 of ${N} messages due at once`,
    value: Number((percentile(lags, 99) / 1000).toFixed(2)),
    unit: 's',
    compare: 'absolute',
    goal: N / 2000,
    better: 'lower',
  });

  // 3. Flows: N runs whose one step is due now.
  const flow = await createFlow(db, systemClock, shop.id, {
    name: 'Bench',
    definition: {
      trigger: { type: 'activity', activityType: 'bench' },
      steps: [
        { id: 'hello', type: 'send', channel: 'email', template: 'birthday', purpose: 'loyalty' },
      ],
      exitOn: [],
      reentry: { mode: 'always' },
    },
  });
  await sql`
    INSERT INTO flow_runs (shop_id, id, flow_id, flow_version, customer_id, trigger_key, status, step_index, due_at, context, started_at)
    SELECT ${shop.id}, 'frn_' || i, ${flow.id}, 1, 'cus_' || i, 'bench', 'active', 0, now(), '{}', now()
    FROM generate_series(1, ${N}) i`.execute(db);
  started = performance.now();
  const runs = await advanceDueRuns(db, systemClock, 200);
  seconds = (performance.now() - started) / 1000;
  console.log(
    `flows: ${runs} runs walked (a message queued each) in ${seconds.toFixed(1)} s = ${Math.round(runs / seconds)} runs/s`,
  );

  await renderPool.close();
  await email.close();
  await sink.close();
  await db.destroy();
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.end();
}

await main();
