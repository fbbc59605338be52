import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { Problem } from '../shared/errors.ts';
import { localDay } from '../shared/zoned-time.ts';
import { fitClv, saveClvModel } from './fit-clv.ts';
import { scoreCustomers } from './score-customers.ts';

const REFIT_AFTER_MS = 7 * 86_400_000;

/**
 * The scheduled CLV work for one shop: refit the model when it is a week old (or missing and
 * the shop has enough history), on all history up to today, then score every customer. A shop
 * without enough data yet is skipped quietly. Returns the customers scored.
 */
export async function refreshClv(db: Db, clock: Clock, shopId: string): Promise<number> {
  const now = clock.now();
  const shop = await db
    .selectFrom('shops')
    .selectAll()
    .where('id', '=', shopId)
    .executeTakeFirstOrThrow();
  const model = await db
    .selectFrom('clv_models')
    .select('fitted_at')
    .where('shop_id', '=', shopId)
    .executeTakeFirst();
  if (!model || now.getTime() - model.fitted_at.getTime() >= REFIT_AFTER_MS) {
    try {
      const fit = await fitClv(db, shop, localDay(now, shop.timezone));
      await saveClvModel(db, shopId, fit, now);
    } catch (error) {
      if (!(error instanceof Problem && error.status === 422)) throw error;
      if (!model) return 0; // not enough history for a first model yet
    }
  }
  return scoreCustomers(db, shop, now);
}
