import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import { currencyExponent } from '../shared/money.ts';
import { Problem } from '../shared/errors.ts';
import {
  bgNbdExpectedPurchases,
  fitBgNbdGroups,
  fitGammaGamma,
  type BgNbdParams,
  type CustomerHistory,
  type GammaGammaParams,
} from './clv-models.ts';
import { DAY_MS } from '../db/shop-days.ts';

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
  const { histories, spends, customers, actualHoldout } = await loadCalibrationGroups(
    db,
    shop,
    calibrationEnd,
    holdoutEnd,
  );
  if (customers < 3) {
    throw new Problem(
      422,
      'not-enough-data',
      'Not enough customers',
      `A fit needs at least 3 customers with an order on or before ${calibrationEnd}; found ${customers}.`,
    );
  }
  if (histories.every((c) => c.x === 0)) {
    throw new Problem(
      422,
      'not-enough-data',
      'No repeat purchases',
      `No customer bought again on or before ${calibrationEnd}; the model has nothing to learn from.`,
    );
  }
  const bgnbd = fitBgNbdGroups(histories);
  const fit: ClvFit = {
    calibrationEnd,
    customers,
    bgnbd,
    gammaGamma: fitGammaGamma(spends),
  };
  if (holdoutEnd) {
    const weeks = (Date.parse(holdoutEnd) - Date.parse(calibrationEnd)) / DAY_MS / 7;
    fit.holdout = {
      holdoutEnd,
      weeks,
      predictedPurchases: histories.reduce(
        (sum, c) => sum + c.n * bgNbdExpectedPurchases(bgnbd, c, weeks),
        0,
      ),
      actualPurchases: actualHoldout,
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

/**
 * Each buyer's calibration summary, from the rollups: a customer whose last purchase day is on
 * or before calibrationEnd is read from customer_rollups alone; for the others, the purchase
 * days after calibrationEnd (customer_order_days, by day) are taken off, the earliest of them
 * naming (as its previous purchase day) the last one before the end. Days in the shop's zone.
 */
function calibrationQuery(
  shop: ShopRow,
  calibrationEnd: string,
  holdoutEnd: string,
): RawBuilder<unknown> {
  return sql`
    WITH after_end AS (
      SELECT customer_id, count(*)::int AS days, sum(net) AS net, min(prev_day) AS last_day,
             (count(*) FILTER (WHERE day <= ${holdoutEnd}::date))::int AS holdout_x
      FROM customer_order_days
      WHERE shop_id = ${shop.id} AND day > ${calibrationEnd}::date
      GROUP BY customer_id
    )
    SELECT r.customer_id,
           r.purchase_days - coalesce(a.days, 0) - 1 AS x,
           coalesce(a.last_day, r.last_day) - r.first_day AS tx_days,
           ${calibrationEnd}::date - r.first_day AS t_days,
           (r.total_spent - r.first_day_net - coalesce(a.net, 0))::float8 AS repeat_net,
           coalesce(a.holdout_x, 0) AS holdout_x
    FROM customer_rollups r
    LEFT JOIN after_end a ON a.customer_id = r.customer_id
    WHERE r.shop_id = ${shop.id} AND r.first_day <= ${calibrationEnd}::date`;
}

/**
 * What the fit needs, aggregated in the database: customers with the same (x, tX, T) as one
 * BG/NBD group with their number, and the repeat buyers' (x, zbar) for Gamma-Gamma, grouped
 * the same way.
 */
async function loadCalibrationGroups(
  db: Db,
  shop: ShopRow,
  calibrationEnd: string,
  holdoutEnd: string = calibrationEnd,
): Promise<{
  histories: Array<CustomerHistory & { n: number }>;
  spends: Array<{ x: number; zbar: number; n: number }>;
  customers: number;
  actualHoldout: number;
}> {
  const { rows } = await sql<{
    spend: boolean;
    x: number;
    tx_days: number | null;
    t_days: number | null;
    repeat_net: number | null;
    n: number;
    holdout_x: number;
  }>`
    SELECT grouping(repeat_net) = 0 AS spend, x, tx_days, t_days, repeat_net, count(*)::int AS n,
           sum(holdout_x)::int AS holdout_x
    FROM (${calibrationQuery(shop, calibrationEnd, holdoutEnd)}) h
    GROUP BY GROUPING SETS ((x, tx_days, t_days), (x, repeat_net))
    HAVING grouping(repeat_net) = 1 OR (x > 0 AND repeat_net > 0)`.execute(db);
  const unit = 10 ** currencyExponent(shop.currency);
  const histories: Array<CustomerHistory & { n: number }> = [];
  const spends: Array<{ x: number; zbar: number; n: number }> = [];
  let customers = 0;
  let actualHoldout = 0;
  for (const r of rows) {
    if (r.spend) {
      spends.push({ x: r.x, zbar: r.repeat_net! / r.x / unit, n: r.n });
    } else {
      histories.push({ x: r.x, tX: r.tx_days! / 7, T: r.t_days! / 7, n: r.n });
      customers += r.n;
      actualHoldout += r.holdout_x;
    }
  }
  return { histories, spends, customers, actualHoldout };
}

/** Each customer's (x, tX, T) in weeks and mean repeat value in currency units, up to calibrationEnd. */
export async function loadCalibrationHistories(
  db: Db,
  shop: ShopRow,
  calibrationEnd: string,
  holdoutEnd: string = calibrationEnd,
): Promise<Array<CustomerHistory & { customerId: string; zbar: number; holdoutX: number }>> {
  const { rows } = await sql<{
    customer_id: string;
    x: number;
    tx_days: number;
    t_days: number;
    repeat_net: number;
    holdout_x: number;
  }>`${calibrationQuery(shop, calibrationEnd, holdoutEnd)}`.execute(db);
  const unit = 10 ** currencyExponent(shop.currency);
  return rows.map((r) => ({
    customerId: r.customer_id,
    x: r.x,
    tX: r.tx_days / 7,
    T: r.t_days / 7,
    zbar: r.x > 0 ? r.repeat_net / r.x / unit : 0,
    holdoutX: r.holdout_x,
  }));
}
