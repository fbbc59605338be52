import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/connect.ts';
import { problems } from '../shared/errors.ts';
import type { ShopRow } from '../shops/shop.ts';
import { addDays } from '../shared/zoned-time.ts';
import { metricSince } from '../tiers/evaluate-tier.ts';
import { parseTierProgramme } from '../tiers/find-tier-programme.ts';
import { tierProgress } from '../tiers/tier-progress.ts';

const EXPIRING_SOON_DAYS = 30;

interface Row {
  id: string;
  external_id: string;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  birthday: string | null;
  accepts_email_marketing: boolean | null;
  accepts_sms_marketing: boolean | null;
  tags: string[];
  redacted_at: Date | null;
  created_at: Date;
  debt: number | null;
  lifetime_earned: number | null;
  available: number;
  pending: number;
  expiring: Array<{ points: number; expires_at: string }> | null;
  orders_count: number;
  total_spent: number;
  last_order_at: Date | null;
  tier_programme: unknown;
  tier_id: string | null;
  tier_reached_at: Date | null;
  tier_review_at: Date | null;
  tier_grace_until: Date | null;
  tier_at_risk_notified_at: Date | null;
  manual_tier_id: string | null;
  manual_until: Date | null;
  tier_live_orders: number;
  tier_live_spend: number;
  tier_review_orders: number;
  tier_review_spend: number;
  tier_live_points: number | null;
  tier_review_points: number | null;
  referral_code: string | null;
}

/**
 * One read of a customer as integrations and the widget need it: profile, points (available,
 * pending, lifetime, what expires soon), order totals, the VIP tier and the progress to the next.
 * One statement, for a p99 in milliseconds.
 */
export async function customerView(db: Db, shop: ShopRow, externalId: string, now: Date) {
  const [row] = await viewRows(
    db,
    shop,
    now,
    sql`/* prepared: customer-view */`,
    sql`c.external_id = ${externalId}`,
  );
  if (!row) throw problems.notFound(`Customer ${externalId}`);
  return viewOf(row, shop, now);
}

export type CustomerView = ReturnType<typeof viewOf>;

/**
 * The view of one customer and, in the same statement, the caller's own columns over `c` (the
 * customers row): the storefront's `me` reads what it needs beside the view this way, one round
 * trip instead of two. `name` names the prepared statement (lowercase, digits and dashes); null
 * when the customer does not exist.
 */
export async function customerViewWith<Extra>(
  db: Db,
  shop: ShopRow,
  externalId: string,
  now: Date,
  extra: { name: string; columns: RawBuilder<unknown> },
): Promise<{ view: CustomerView; extra: Extra } | null> {
  const [row] = await viewRows<Extra>(
    db,
    shop,
    now,
    sql.raw(`/* prepared: ${extra.name} */`),
    sql`c.external_id = ${externalId}`,
    sql`, ${extra.columns}`,
  );
  return row ? { view: viewOf(row, shop, now), extra: row } : null;
}

/**
 * The same view of many customers of one shop in one statement, by Lojal id: what a batch of
 * messages reads at once instead of a view per message. Customers that do not exist are absent.
 */
export async function customerViewsByIds(
  db: Db,
  shop: ShopRow,
  customerIds: string[],
  now: Date,
): Promise<Map<string, CustomerView>> {
  if (customerIds.length === 0) return new Map();
  const rows = await viewRows(
    db,
    shop,
    now,
    sql`/* prepared: customer-views-by-id */`,
    sql`c.id = ANY(${[...new Set(customerIds)]}::text[])`,
  );
  return new Map(rows.map((row) => [row.id, viewOf(row, shop, now)]));
}

