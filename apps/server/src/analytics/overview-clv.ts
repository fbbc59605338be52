import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';

/** Predicted 52-week value buckets, in major units of the currency (× 100 for minor units). */
export const CLV_BOUNDS = [50, 100, 250, 500, 1000, 2500] as const;
/** Below this P(alive) a customer who has bought is "at risk". */
export const AT_RISK_ALIVE = 0.5;
/** How many customers each list gives by default, and at most. */
export const CLV_LIST = 10;
export const CLV_LIST_MAX = 100;

interface ListRow {
  customer_id: string;
  external_id: string;
  email: string | null;
  probability_alive: number;
  expected_purchases: number;
  predicted_clv: number | null;
  total_spent: number | null;
  last_day: string | null;
}

/**
 * The shop's CLV model as last fitted (BG/NBD and Gamma-Gamma parameters, the log-likelihood,
 * the customers it learnt from), the distribution of predicted 52-week value, the top customers
 * by predicted value and by P(alive), and the customers at risk: buyers with P(alive) below
 * 0.5, the most valuable so far first. Null model when the shop has not fitted one.
 *
 * Everything is computed in the database and read a page at a time (`limit` customers per
 * list from `offset`): each list walks an index in its own order (migration 0058) and stops
 * after the page, so a shop with 1M scored customers reads a few dozen rows per list; the
 * distribution is one aggregate over the predictions' value index.
 */
export async function overviewClv(
  db: Db,
  shop: ShopRow,
  { limit = CLV_LIST, offset = 0 }: { limit?: number; offset?: number } = {},
) {
  const model = await db
    .selectFrom('clv_models')
    .selectAll()
    .where('shop_id', '=', shop.id)
    .executeTakeFirst();
  if (!model) return { currency: shop.currency, model: null };
  const bounds = CLV_BOUNDS.map((b) => b * 100);
  // the page of predictions in the given order (an index's), then their customers and rollups
  const list = (page: ReturnType<typeof sql>) => sql<ListRow>`
    SELECT p.customer_id, c.external_id, c.email, p.probability_alive, p.expected_purchases,
           p.predicted_clv::float8 AS predicted_clv, r.total_spent::float8 AS total_spent,
           to_char(r.last_day, 'YYYY-MM-DD') AS last_day
    FROM (${page}) p
    JOIN customers c ON c.shop_id = ${shop.id} AND c.id = p.customer_id
    LEFT JOIN customer_rollups r ON r.shop_id = ${shop.id} AND r.customer_id = p.customer_id
    ORDER BY p.position`;
  const predictions = (order: ReturnType<typeof sql>) => sql`
    SELECT *, row_number() OVER (ORDER BY ${order}) AS position
    FROM (SELECT * FROM customer_predictions WHERE shop_id = ${shop.id}
          ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}) x`;
  const [distribution, byValue, byAlive, atRisk] = await Promise.all([
    sql<{ bucket: number; customers: number; value: number }>`
      SELECT width_bucket(predicted_clv, ${[0, ...bounds]}::bigint[]) - 1 AS bucket,
             count(*)::int AS customers, sum(predicted_clv)::float8 AS value
      FROM customer_predictions WHERE shop_id = ${shop.id} AND predicted_clv IS NOT NULL
      GROUP BY 1 ORDER BY 1`.execute(db),
    list(predictions(sql`predicted_clv DESC NULLS LAST, customer_id`)).execute(db),
    list(
      predictions(sql`probability_alive DESC, predicted_clv DESC NULLS LAST, customer_id`),
    ).execute(db),
    // buyers by their spend (customer_rollups_total_spent read backwards), each looked up in
    // the predictions until a page of them is below the line
    list(sql`
      SELECT x.*, row_number() OVER (ORDER BY x.total_spent DESC, x.customer_id) AS position
      FROM (SELECT cp.customer_id, cp.probability_alive, cp.expected_purchases, cp.predicted_clv,
                   r.total_spent
            FROM customer_rollups r
            JOIN customer_predictions cp ON cp.shop_id = r.shop_id AND cp.customer_id = r.customer_id
            WHERE r.shop_id = ${shop.id} AND cp.probability_alive < ${AT_RISK_ALIVE}
            ORDER BY r.total_spent DESC, r.customer_id LIMIT ${limit} OFFSET ${offset}) x`).execute(
      db,
    ),
  ]);
  const byBucket = new Map(distribution.rows.map((d) => [d.bucket, d]));
  const toCustomer = (r: ListRow) => ({
    customerId: r.external_id,
    email: r.email,
    probabilityAlive: Number(r.probability_alive.toFixed(4)),
    expectedPurchases: Number(r.expected_purchases.toFixed(2)),
    predictedClv: r.predicted_clv,
    historicalRevenue: r.total_spent ?? 0,
    lastOrderOn: r.last_day,
  });
  return {
    currency: shop.currency,
    model: {
      fittedAt: model.fitted_at.toISOString(),
      // the predictions below are scored by a job after each fit: until it has run, they are
      // the previous model's (or none)
      predictionsScoredAt: model.scored_at?.toISOString() ?? null,
      predictionsPending: model.scored_at === null || model.scored_at < model.fitted_at,
      calibrationEnd: model.calibration_end,
      customers: model.customers,
      bgnbd: model.bgnbd as {
        r: number;
        alpha: number;
        a: number;
        b: number;
        logLikelihood: number;
      },
      gammaGamma: model.gamma_gamma as { p: number; q: number; v: number } | null,
    },
    distribution: [...bounds, null].map((upTo, i) => ({
      upTo,
      customers: byBucket.get(i)?.customers ?? 0,
      value: byBucket.get(i)?.value ?? 0,
    })),
    topByValue: byValue.rows.map(toCustomer),
    topByProbabilityAlive: byAlive.rows.map(toCustomer),
    atRisk: atRisk.rows.map(toCustomer),
  };
}
