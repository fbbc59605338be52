import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import { problems } from '../shared/errors.ts';
import { currencyExponent } from '../shared/money.ts';
import {
  bgNbdExpectedPurchases,
  bgNbdProbabilityAlive,
  gammaGammaExpectedSpend,
  type BgNbdParams,
  type GammaGammaParams,
} from './clv-models.ts';
import { COUNTED_ORDER, DAY_MS } from '../db/shop-days.ts';
import { localDay } from '../shared/zoned-time.ts';
import { findCustomerId } from '../customers/find-customer-id.ts';

const HORIZON_WEEKS = 52;

export interface CustomerValue {
  customerId: string;
  currency: string;
  historical: {
    orders: number;
    revenue: number;
    firstOrderOn: string | null;
    lastOrderOn: string | null;
  };
  predicted: {
    horizonWeeks: number;
    probabilityAlive: number;
    expectedPurchases: number;
    expectedOrderValue: number | null;
    clv: number | null;
  } | null;
  model: { fittedAt: string; calibrationEnd: string };
}

/**
 * What a customer has been worth and is expected to be worth over the next 52 weeks, from the
 * shop's current model and the customer's purchase days up to today (in the shop's time zone).
 * Money in minor units; CLV is undiscounted.
 */
export async function predictCustomerValue(
  db: Db,
  shop: ShopRow,
  externalId: string,
  now: Date,
): Promise<CustomerValue> {
  const model = await db
    .selectFrom('clv_models')
    .selectAll()
    .where('shop_id', '=', shop.id)
    .executeTakeFirst();
  if (!model) {
    throw problems.conflict(
      'This shop has no CLV model yet: fit one with POST /v1/analytics/clv/fit.',
    );
  }
  const customer = { id: await findCustomerId(db, shop.id, externalId) };
  const tz = shop.timezone;
  const { rows } = await sql<{ day: string; value: number; orders: number }>`
    SELECT (placed_at AT TIME ZONE ${tz})::date::text AS day, sum(total - refunded_amount)::float8 AS value,
           count(*)::int AS orders
    FROM orders WHERE shop_id = ${shop.id} AND customer_id = ${customer.id} AND ${COUNTED_ORDER}
      AND placed_at <= ${now}
    GROUP BY 1 ORDER BY 1`.execute(db);
  const today = Date.parse(`${localDay(now, tz)}T00:00:00Z`);
  const revenue = rows.reduce((s, r) => s + r.value, 0);
  const historical = {
    orders: rows.reduce((s, r) => s + r.orders, 0),
    revenue: Math.round(revenue),
    firstOrderOn: rows[0]?.day ?? null,
    lastOrderOn: rows.at(-1)?.day ?? null,
  };
  const modelInfo = {
    fittedAt: model.fitted_at.toISOString(),
    calibrationEnd: model.calibration_end,
  };
  if (rows.length === 0) {
    return {
      customerId: externalId,
      currency: shop.currency,
      historical,
      predicted: null,
      model: modelInfo,
    };
  }
  const weeksSince = (day: string) => (today - Date.parse(`${day}T00:00:00Z`)) / DAY_MS / 7;
  const history = {
    x: rows.length - 1,
    tX: weeksSince(rows[0]!.day) - weeksSince(rows.at(-1)!.day),
    T: weeksSince(rows[0]!.day),
  };
  const bgnbd = model.bgnbd as BgNbdParams;
  const gammaGamma = model.gamma_gamma as GammaGammaParams | null;
  const unit = 10 ** currencyExponent(shop.currency);
  const repeatMean =
    history.x > 0 ? rows.slice(1).reduce((s, r) => s + r.value, 0) / history.x / unit : 0;
  const expectedPurchases = bgNbdExpectedPurchases(bgnbd, history, HORIZON_WEEKS);
  const expectedOrderValue = gammaGamma
    ? gammaGammaExpectedSpend(gammaGamma, history.x, repeatMean) * unit
    : null;
  return {
    customerId: externalId,
    currency: shop.currency,
    historical,
    predicted: {
      horizonWeeks: HORIZON_WEEKS,
      probabilityAlive: bgNbdProbabilityAlive(bgnbd, history),
      expectedPurchases,
      expectedOrderValue: expectedOrderValue === null ? null : Math.round(expectedOrderValue),
      clv: expectedOrderValue === null ? null : Math.round(expectedPurchases * expectedOrderValue),
    },
    model: modelInfo,
  };
}
