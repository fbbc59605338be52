import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Tx } from '../db/connect.ts';
import type { TierMetric } from './tier-schema.ts';

/**
 * The metric of many customers, each over its own window [since, until], in one statement:
 * a batch of 500 orders or a chunk of reviews costs one round trip.
 * - spend: paid, not cancelled orders (paid in the window) less what was refunded of them;
 * - orders: the number of those orders;
 * - points_earned: earn entries effective in the window, less what their reversals took back
 *   (adjustments and returned points are not earnings).
 */
export async function loadTierMetrics(
  db: Db | Tx,
  shopId: string,
  metric: TierMetric,
  windows: Array<{ customerId: string; since: Date }>,
  until: Date,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (windows.length === 0) return out;
  const ids = windows.map((w) => w.customerId);
  const since = windows.map((w) => w.since.toISOString());
  const rows =
    metric === 'points_earned'
      ? await sql<{ customer_id: string; value: number }>`
          WITH w AS (SELECT * FROM unnest(${ids}::text[], ${since}::timestamptz[]) AS w(customer_id, since)),
          earned AS (
            SELECT e.customer_id, e.id, e.points FROM w
            JOIN point_entries e ON e.shop_id = ${shopId} AND e.customer_id = w.customer_id
             AND e.kind = 'earn' AND e.effective_at >= w.since AND e.effective_at <= ${until})
          SELECT w.customer_id,
                 (COALESCE((SELECT sum(points) FROM earned x WHERE x.customer_id = w.customer_id), 0)
                  - COALESCE((SELECT sum(-r.points + r.absorbed + r.already_expired)
                              FROM point_entries r JOIN earned x ON x.id = r.reverses_entry_id
                              WHERE r.shop_id = ${shopId} AND r.customer_id = w.customer_id
                                AND r.kind = 'reverse'), 0))::bigint AS value
          FROM w`.execute(db)
      : await sql<{ customer_id: string; value: number }>`
          SELECT w.customer_id,
                 ${metric === 'orders' ? sql`count(o.id)` : sql`COALESCE(sum(o.total - o.refunded_amount), 0)`}::bigint AS value
          FROM unnest(${ids}::text[], ${since}::timestamptz[]) AS w(customer_id, since)
          LEFT JOIN orders o ON o.shop_id = ${shopId} AND o.customer_id = w.customer_id
           AND o.paid_at IS NOT NULL AND o.cancelled_at IS NULL
           AND o.paid_at >= w.since AND o.paid_at <= ${until}
          GROUP BY w.customer_id`.execute(db);
  for (const row of rows.rows) out.set(row.customer_id, Number(row.value));
  return out;
}
