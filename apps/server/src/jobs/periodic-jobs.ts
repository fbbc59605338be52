import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { awardDailyPoints } from '../points/award-daily-points.ts';
import { expirePoints } from '../points/expire-points.ts';
import { GIFT_CARDS } from '../points/ledger.ts';
import { returnExpiredRewardCoupons } from '../rewards/return-expired-coupons.ts';
import { localDay } from '../shared/zoned-time.ts';
import { grantMonthlyPerks } from '../tiers/grant-monthly-perks.ts';
import { refreshClv } from '../analytics/refresh-clv.ts';
import { reviewAllTiers } from '../tiers/review-tiers.ts';
import { releaseDueReferralRewards } from '../referrals/release-due-referral-rewards.ts';
import { scanTimeTriggers } from '../automations/scan-time-triggers.ts';

interface ShopRef {
  id: string;
  timezone: string;
}

const allShops = (db: Db): Promise<ShopRef[]> =>
  db.selectFrom('shops').select(['id', 'timezone']).execute();

/**
 * A task done shop by shop: a shop that fails is logged and does not hold up the others. With
 * `oncePerLocalDay`, a shop is done once per day of its own calendar in this process (the
 * work itself is safe to repeat; this only spares the database).
 */
function shopByShop(
  what: string,
  work: (db: Db, clock: Clock, shopId: string) => Promise<number>,
  options: { shops?: (db: Db) => Promise<ShopRef[]>; oncePerLocalDay?: boolean } = {},
) {
  const doneOn = new Map<string, string>();
  return async (db: Db, clock: Clock, log: Logger): Promise<number> => {
    let total = 0;
    for (const shop of await (options.shops ?? allShops)(db)) {
      const day = localDay(clock.now(), shop.timezone);
      if (options.oncePerLocalDay && doneOn.get(shop.id) === day) continue;
      try {
        total += await work(db, clock, shop.id);
        doneOn.set(shop.id, day);
      } catch (error) {
        log.error({ err: error, shopId: shop.id }, `${what} failed`);
      }
    }
    return total;
  };
}

/** Work that time triggers, each safe to repeat: expiry, returned coupons, tier reviews, birthday points. */
export const periodicTasks: Array<{
  name: string;
  run(db: Db, clock: Clock, log: Logger): Promise<number>;
}> = [
  { name: 'expire-points', run: (db, clock) => expirePoints(db, clock) },
  { name: 'expire-gift-cards', run: (db, clock) => expirePoints(db, clock, GIFT_CARDS) },
  { name: 'return-expired-reward-coupons', run: returnExpiredRewardCoupons },
  {
    name: 'review-tiers',
    // Manual tiers ending, at-risk warnings, reviews and the end of grace, shop by shop.
    run: (db, clock, log) =>
      reviewAllTiers(db, clock, (shopId, error) =>
        log.error({ err: error, shopId }, 'tier review failed'),
      ),
  },
  {
    name: 'grant-tier-perks',
    // After the reviews, so a customer who just lost the tier gets no perk for the month.
    run: shopByShop('monthly tier perks', grantMonthlyPerks, {
      shops: (db) =>
        db
          .selectFrom('tier_programmes as t')
          .innerJoin('shops as s', 's.id', 't.shop_id')
          .select(['s.id', 's.timezone'])
          .execute(),
    }),
  },
  {
    name: 'refresh-clv',
    // A weekly refit, and every customer's prediction once a day.
    run: shopByShop('CLV refresh', refreshClv, { oncePerLocalDay: true }),
  },
  {
    name: 'release-referral-rewards',
    // Main referral rewards whose friend's order has passed its return window.
    run: (db, clock, log) =>
      releaseDueReferralRewards(db, clock, undefined, (id, error) =>
        log.error({ err: error, referral: id }, 'referral reward release failed'),
      ),
  },
  {
    name: 'scan-time-triggers',
    // Birthdays, name days, points about to expire, dormant customers: triggers for flows.
    run: shopByShop('time-based flow triggers', scanTimeTriggers, {
      oncePerLocalDay: true,
      shops: (db) =>
        db
          .selectFrom('shops as s')
          .innerJoin('flows as f', 'f.shop_id', 's.id')
          .where('f.status', '=', 'active')
          .select(['s.id', 's.timezone'])
          .distinct()
          .execute(),
    }),
  },
  {
    name: 'award-daily-points',
    // Birthdays and name days, on each shop's own calendar day.
    run: shopByShop('birthday and name-day points', awardDailyPoints, { oncePerLocalDay: true }),
  },
];

const LOCK_KEY = 0x4c6f6a61; // "Loja": one process runs the round at a time

/**
 * Runs the periodic tasks every `everyMs` in this process. Several processes may run this: a
 * session advisory lock lets one do a round while the others skip it. Every task is
 * idempotent, so a crash mid-round is repaired by the next. (Automation brings a durable job
 * queue; these tasks move onto its cron then.)
 */
export function startPeriodicJobs(
  db: Db,
  clock: Clock,
  log: Logger,
  everyMs = 5 * 60_000,
): () => Promise<void> {
  let running: Promise<void> | undefined;
  const round = async () => {
    await db.connection().execute(async (conn) => {
      const { rows } = await sql<{
        locked: boolean;
      }>`SELECT pg_try_advisory_lock(${LOCK_KEY}) AS locked`.execute(conn);
      if (!rows[0]?.locked) return;
      try {
        for (const task of periodicTasks) {
          try {
            const done = await task.run(db, clock, log);
            if (done > 0) log.info({ task: task.name, done }, 'periodic task');
          } catch (error) {
            log.error({ err: error, task: task.name }, 'periodic task failed');
          }
        }
      } finally {
        await sql`SELECT pg_advisory_unlock(${LOCK_KEY})`.execute(conn);
      }
    });
  };
  const tick = () => {
    running ??= round()
      .catch((error) => log.error({ err: error }, 'periodic round failed'))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  setTimeout(tick, 5_000).unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
