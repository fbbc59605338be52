import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import { currencyExponent } from '../shared/money.ts';
import { Problem } from '../shared/errors.ts';
import {
  bgNbdExpectedPurchases,
  fitBgNbd,
  fitGammaGamma,
  type BgNbdParams,
  type CustomerHistory,
  type GammaGammaParams,
} from './clv-models.ts';
import { COUNTED_ORDER, DAY_MS } from './shop-days.ts';

export interface ClvFit {
  calibrationEnd: string;
  customers: number;
  bgnbd: BgNbdParams & { logLikelihood: number };
  gammaGamma: GammaGammaParams | null;
  /** The model's expected purchases after calibrationEnd against what the customers did. */
  holdout?: {
    holdoutEnd: string;
    weeks: number;
    predictedPurchases: number;
    actualPurchases: number;
  };
}

/**
 * Fits BG/NBD and Gamma-Gamma by maximum likelihood on the shop's customers whose first order
 * is on or before calibrationEnd, as in the literature: time in weeks, purchases on the same
 * (shop) day count as one, the first purchase is not a repeat, T runs from the first purchase
 * to calibrationEnd; Gamma-Gamma on customers with a repeat, with the mean value (in currency
 * units, refunds deducted) of their repeat purchases.
 */
export async function fitClv(
  db: Db,
  shop: ShopRow,
  calibrationEnd: string,
  holdoutEnd?: string,
): Promise<ClvFit> {
  const customers = await loadCalibrationHistories(db, shop, calibrationEnd, holdoutEnd);
  if (customers.length < 3) {
    throw new Problem(
      422,
      'not-enough-data',
      'Not enough customers',
      `A fit needs at least 3 customers with an order on or before ${calibrationEnd}; found ${customers.length}.`,
    );
  }
  if (customers.every((c) => c.x === 0)) {
    throw new Problem(
      422,
      'not-enough-data',
      'No repeat purchases',
      `No customer bought again on or before ${calibrationEnd}; the model has nothing to learn from.`,
    );
  }
  const bgnbd = fitBgNbd(customers);
  const fit: ClvFit = {
    calibrationEnd,
    customers: customers.length,
    bgnbd,
    gammaGamma: fitGammaGamma(customers),
  };
  if (holdoutEnd) {
    const weeks = (Date.parse(holdoutEnd) - Date.parse(calibrationEnd)) / DAY_MS / 7;
    fit.holdout = {
      holdoutEnd,
      weeks,
      predictedPurchases: customers.reduce(
        (sum, c) => sum + bgNbdExpectedPurchases(bgnbd, c, weeks),
        0,
      ),
      actualPurchases: customers.reduce((sum, c) => sum + c.holdoutX, 0),
    };
  }
  return fit;
}

/** Keeps a fit as the shop's current model, which customer predictions use. */
export async function saveClvModel(
  db: Db,
  shopId: string,
  fit: ClvFit,
  fittedAt: Date,
): Promise<void> {
  const row = {
    fitted_at: fittedAt,
    calibration_end: fit.calibrationEnd,
    customers: fit.customers,
    bgnbd: JSON.stringify(fit.bgnbd),
    gamma_gamma: fit.gammaGamma ? JSON.stringify(fit.gammaGamma) : null,
  };
  await db
    .insertInto('clv_models')
    .values({ shop_id: shopId, ...row })
    .onConflict((oc) => oc.column('shop_id').doUpdateSet(row))
    .execute();
}

/** Each customer's (x, tX, T) in weeks and mean repeat value in currency units, up to calibrationEnd. */
export async function loadCalibrationHistories(
  db: Db,
  shop: ShopRow,
  calibrationEnd: string,
  holdoutEnd: string = calibrationEnd,
): Promise<Array<CustomerHistory & { customerId: string; zbar: number; holdoutX: number }>> {
  const tz = shop.timezone;
  const { rows } = await sql<{
    customer_id: string;
    first_day: string;
    x: number;
    last_day: string;
    zbar_minor: number | null;
    holdout_x: number;
  }>`
    WITH days AS (
      SELECT customer_id, (placed_at AT TIME ZONE ${tz})::date AS day, sum(total - refunded_amount) AS value
      FROM orders
      WHERE shop_id = ${shop.id} AND customer_id IS NOT NULL AND ${COUNTED_ORDER}
      GROUP BY 1, 2
    ),
    firsts AS (SELECT customer_id, min(day) AS first_day FROM days GROUP BY 1)
    SELECT f.customer_id, f.first_day::text AS first_day,
           (count(*) FILTER (WHERE d.day > f.first_day AND d.day <= ${calibrationEnd}::date))::int AS x,
           max(d.day) FILTER (WHERE d.day <= ${calibrationEnd}::date)::text AS last_day,
           (count(*) FILTER (WHERE d.day > ${calibrationEnd}::date AND d.day <= ${holdoutEnd}::date))::int AS holdout_x,
           (avg(d.value) FILTER (WHERE d.day > f.first_day AND d.day <= ${calibrationEnd}::date))::float8 AS zbar_minor
    FROM firsts f JOIN days d USING (customer_id)
    WHERE f.first_day <= ${calibrationEnd}::date
    GROUP BY f.customer_id, f.first_day`.execute(db);
  const end = Date.parse(`${calibrationEnd}T00:00:00Z`);
  const unit = 10 ** currencyExponent(shop.currency);
  const weeks = (from: string, to: number) => (to - Date.parse(`${from}T00:00:00Z`)) / DAY_MS / 7;
  return rows.map((r) => ({
    customerId: r.customer_id,
    x: r.x,
    tX: weeks(r.first_day, Date.parse(`${r.last_day}T00:00:00Z`)),
    T: weeks(r.first_day, end),
    zbar: r.zbar_minor === null ? 0 : r.zbar_minor / unit,
    holdoutX: r.holdout_x,
  }));
}
