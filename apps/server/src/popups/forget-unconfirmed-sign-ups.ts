import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';

/** How long an unconfirmed sign-up is kept (its link works for 7 days). */
export const UNCONFIRMED_KEEP_DAYS = 30;

/**
 * Sign-ups never confirmed hold an e-mail address without consent: deleted after 30 days. A
 * sweep on the worker's schedule (app/periodic-tasks.ts).
 */
export async function forgetUnconfirmedSignUps(db: Db, clock: Clock): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - UNCONFIRMED_KEEP_DAYS * 86_400_000);
  const result = await db
    .deleteFrom('popup_sign_ups')
    .where('confirmed_at', 'is', null)
    .where('signed_up_at', '<', cutoff)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
