import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import { currencyExponent } from '../shared/money.ts';
import { localDay } from '../shared/zoned-time.ts';
import {
  bgNbdExpectedPurchases,
  bgNbdProbabilityAlive,
  gammaGammaExpectedSpend,
  type BgNbdParams,
  type GammaGammaParams,
} from './clv-models.ts';
import { loadCalibrationHistories } from './fit-clv.ts';

const HORIZON_WEEKS = 52;
const CHUNK = 5000;

/**
 * Scores every buyer of the shop under its current CLV model, as of today: P(alive), expected
 * purchases and predicted value over the next 52 weeks, written to customer_predictions (where
 * segment rules read `probability_alive` and `predicted_clv`), and when (clv_models.scored_at).
 * Returns the customers scored, or 0 when the shop has no model.
 */
export async function scoreCustomers(db: Db, shop: ShopRow, now: Date): Promise<number> {
  const model = await db
    .selectFrom('clv_models')
    .select(['bgnbd', 'gamma_gamma'])
    .where('shop_id', '=', shop.id)
    .executeTakeFirst();
  if (!model) return 0;
  const bgnbd = model.bgnbd as BgNbdParams;
  const gammaGamma = model.gamma_gamma as GammaGammaParams | null;
  const unit = 10 ** currencyExponent(shop.currency);
  const histories = await loadCalibrationHistories(db, shop, localDay(now, shop.timezone));
  for (let i = 0; i < histories.length; i += CHUNK) {
    const chunk = histories.slice(i, i + CHUNK).map((h) => {
      const purchases = bgNbdExpectedPurchases(bgnbd, h, HORIZON_WEEKS);
      const value = gammaGamma ? gammaGammaExpectedSpend(gammaGamma, h.x, h.zbar) * unit : null;
      return {
        id: h.customerId,
        alive: bgNbdProbabilityAlive(bgnbd, h),
        purchases,
        clv: value === null ? null : Math.round(purchases * value),
      };
    });
    await sql`
      INSERT INTO customer_predictions (shop_id, customer_id, probability_alive, expected_purchases, predicted_clv, scored_at)
      SELECT ${shop.id}, t.id, t.alive, t.purchases, t.clv, ${now}
      FROM unnest(${chunk.map((c) => c.id)}::text[], ${chunk.map((c) => c.alive)}::float8[],
                  ${chunk.map((c) => c.purchases)}::float8[], ${chunk.map((c) => c.clv)}::bigint[])
        AS t(id, alive, purchases, clv)
      ON CONFLICT (shop_id, customer_id) DO UPDATE SET
        probability_alive = excluded.probability_alive, expected_purchases = excluded.expected_purchases,
        predicted_clv = excluded.predicted_clv, scored_at = excluded.scored_at`.execute(db);
  }
  await db
    .updateTable('clv_models')
    .set({ scored_at: now })
    .where('shop_id', '=', shop.id)
    .execute();
  return histories.length;
}