async function viewRows<Extra = unknown>(
  db: Db,
  shop: ShopRow,
  now: Date,
  prepared: RawBuilder<unknown>,
  which: RawBuilder<unknown>,
  extra: RawBuilder<unknown> = sql``,
): Promise<Array<Row & Extra>> {
  const soon = addDays(now, EXPIRING_SOON_DAYS);
  const since = {
    rolling: metricSince('rolling_12_months', shop.timezone, now),
    year: metricSince('calendar_year', shop.timezone, now),
  };
  const result = await sql<Row & Extra>`${prepared}
    SELECT c.id, c.external_id, c.email, c.phone, c.first_name, c.last_name, c.birthday,
           c.accepts_email_marketing, c.accepts_sms_marketing, c.tags, c.redacted_at, c.created_at,
           a.debt, a.lifetime_earned, lots.available, lots.pending, lots.expiring,
           o.orders_count, o.total_spent, o.last_order_at,
           tp.programme AS tier_programme, ct.tier_id, ct.reached_at AS tier_reached_at,
           ct.review_at AS tier_review_at, ct.grace_until AS tier_grace_until,
           ct.at_risk_notified_at AS tier_at_risk_notified_at, ct.manual_tier_id, ct.manual_until,
           o.tier_live_orders, o.tier_live_spend, o.tier_review_orders, o.tier_review_spend,
           pe.tier_live_points, pe.tier_review_points,
           (SELECT code FROM referral_codes rc WHERE rc.shop_id = c.shop_id AND rc.customer_id = c.id) AS referral_code
           ${extra}
    FROM customers c
    LEFT JOIN point_accounts a ON a.shop_id = c.shop_id AND a.customer_id = c.id
    LEFT JOIN tier_programmes tp ON tp.shop_id = c.shop_id
    LEFT JOIN customer_tiers ct ON ct.shop_id = c.shop_id AND ct.customer_id = c.id
    CROSS JOIN LATERAL (
      -- where the tier metric's windows start: the live period, and the next review's
      SELECT live.since AS live_since,
             CASE WHEN tp.programme->>'period' = 'calendar_year' AND ct.review_at IS NOT NULL
                  THEN date_trunc('year', (ct.review_at - interval '1 millisecond') AT TIME ZONE ${shop.timezone})
                         AT TIME ZONE ${shop.timezone}
                  ELSE live.since END AS review_since
      FROM (SELECT CASE tp.programme->>'period'
                     WHEN 'rolling_12_months' THEN ${since.rolling}::timestamptz
                     WHEN 'calendar_year' THEN ${since.year}::timestamptz
                     ELSE '-infinity'::timestamptz END AS since) live) tw
    CROSS JOIN LATERAL (
      -- one read of the customer's open lots, whatever the planner knows about the table
      SELECT COALESCE(sum(remaining) FILTER (WHERE available_at <= ${now}
                        AND (expires_at IS NULL OR expires_at > ${now})), 0)::bigint AS available,
             COALESCE(sum(remaining) FILTER (WHERE available_at > ${now}), 0)::bigint AS pending,
             json_agg(json_build_object('points', remaining, 'expires_at', expires_at) ORDER BY expires_at)
               FILTER (WHERE available_at <= ${now} AND expires_at > ${now} AND expires_at <= ${soon}) AS expiring
      FROM point_lots l WHERE l.shop_id = c.shop_id AND l.customer_id = c.id AND l.remaining > 0) lots
    CROSS JOIN LATERAL (
      -- Counted orders (paid, not cancelled) by FILTER, not WHERE: the shop-wide partial index of
      -- counted orders then cannot serve this read, so it is the customer's index whatever the
      -- planner knows (right after a burst, before ANALYZE, it scanned the whole shop's index).
      SELECT count(*) FILTER (WHERE counted)::bigint AS orders_count,
             COALESCE(sum(net) FILTER (WHERE counted), 0)::bigint AS total_spent,
             max(placed_at) FILTER (WHERE counted) AS last_order_at,
             count(*) FILTER (WHERE counted AND paid_at >= tw.live_since AND paid_at <= ${now})::bigint AS tier_live_orders,
             COALESCE(sum(net) FILTER (WHERE counted AND paid_at >= tw.live_since AND paid_at <= ${now}), 0)::bigint AS tier_live_spend,
             count(*) FILTER (WHERE counted AND paid_at >= tw.review_since AND paid_at <= ${now})::bigint AS tier_review_orders,
             COALESCE(sum(net) FILTER (WHERE counted AND paid_at >= tw.review_since AND paid_at <= ${now}), 0)::bigint AS tier_review_spend
      FROM (SELECT paid_at, placed_at, total - refunded_amount AS net,
                   (paid_at IS NOT NULL AND cancelled_at IS NULL) AS counted
            FROM orders o WHERE o.shop_id = c.shop_id AND o.customer_id = c.id) o) o
    LEFT JOIN LATERAL (
      -- points earned less their reversals; read only when the tier metric is points_earned
      SELECT COALESCE(sum(e.points - COALESCE(r.taken, 0)) FILTER (WHERE e.effective_at >= tw.live_since), 0)::bigint AS tier_live_points,
             COALESCE(sum(e.points - COALESCE(r.taken, 0)) FILTER (WHERE e.effective_at >= tw.review_since), 0)::bigint AS tier_review_points
      FROM point_entries e
      LEFT JOIN (SELECT reverses_entry_id, sum(-points + absorbed + already_expired) AS taken
                 FROM point_entries
                 WHERE shop_id = c.shop_id AND customer_id = c.id AND kind = 'reverse'
                 GROUP BY reverses_entry_id) r ON r.reverses_entry_id = e.id
      WHERE tp.programme->>'metric' = 'points_earned' AND e.shop_id = c.shop_id
        AND e.customer_id = c.id AND e.kind = 'earn' AND e.effective_at <= ${now}) pe ON true
    WHERE c.shop_id = ${shop.id} AND ${which}`.execute(db);
  return result.rows;
}

