import { performance } from 'node:perf_hooks';
import {
  Logger as GraphileLogger,
  run,
  type JobHelpers,
  type Runner,
  type Task,
  type TaskList,
} from 'graphile-worker';
import type pg from 'pg';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { DeliveryDeps } from '../automations/deliver-messages.ts';
import { nextDueAt, runAutomationRound } from '../automations/run-automation-round.ts';
import {
  dailyTasks as allDailyTasks,
  logTaskReport,
  sweeps as allSweeps,
  type DailyTask,
  type Sweep,
  type TaskReport,
} from './periodic-tasks.ts';
import type { ConnectionDeps } from '../connections/connection-deps.ts';
import { pullConnection } from '../connections/pull-connection.ts';
import { pushCodes } from '../connections/push-codes.ts';
import { dueConnections } from '../connections/due-connections.ts';
import { recordConnectionError } from '../connections/record-connection-error.ts';
import { connectionQueue } from '../connections/schedule-connection-job.ts';
import { runCustomerScoring, SCORE_CUSTOMERS_TASK } from '../analytics/queue-customer-scoring.ts';
import { EXPORT_TASK, runExportJob } from '../exports/export-jobs.ts';
import {
  forgetOldShopDays,
  isShopDayDone,
  markShopDayDone,
  shopDayJobs,
  type ShopDayPayload,
} from './shop-days.ts';
import { deliverGiftCard, type VoucherDeps } from '../gift-cards/deliver-gift-card.ts';
import { GIFT_CARD_DELIVERY, type DeliveryJob } from '../gift-cards/schedule-delivery.ts';
import { GIFT_CARD_BUYER_COPY, sendBuyerCopy } from '../gift-cards/buyer-copy.ts';

const ROUND = 'automation-round';
const CONNECTIONS_DUE = 'connections-due';
const CONNECTION_PULL = 'connection-pull';
const CONNECTION_PUSH = 'connection-push';
const SHOP_DAYS = 'shop-days';
// Ticks missed while no worker ran are made good on start, up to this far back.
const BACKFILL = '3d';

export interface Worker {
  /** Something happened (an event batch): run an automation round soon. */
  nudge(): void;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  /** Told of every periodic task's run (the processor thread relays it to `/metrics`). */
  onTaskReport?: (report: TaskReport) => void;
  /** Tests pass their own lists; the server runs every feature's. */
  sweeps?: Sweep[];
  dailyTasks?: DailyTask[];
  /** Shop platforms' pulls and code pushes (connections/); absent, they do not run here. */
  connections?: ConnectionDeps;
  /** Sold gift cards' voucher e-mails (gift-cards/deliver-gift-card.ts); absent, they wait. */
  vouchers?: Omit<VoucherDeps, 'db' | 'clock'>;
}

/**
 * The one scheduler: graphile-worker runs every periodic and delayed job from PostgreSQL.
 * - The automation round: a crontab line every minute, a nudge after new events (job key
 *   `automation-round`, so nudges pile into one job), and a wake-up booked for when its next
 *   wait or delayed message falls due (`automation-round:next`).
 * - Sweeps (periodic-tasks.ts) on their own crontab lines.
 * - Daily tasks: an hourly `shop-days` tick queues each shop's work for its local day
 *   (shop-days.ts), once per shop-day; ticks missed while stopped are backfilled, and a job
 *   that fails is retried with the queue's backoff.
 * Several processes may run this side by side: the queue hands each job to one of them.
 */
