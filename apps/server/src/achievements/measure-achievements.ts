import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Tx } from '../db/connect.ts';
import { COUNTED_ORDER } from '../db/shop-days.ts';
import { addDays } from '../shared/zoned-time.ts';
import type { Condition } from './achievement-conditions.ts';

/**
 * Measures a condition for many customers in one query: the value each has reached at `at`
 * (customers with nothing are absent: their value is 0).
 */
export async function measure(
  db: Db | Tx,
  shopId: string,
  condition: Condition,
  customerIds: string[],
  at: Date,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (customerIds.length === 0) return out;
  const ids = sql`${customerIds}::text[]`;
  const since = (days: number | undefined): RawBuilder<unknown> =>
    days === undefined ? sql`true` : sql`o.placed_at > ${addDays(at, -days)}`;
  let query: RawBuilder<{ customer_id: string; value: number }>;
  switch (condition.kind) {
    case 'orders_count':
    case 'total_spent':
      query = sql`
        SELECT o.customer_id, ${
          condition.kind === 'orders_count' ? sql`count(*)` : sql`sum(o.total - o.refunded_amount)`
        }::bigint AS value
        FROM orders o
        WHERE o.shop_id = ${shopId} AND o.customer_id = ANY(${ids}) AND ${COUNTED_ORDER}
          AND o.placed_at <= ${at} AND ${since(condition.windowDays)}
        GROUP BY o.customer_id`;
      break;
    case 'category_bought':
    case 'categories_count':
      query = sql`
        SELECT o.customer_id, ${
          condition.kind === 'category_bought'
            ? sql`count(*) FILTER (WHERE c = ${condition.categoryId})`
            : sql`count(DISTINCT c)`
        }::bigint AS value
        FROM orders o
        JOIN order_lines l ON l.shop_id = o.shop_id AND l.order_id = o.id
        CROSS JOIN LATERAL unnest(l.category_ids) AS c
        WHERE o.shop_id = ${shopId} AND o.customer_id = ANY(${ids}) AND ${COUNTED_ORDER}
          AND o.placed_at <= ${at}
        GROUP BY o.customer_id`;
      break;
    case 'activity_count':
      query = sql`
        SELECT a.customer_id, count(*)::bigint AS value
        FROM customer_activities a
        WHERE a.shop_id = ${shopId} AND a.customer_id = ANY(${ids}) AND a.type = ${condition.activity}
          AND a.occurred_at <= ${at}
          AND ${condition.windowDays === undefined ? sql`true` : sql`a.occurred_at > ${addDays(at, -condition.windowDays)}`}
        GROUP BY a.customer_id`;
      break;
  }
  const { rows } = await query.execute(db);
  for (const row of rows) out.set(row.customer_id, Number(row.value));
  return out;
}
