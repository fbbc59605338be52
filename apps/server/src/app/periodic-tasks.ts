import { sql } from 'kysely';
import { expireExports } from '../exports/export-jobs.ts';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { awardDailyPoints } from '../points/award-daily-points.ts';
import { expirePoints } from '../points/expire-points.ts';
import { GIFT_CARDS } from '../points/ledger.ts';
import { returnExpiredRewardCoupons } from '../rewards/return-expired-coupons.ts';
import { grantMonthlyPerks } from '../tiers/grant-monthly-perks.ts';
import { refreshClv } from '../analytics/refresh-clv.ts';
import { reviewAllTiers, reviewTiers } from '../tiers/review-tiers.ts';
import { releaseDueReferralRewards } from '../referrals/release-due-referral-rewards.ts';
import { scanTimeTriggers } from '../automations/scan-time-triggers.ts';
import { purgeIdempotencyKeys } from '../http/idempotency.ts';
import { recordAbandonedIntents } from '../audit/record-audit.ts';
import { forgetUnconfirmedSignUps } from '../popups/forget-unconfirmed-sign-ups.ts';
import { resumeImports } from '../imports/resume-imports.ts';
import { applyRetention } from '../privacy/apply-retention.ts';
import { shopsWithRetention } from '../privacy/privacy-settings.ts';

/**
 * A sweep: work that falls due at a moment (a lot's expiry, a referral's return window), done
 * for all shops at once every few minutes. Each is safe to repeat, and a missed tick is made
 * good by the next, so sweeps are not backfilled.
 */
export interface Sweep {
  name: string;
  /** A five-field cron schedule in UTC. */
  cron: string;
  /** Reports a shop's failure without stopping the others; returns how much it did. */
  run(db: Db, clock: Clock, onShopError: (shopId: string, error: unknown) => void): Promise<number>;
}

/**
 * A daily task: work for one shop's local calendar day (birthdays, name days, the CLV refit).
 * The hourly fan-out (shop-days.ts) queues it once per shop and day, as of the tick that found
 * the day; a failure is retried by the queue, and days missed while the server was down are
 * backfilled.
 */
export interface DailyTask {
  name: string;
  /** The shops it applies to; every shop when absent. */
  shops?: (db: Db) => Promise<string[]>;
  run(db: Db, clock: Clock, shopId: string): Promise<number>;
}

const EVERY_FIVE_MINUTES = '*/5 * * * *';
const ABANDONED_AFTER_MS = 15 * 60_000;

// The list a feature with time-driven work adds to (DESIGN.md: a feature touches its folder and app/).
export const sweeps: Sweep[] = [
  { name: 'expire-points', cron: EVERY_FIVE_MINUTES, run: (db, clock) => expirePoints(db, clock) },
  {
    name: 'expire-gift-cards',
    cron: EVERY_FIVE_MINUTES,
    run: (db, clock) => expirePoints(db, clock, GIFT_CARDS),
  },
  {
    name: 'return-expired-reward-coupons',
    cron: EVERY_FIVE_MINUTES,
    run: (db, clock) => returnExpiredRewardCoupons(db, clock),
  },
  {
    name: 'review-tiers',
    // Manual tiers ending, at-risk warnings, reviews and the end of grace: due at a moment.
    cron: EVERY_FIVE_MINUTES,
    run: (db, clock, onShopError) => reviewAllTiers(db, clock, onShopError),
  },
  {
    name: 'release-referral-rewards',
    // Main referral rewards whose friend's order has passed its return window.
    cron: EVERY_FIVE_MINUTES,
    run: (db, clock, onShopError) =>
      releaseDueReferralRewards(db, clock, undefined, (id, error, shopId) =>
        onShopError(shopId, Object.assign(new Error(`referral ${id}`), { cause: error })),
      ),
  },
  {
    name: 'purge-idempotency-keys',
    // Saved answers to Idempotency-Key requests are kept 48 hours.
    cron: '17 * * * *',
    run: (db) => purgeIdempotencyKeys(db),
  },
  {
    name: 'record-abandoned-audit',
    // A write's intent outlives its request only when the answer was never seen (no request
    // runs for 15 minutes): it goes into the audit log as unconfirmed.
    cron: EVERY_FIVE_MINUTES,
    run: (db, clock) =>
      recordAbandonedIntents(db, new Date(clock.now().getTime() - ABANDONED_AFTER_MS)),
  },
  {
    name: 'forget-unconfirmed-popup-sign-ups',
    // Pop-up sign-ups never confirmed keep no e-mail address past 30 days.
    cron: '23 * * * *',
    run: (db, clock) => forgetUnconfirmedSignUps(db, clock),
  },
  {
    name: 'expire-exports',
    // Export and audience files are removed once their download days are over.
    cron: '41 * * * *',
    run: (db, clock) => expireExports(db, clock),
  },
  {
    name: 'resume-imports',
    // An import whose runner died goes on from its last committed batch (docs/import.md).
    cron: EVERY_FIVE_MINUTES,
    run: (db, clock, onShopError) => resumeImports(db, clock, onShopError),
  },
];

export const dailyTasks: DailyTask[] = [
  {
    name: 'apply-retention',
    // The shop's retention policy for personal data (docs/privacy.md).
    shops: shopsWithRetention,
    run: applyRetention,
  },
  {
    name: 'award-daily-points',
    // Birthdays and name days, on each shop's own calendar day.
    run: awardDailyPoints,
  },
  {
    name: 'scan-time-triggers',
    // Birthdays, name days, points about to expire, dormant customers: triggers for flows.
    shops: (db) =>
      db
        .selectFrom('flows')
        .where('status', '=', 'active')
        .select('shop_id')
        .distinct()
        .execute()
        .then((rows) => rows.map((r) => r.shop_id)),
    run: scanTimeTriggers,
  },
  {
    name: 'grant-tier-perks',
    // The shop's tiers reviewed first, so a customer who just lost the tier gets no perk.
    shops: (db) => shopsWith(db, 'tier_programmes'),
    run: async (db, clock, shopId) =>
      (await reviewTiers(db, clock, shopId)) + (await grantMonthlyPerks(db, clock, shopId)),
  },
  {
    name: 'refresh-clv',
    // A weekly refit, and every customer's prediction once a day.
    run: refreshClv,
  },
];

async function shopsWith(db: Db, table: 'tier_programmes'): Promise<string[]> {
  const { rows } = await sql<{
    shop_id: string;
  }>`SELECT DISTINCT shop_id FROM ${sql.table(table)}`.execute(db);
  return rows.map((r) => r.shop_id);
}

/** What a task reports to logs and `/metrics`, per shop where the task is per shop. */
export interface TaskReport {
  task: string;
  shopId: string | null;
  outcome: 'done' | 'failed';
  done: number;
  seconds: number;
  error?: unknown;
}

export function logTaskReport(log: Logger, report: TaskReport): void {
  const { error, ...fields } = report;
  if (report.outcome === 'failed') log.error({ ...fields, err: error }, 'periodic task failed');
  else if (report.done > 0) log.info(fields, 'periodic task');
}