export async function startWorker(
  pool: pg.Pool,
  db: Db,
  clock: Clock,
  deps: DeliveryDeps,
  log: Logger,
  options: WorkerOptions = {},
): Promise<Worker> {
  const sweeps = options.sweeps ?? allSweeps;
  const dailyTasks = options.dailyTasks ?? allDailyTasks;
  const report = (r: TaskReport) => {
    logTaskReport(log, r);
    options.onTaskReport?.(r);
  };

  const taskList: TaskList = {
    [ROUND]: async (_payload, helpers) => {
      const round = await runAutomationRound(db, clock, deps, (phase, error) =>
        log.error({ err: error, phase }, 'automation round phase failed'),
      );
      if (round.triggers + round.runs + round.delivery.sent + round.delivery.failed > 0)
        log.info({ ...round }, 'automation round');
      const next = await nextDueAt(db);
      if (next && next.getTime() - clock.now().getTime() < 60_000) {
        await helpers.addJob(ROUND, {}, { jobKey: `${ROUND}:next`, runAt: next, maxAttempts: 3 });
      }
    },
    [SHOP_DAYS]: async (payload, helpers) => {
      const tick = tickOf(payload);
      const jobs = await shopDayJobs(db, dailyTasks, tick);
      for (const job of jobs) {
        await helpers.addJob(job.task, job.payload, {
          jobKey: job.jobKey,
          // A job of that shop-day already waiting, running or retrying is left as it is.
          jobKeyMode: 'unsafe_dedupe',
          maxAttempts: 8,
        });
      }
      await forgetOldShopDays(db, tick);
    },
  };
  // The customers' scoring after a CLV fit (the fit route queues it).
  taskList[SCORE_CUSTOMERS_TASK] = async (payload) => {
    const started = performance.now();
    const done = await runCustomerScoring(db, clock, payload);
    const seconds = (performance.now() - started) / 1000;
    log.info({ task: SCORE_CUSTOMERS_TASK, done, seconds }, 'customers scored');
  };
  // Whole-shop exports and audience files (exports/), asked for through the API.
  taskList[EXPORT_TASK] = async (payload) =>
    runExportJob(pool, db, clock, payload as { shopId: string; exportId: string });
  if (options.connections) Object.assign(taskList, connectionTasks(options.connections, log));
  const vouchers = options.vouchers;
  if (vouchers) {
    taskList[GIFT_CARD_DELIVERY] = async (payload, helpers) => {
      const job = payload as DeliveryJob;
      const outcome = await deliverGiftCard({ db, clock, ...vouchers }, job);
      // The database's clock ran ahead of this process's: look again in a minute.
      if (outcome === 'not-due') {
        await helpers.addJob(GIFT_CARD_DELIVERY, job, {
          runAt: new Date(clock.now().getTime() + 60_000),
          maxAttempts: 10,
        });
      }
    };
    taskList[GIFT_CARD_BUYER_COPY] = async (payload) => {
      await sendBuyerCopy({ db, ...vouchers }, payload as DeliveryJob);
    };
  }
  for (const sweep of sweeps) taskList[sweep.name] = sweepTask(sweep, db, clock, report);
  for (const task of dailyTasks) taskList[task.name] = dailyTask(task, db, report);

  const crontab = [
    `* * * * * ${ROUND} ?jobKey=${ROUND}:cron`,
    `0 * * * * ${SHOP_DAYS} ?fill=${BACKFILL}&max=5`,
    ...(options.connections
      ? [`* * * * * ${CONNECTIONS_DUE} ?jobKey=${CONNECTIONS_DUE}:cron`]
      : []),
    ...sweeps.map((s) => `${s.cron} ${s.name} ?jobKey=${s.name}:cron&max=1`),
  ].join('\n');

  const runner: Runner = await run({
    pgPool: pool,
    // Two at once, so a long daily task (a CLV refit) never holds up the automation round.
    concurrency: 2,
    noHandleSignals: true,
    pollInterval: 2000,
    logger: quietLogger(log),
    crontab,
    taskList,
  });
  // The current hour's tick at start, so a new shop's day need not wait for the next hour.
  await runner.addJob(
    SHOP_DAYS,
    { at: clock.now().toISOString() },
    { jobKey: `${SHOP_DAYS}:start` },
  );

  let nudged = false;
  return {
    nudge() {
      if (nudged) return;
      nudged = true;
      // At most one request a second, however many batches arrive.
      setTimeout(() => {
        nudged = false;
        void runner
          .addJob(ROUND, {}, { jobKey: ROUND, jobKeyMode: 'preserve_run_at', maxAttempts: 3 })
          .catch((error: unknown) =>
            log.error({ err: error }, 'could not schedule an automation round'),
          );
      }, 1000).unref();
    },
    async stop() {
      await runner.stop();
    },
  };
}

/** The tick a `shop-days` job stands for: its cron time, or the start job's `at`. */
function tickOf(payload: unknown): Date {
  const p = payload as { _cron?: { ts?: string }; at?: string } | null;
  const at = p?._cron?.ts ?? p?.at;
  return at ? new Date(at) : new Date();
}

function sweepTask(sweep: Sweep, db: Db, clock: Clock, report: (r: TaskReport) => void): Task {
  return async () => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const done = await sweep.run(db, clock, (shopId, error) =>
        report({ task: sweep.name, shopId, outcome: 'failed', done: 0, seconds: seconds(), error }),
      );
      report({ task: sweep.name, shopId: null, outcome: 'done', done, seconds: seconds() });
    } catch (error) {
      // The next tick runs it again; a sweep is not retried on its own.
      report({
        task: sweep.name,
        shopId: null,
        outcome: 'failed',
        done: 0,
        seconds: seconds(),
        error,
      });
    }
  };
}

