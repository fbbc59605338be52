import type { Db } from '../db/connect.ts';
import { localDay } from '../shared/zoned-time.ts';
import type { DailyTask } from './periodic-tasks.ts';

/** What a daily task's job carries: the shop, its local day, and the tick that found it. */
export interface ShopDayPayload {
  shopId: string;
  day: string;
  at: string;
}

export interface ShopDayJob {
  task: string;
  payload: ShopDayPayload;
  jobKey: string;
}

// Markers older than this are never asked about again (backfill reaches back three days).
const KEEP_MARKERS_DAYS = 40;

/**
 * The daily jobs a tick calls for: each task for each of its shops on the shop's local day at
 * the tick, unless that shop-day is already done. graphile-worker's cron is UTC-only; an hourly
 * tick lands in every shop's day whatever its zone, so the first tick of a shop's day queues
 * the day's work, and later ticks (or a backfilled one) of the same day find it queued or done.
 */
export async function shopDayJobs(db: Db, tasks: DailyTask[], tick: Date): Promise<ShopDayJob[]> {
  const shops = await db.selectFrom('shops').select(['id', 'timezone']).execute();
  const dayOf = new Map(shops.map((s) => [s.id, localDay(tick, s.timezone)]));
  const days = [...new Set(dayOf.values())];
  if (days.length === 0) return [];
  const done = new Set(
    (
      await db
        .selectFrom('periodic_task_days')
        .select(['shop_id', 'task', 'day'])
        .where('day', 'in', days)
        .execute()
    ).map((r) => `${r.task}:${r.shop_id}:${r.day}`),
  );
  const jobs: ShopDayJob[] = [];
  for (const task of tasks) {
    const shopIds = task.shops ? await task.shops(db) : shops.map((s) => s.id);
    for (const shopId of shopIds) {
      const day = dayOf.get(shopId);
      if (day === undefined) continue;
      const jobKey = `${task.name}:${shopId}:${day}`;
      if (done.has(jobKey)) continue;
      jobs.push({ task: task.name, payload: { shopId, day, at: tick.toISOString() }, jobKey });
    }
  }
  return jobs;
}

export async function isShopDayDone(db: Db, task: string, p: ShopDayPayload): Promise<boolean> {
  const row = await db
    .selectFrom('periodic_task_days')
    .select('done')
    .where('shop_id', '=', p.shopId)
    .where('task', '=', task)
    .where('day', '=', p.day)
    .executeTakeFirst();
  return row !== undefined;
}

export async function markShopDayDone(
  db: Db,
  task: string,
  p: ShopDayPayload,
  done: number,
  at: Date,
): Promise<void> {
  await db
    .insertInto('periodic_task_days')
    .values({ shop_id: p.shopId, task, day: p.day, done_at: at, done })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function forgetOldShopDays(db: Db, tick: Date): Promise<void> {
  const before = new Date(tick.getTime() - KEEP_MARKERS_DAYS * 86_400_000);
  await db
    .deleteFrom('periodic_task_days')
    .where('day', '<', before.toISOString().slice(0, 10))
    .execute();
}