function viewOf(row: Row, shop: ShopRow, now: Date) {
  const debt = row.debt ?? 0;
  return {
    id: row.external_id,
    lojalId: row.id,
    email: row.email,
    phone: row.phone,
    firstName: row.first_name,
    lastName: row.last_name,
    birthday: row.birthday,
    acceptsMarketing: { email: row.accepts_email_marketing, sms: row.accepts_sms_marketing },
    tags: row.tags,
    redacted: row.redacted_at !== null,
    points: {
      available: row.available - debt,
      pending: row.pending,
      lifetimeEarned: row.lifetime_earned ?? 0,
      debt,
      expiringSoon: (row.expiring ?? []).map((e) => ({
        points: Number(e.points),
        expiresAt: new Date(e.expires_at).toISOString(),
      })),
    },
    tier: tierOf(row, now),
    referralCode: row.referral_code,
    orders: {
      count: row.orders_count,
      totalSpent: { amount: row.total_spent, currency: shop.currency },
      lastOrderAt: row.last_order_at?.toISOString() ?? null,
    },
    createdAt: row.created_at.toISOString(),
  };
}

/** The tier standing and progress; null when the shop has no tier programme. */
function tierOf(row: Row, now: Date) {
  if (row.tier_programme === null) return null;
  const programme = parseTierProgramme(row.tier_programme);
  const value = (live: boolean) =>
    programme.metric === 'points_earned'
      ? Number((live ? row.tier_live_points : row.tier_review_points) ?? 0)
      : programme.metric === 'orders'
        ? Number(live ? row.tier_live_orders : row.tier_review_orders)
        : Number(live ? row.tier_live_spend : row.tier_review_spend);
  const state = {
    tierId: row.tier_id,
    reachedAt: row.tier_reached_at,
    reviewAt: row.tier_review_at,
    graceUntil: row.tier_grace_until,
    atRiskNotifiedAt: row.tier_at_risk_notified_at,
    manualTierId: row.manual_tier_id,
    manualUntil: row.manual_until,
  };
  return tierProgress(programme, state, value(true), value(false), now);
}
