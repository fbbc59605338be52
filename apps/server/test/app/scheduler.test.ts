import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopDayJobs, markShopDayDone } from '../../src/app/shop-days.ts';
import { startWorker } from '../../src/app/worker.ts';
import {
  dailyTasks,
  sweeps,
  type DailyTask,
  type TaskReport,
} from '../../src/app/periodic-tasks.ts';
import { provisionShop } from '../../src/app/provision-shop.ts';
import { renderInThread } from '../../src/messaging/render-in-thread.ts';
import { outboxTransport } from '../../src/messaging/outbox-transport.ts';
import { localDay } from '../../src/shared/zoned-time.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { createTestApp, createTestShop, type TestApp } from '../support/app.ts';

const HOUR = 3_600_000;
let t: TestApp;
let shops: Array<{ id: string; timezone: string }>;
/** graphile-worker ticks on this process's clock and runs jobs on the database's. */
let clocksApart = false;

beforeAll(async () => {
  t = await createTestApp();
  const warsaw = await createTestShop(t);
  const far = await Promise.all(
    ['Pacific/Auckland', 'Asia/Kathmandu'].map((timezone) =>
      provisionShop(t.db, t.clock, t.box, {
        name: timezone,
        currency: 'PLN',
        timezone,
        locale: 'en',
      }),
    ),
  );
  shops = [warsaw, ...far].map((s) => ({ id: s.id, timezone: s.timezone }));
  const { rows } = await sql<{ now: Date }>`SELECT now() AS now`.execute(t.db);
  clocksApart = Math.abs(rows[0]!.now.getTime() - Date.now()) > 60_000;
});

/** The worker needs the two clocks to agree (as NTP keeps them); a faked test clock does not. */
function skipWhenClocksApart(ctx: { skip: (note?: string) => void }) {
  if (clocksApart) ctx.skip('the test clock is faked apart from the database clock');
}
afterAll(() => t.close());

/** A daily task that only counts its runs, per shop and local day. */
function countingTask(name: string, runs: string[], only?: string): DailyTask {
  return {
    name,
    shops: only ? async () => [only] : undefined,
    run: async (_db, clock, shopId) => {
      const zone = shops.find((s) => s.id === shopId)!.timezone;
      runs.push(`${name} ${shopId} ${localDay(clock.now(), zone)}`);
      return 1;
    },
  };
}

/** The runs ticks at these instants call for: one per shop and local day. */
function runsFor(task: string, instants: number[], only?: string): string[] {
  const runs = new Set<string>();
  for (const at of instants)
    for (const s of shops)
      if (!only || s.id === only) runs.add(`${task} ${s.id} ${localDay(new Date(at), s.timezone)}`);
  return [...runs].sort();
}

/** The hourly ticks from one instant to another. */
function hourlyTicks(from: number, to: number): number[] {
  const ticks: number[] = [];
  for (let at = Math.ceil(from / HOUR) * HOUR; at <= to; at += HOUR) ticks.push(at);
  return ticks;
}

describe('daily tasks, shop by shop', () => {
  it('queues each task once per shop and local day, over the night Warsaw moves its clocks', async () => {
    const runs: string[] = [];
    const tasks = [
      countingTask('every-shop', runs),
      countingTask('warsaw-only', runs, shops[0]!.id),
    ];
    // Hourly ticks across 2027-03-28, when 02:00 in Warsaw becomes 03:00; each due job is run.
    const from = Date.parse('2027-03-27T18:00:00Z');
    const to = Date.parse('2027-03-29T06:00:00Z');
    for (let at = from; at <= to; at += HOUR) {
      const tick = new Date(at);
      for (const job of await shopDayJobs(t.db, tasks, tick)) {
        const task = tasks.find((x) => x.name === job.task)!;
        const done = await task.run(
          t.db,
          { now: () => new Date(job.payload.at) },
          job.payload.shopId,
        );
        await markShopDayDone(t.db, job.task, job.payload, done, tick);
      }
    }
    expect([...runs].sort()).toEqual(
      [
        ...runsFor('every-shop', hourlyTicks(from, to)),
        ...runsFor('warsaw-only', hourlyTicks(from, to), shops[0]!.id),
      ].sort(),
    );
    // Warsaw's three days once each, the short day of the clock change included.
    expect(runs.filter((r) => r.startsWith('warsaw-only')).map((r) => r.split(' ')[2])).toEqual([
      '2027-03-27',
      '2027-03-28',
      '2027-03-29',
    ]);
  });
});

