import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { advanceDueRuns } from './advance-runs.ts';
import { deliverDueMessages, type DeliveryDeps, type DeliveryReport } from './deliver-messages.ts';
import { startRuns } from './start-runs.ts';

export interface RoundReport {
  triggers: number;
  runs: number;
  delivery: DeliveryReport;
}

/**
 * One round of the automation engine, safe to run at any time and in several workers at once:
 * consume the trigger outbox (start and end runs), walk the runs that are due, send the
 * messages that are due.
 */
export async function runAutomationRound(
  db: Db,
  clock: Clock,
  deps: DeliveryDeps,
  onError: (phase: string, error: unknown) => void = (_phase, error) => {
    throw error;
  },
): Promise<RoundReport> {
  // Each phase on its own: a failure in one (logged) does not keep the others from working.
  const phase = async <T>(name: string, work: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      onError(name, error);
      return fallback;
    }
  };
  const triggers = await phase(
    'triggers',
    async () => {
      let total = 0;
      for (let n = await startRuns(db, clock); n > 0; n = await startRuns(db, clock)) total += n;
      return total;
    },
    0,
  );
  const runs = await phase('runs', () => advanceDueRuns(db, clock), 0);
  const delivery = await phase('delivery', () => deliverDueMessages(db, clock, deps), {
    sent: 0,
    failed: 0,
    suppressed: 0,
    retried: 0,
    deferred: 0,
    interrupted: 0,
  });
  return { triggers, runs, delivery };
}

/** When something next becomes due (a run's wait, a delayed message), to wake up for it. */
export async function nextDueAt(db: Db): Promise<Date | null> {
  const [run, message] = await Promise.all([
    db
      .selectFrom('flow_runs')
      .select((eb) => eb.fn.min('due_at').as('at'))
      .where('status', '=', 'active')
      .executeTakeFirst(),
    db
      .selectFrom('messages')
      .select((eb) => eb.fn.min('not_before').as('at'))
      .where('status', '=', 'queued')
      .executeTakeFirst(),
  ]);
  const times = [run?.at, message?.at].filter((t): t is Date => t instanceof Date);
  return times.length ? new Date(Math.min(...times.map((t) => t.getTime()))) : null;
}