function dailyTask(task: DailyTask, db: Db, report: (r: TaskReport) => void): Task {
  return async (payload: unknown, _helpers: JobHelpers) => {
    const job = payload as ShopDayPayload;
    if (await isShopDayDone(db, task.name, job)) return;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    // As of the tick that found the day, so a backfilled day is done as it would have been then.
    const asOf = { now: () => new Date(job.at) };
    try {
      const done = await task.run(db, asOf, job.shopId);
      await markShopDayDone(db, task.name, job, done, new Date());
      report({ task: task.name, shopId: job.shopId, outcome: 'done', done, seconds: seconds() });
    } catch (error) {
      report({
        task: task.name,
        shopId: job.shopId,
        outcome: 'failed',
        done: 0,
        seconds: seconds(),
        error,
      });
      throw error; // the queue retries it with exponential backoff
    }
  };
}

function quietLogger(log: Logger): GraphileLogger {
  return new GraphileLogger(() => (level, message, meta) => {
    if (level === 'error') log.error({ meta }, message);
    else if (level === 'warning') log.warn({ meta }, message);
  });
}

interface ConnectionJob {
  shopId: string;
  connectionId: string;
}

function connectionJob(payload: unknown): ConnectionJob {
  const p = payload as Partial<ConnectionJob> | null;
  if (!p || typeof p.shopId !== 'string' || typeof p.connectionId !== 'string')
    throw new Error('a connection job needs shopId and connectionId');
  return { shopId: p.shopId, connectionId: p.connectionId };
}

/**
 * Each connection's pull and push run as jobs in the connection's own queue (one at a time,
 * whichever process takes them) with a key per task. A wake-up (a new code, a hook, "sync now",
 * the minute sweep for work due) replaces a run booked for later and revives a job that failed
 * for good; a run books its successor without pushing back one already due sooner. A failure
 * that is not the platform's (the database gone, a bug) is recorded in the connection's errors
 * before the job queue retries it.
 */
function connectionTasks(deps: ConnectionDeps, log: Logger): TaskList {
  const key = (task: string, job: ConnectionJob) => `${task}:${job.shopId}:${job.connectionId}`;
  const options = (task: string, job: ConnectionJob) => ({
    queueName: connectionQueue(job.shopId, job.connectionId),
    jobKey: key(task, job),
    maxAttempts: 3,
  });
  const recorded = async (job: ConnectionJob, direction: 'pull' | 'push', error: unknown) => {
    await recordConnectionError(deps.db, {
      shopId: job.shopId,
      connectionId: job.connectionId,
      at: deps.clock.now(),
      direction,
      kind: 'internal',
      message: error instanceof Error ? error.message : String(error),
    }).catch(() => undefined);
    return error;
  };
  return {
    [CONNECTION_PULL]: async (payload, helpers) => {
      const job = connectionJob(payload);
      const run = await pullConnection(deps, job.shopId, job.connectionId).catch(
        async (error: unknown) => {
          throw await recorded(job, 'pull', error);
        },
      );
      if (run.stored > 0 || run.pages > 1)
        log.info({ ...job, stored: run.stored, pages: run.pages }, 'connection pulled');
      if (run.nextAt) {
        await helpers.addJob(CONNECTION_PULL, job, {
          ...options(CONNECTION_PULL, job),
          runAt: run.more ? undefined : run.nextAt,
          jobKeyMode: 'preserve_run_at',
        });
      }
    },
    [CONNECTION_PUSH]: async (payload, helpers) => {
      const job = connectionJob(payload);
      const run = await pushCodes(deps, job.shopId, job.connectionId).catch(
        async (error: unknown) => {
          throw await recorded(job, 'push', error);
        },
      );
      if (run.created + run.failed + run.disabled > 0)
        log.info({ ...job, ...run, nextAt: undefined }, 'connection codes pushed');
      if (run.nextAt) {
        await helpers.addJob(CONNECTION_PUSH, job, {
          ...options(CONNECTION_PUSH, job),
          runAt: run.more ? undefined : run.nextAt,
          jobKeyMode: 'preserve_run_at',
        });
      }
    },
    [CONNECTIONS_DUE]: async (_payload, helpers) => {
      for (const due of await dueConnections(deps.db, deps.clock.now())) {
        const job = { shopId: due.shopId, connectionId: due.connectionId };
        for (const [task, wanted] of [
          [CONNECTION_PULL, due.pull],
          [CONNECTION_PUSH, due.push],
        ] as const) {
          // due now: replaces a later booking and revives a job that failed for good
          if (wanted)
            await helpers.addJob(task, job, { ...options(task, job), jobKeyMode: 'replace' });
        }
      }
    },
  };
}