describe('the worker on graphile-worker', () => {
  const deps = () => ({
    channels: { email: outboxTransport(async () => undefined) },
    keys: t.box,
    publicUrl: 'https://lojal.example',
    mailFrom: 'sklep@lojal.example',
    renderer: renderInThread,
  });

  async function runUntilIdle(tasks: DailyTask[], runs: string[]): Promise<void> {
    const worker = await startWorker(t.pool, t.db, systemClock, deps(), silentLogger, {
      dailyTasks: tasks,
      sweeps: [],
    });
    // Done when no job of ours is waiting and the count has held still for a moment.
    const names = ['shop-days', ...tasks.map((x) => x.name)];
    let seen = -1;
    for (let i = 0; i < 300; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { rows } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM graphile_worker.jobs
        WHERE task_identifier = ANY(${names}) AND attempts < max_attempts`.execute(t.db);
      if (rows[0]!.n === 0 && runs.length === seen) break;
      seen = runs.length;
    }
    await worker.stop();
  }

  it('lists every periodic task in its known crontabs', async () => {
    const worker = await startWorker(t.pool, t.db, systemClock, deps(), silentLogger, {
      dailyTasks: [],
    });
    await worker.stop();
    const { rows } = await sql<{ identifier: string }>`
      SELECT identifier FROM graphile_worker._private_known_crontabs`.execute(t.db);
    expect(rows.map((r) => r.identifier).sort()).toEqual(
      ['automation-round', 'shop-days', ...sweeps.map((s) => s.name)].sort(),
    );
    // Every daily task of the product has a handler the fan-out can queue.
    expect(dailyTasks.map((d) => d.name)).toEqual(
      expect.arrayContaining([
        'award-daily-points',
        'scan-time-triggers',
        'grant-tier-perks',
        'refresh-clv',
      ]),
    );
  });

  it('after a stop over a local midnight, runs the missed days once per shop, and never again', async (ctx) => {
    skipWhenClocksApart(ctx);
    const runs: string[] = [];
    const tasks = [countingTask('daily-count', runs)];
    const started = Date.now();
    await runUntilIdle(tasks, runs);
    // The start runs today's work at once: one run per shop.
    expect([...runs].sort()).toEqual(runsFor('daily-count', [started]));

    // As if the server had been stopped 30 hours ago: graphile-worker backfills the ticks since.
    await sql`UPDATE graphile_worker._private_known_crontabs
      SET known_since = now() - interval '40 hours', last_execution = now() - interval '30 hours'
      WHERE identifier = 'shop-days'`.execute(t.db);
    await runUntilIdle(tasks, runs);
    const expected = runsFor('daily-count', [
      started,
      ...hourlyTicks(started - 30 * HOUR, Date.now()),
    ]);
    expect([...runs].sort()).toEqual(expected);
    expect(new Set(runs).size).toBe(runs.length); // once per shop-day
    expect(expected.length).toBeGreaterThan(shops.length); // a missed day was made good

    // Started again, with every day done: nothing runs twice.
    const before = runs.length;
    await runUntilIdle(tasks, runs);
    expect(runs).toHaveLength(before);
    const marked = await t.db
      .selectFrom('periodic_task_days')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .where('task', '=', 'daily-count')
      .executeTakeFirstOrThrow();
    expect(Number(marked.n)).toBe(runs.length);
  });

  it("reports a shop's failing task with the shop, retries it later, and does the other shops", async (ctx) => {
    skipWhenClocksApart(ctx);
    const reports: TaskReport[] = [];
    const failing: DailyTask = {
      name: 'fails-for-one-shop',
      run: async (_db, _clock, shopId) => {
        if (shopId === shops[1]!.id) throw new Error('the CLV fit did not converge');
        return 1;
      },
    };
    const worker = await startWorker(t.pool, t.db, systemClock, deps(), silentLogger, {
      dailyTasks: [failing],
      sweeps: [],
      onTaskReport: (r) => reports.push(r),
    });
    const shopsReported = () => new Set(reports.map((r) => r.shopId)).size;
    for (let i = 0; i < 100 && shopsReported() < shops.length; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    await worker.stop();
    // Only that shop failed (once, or again if its retry came round already), with its error.
    const failed = reports.filter((r) => r.outcome === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) {
      expect(r.shopId).toBe(shops[1]!.id);
      expect(String(r.error)).toBe('Error: the CLV fit did not converge');
    }
    expect(reports.filter((r) => r.outcome === 'done')).toHaveLength(shops.length - 1);
    // The queue keeps the failed job with its error and a later attempt booked.
    const { rows } = await sql<{ attempts: number; last_error: string; run_at: Date }>`
      SELECT attempts, last_error, run_at FROM graphile_worker.jobs
      WHERE task_identifier = 'fails-for-one-shop'`.execute(t.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.attempts).toBe(failed.length);
    expect(rows[0]!.last_error).toContain('did not converge');
    expect(rows[0]!.run_at.getTime()).toBeGreaterThan(Date.now());
  });
});
