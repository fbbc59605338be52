import { Logger as GraphileLogger, run, runMigrations, type Runner } from 'graphile-worker';
import type pg from 'pg';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { DeliveryDeps } from '../automations/deliver-messages.ts';
import { nextDueAt, runAutomationRound } from '../automations/run-automation-round.ts';

const TASK = 'automation-round';

/** Installs (or upgrades) graphile-worker's own schema; migrate() calls it after ours. */
export async function migrateJobQueue(pool: pg.Pool): Promise<void> {
  await runMigrations({ pgPool: pool, logger: quietLogger() });
}

export interface AutomationWorker {
  /** Something happened (an event batch): run a round soon. */
  nudge(): void;
  stop(): Promise<void>;
}

/**
 * The automation engine on graphile-worker: durable jobs in PostgreSQL run the rounds. A
 * crontab line runs one every minute whatever happens; a nudge after new events asks for one
 * now (job key `automation-round`, so nudges pile into one job); and each round books a wake-up
 * for when its next wait or delayed message falls due (job key `automation-round:next`). Several
 * processes may run this: rounds are safe side by side (SKIP LOCKED claims).
 */
export async function startAutomationWorker(
  pool: pg.Pool,
  db: Db,
  clock: Clock,
  deps: DeliveryDeps,
  log: Logger,
): Promise<AutomationWorker> {
  const runner: Runner = await run({
    pgPool: pool,
    concurrency: 1,
    noHandleSignals: true,
    pollInterval: 2000,
    logger: quietLogger(log),
    crontab: `* * * * * ${TASK} ?jobKey=${TASK}:cron`,
    taskList: {
      [TASK]: async (_payload, helpers) => {
        const report = await runAutomationRound(db, clock, deps, (phase, error) =>
          log.error({ err: error, phase }, 'automation round phase failed'),
        );
        if (report.triggers + report.runs + report.delivery.sent + report.delivery.failed > 0)
          log.info({ ...report }, 'automation round');
        const next = await nextDueAt(db);
        if (next && next.getTime() - clock.now().getTime() < 60_000) {
          await helpers.addJob(TASK, {}, { jobKey: `${TASK}:next`, runAt: next, maxAttempts: 3 });
        }
      },
    },
  });
  let nudged = false;
  return {
    nudge() {
      if (nudged) return;
      nudged = true;
      // At most one request a second, however many batches arrive.
      setTimeout(() => {
        nudged = false;
        void runner
          .addJob(TASK, {}, { jobKey: TASK, jobKeyMode: 'preserve_run_at', maxAttempts: 3 })
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

function quietLogger(log?: Logger): GraphileLogger {
  return new GraphileLogger(() => (level, message, meta) => {
    if (!log || level === 'debug') return;
    if (level === 'error') log.error({ meta }, message);
    else if (level === 'warning') log.warn({ meta }, message);
  });
}
