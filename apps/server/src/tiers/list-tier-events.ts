import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import { findCustomerId } from '../customers/find-customer-id.ts';

/**
 * Tier events in the order they happened (ids sort by time): a shop's feed for automation
 * and integrators to follow with `after`, or one customer's history.
 */
export async function listTierEvents(
  db: Db,
  shop: ShopRow,
  options: { customerId?: string; after?: string; limit: number },
) {
  let customerId: string | null = null;
  if (options.customerId !== undefined) {
    customerId = await findCustomerId(db, shop.id, options.customerId);
  }
  let query = db
    .selectFrom('tier_events as e')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.shop_id', '=', 'e.shop_id').onRef('c.id', '=', 'e.customer_id'),
    )
    .select([
      'e.id',
      'e.type',
      'c.external_id',
      'e.from_tier',
      'e.to_tier',
      'e.reason',
      'e.note',
      'e.metric_value',
      'e.actor',
      'e.occurred_at',
    ])
    .where('e.shop_id', '=', shop.id)
    .orderBy('e.id')
    .limit(options.limit + 1);
  if (customerId !== null) query = query.where('e.customer_id', '=', customerId);
  if (options.after) query = query.where('e.id', '>', options.after);
  const rows = await query.execute();
  const page = rows.slice(0, options.limit);
  return {
    data: page.map((r) => ({
      id: r.id,
      type: r.type,
      customerId: r.external_id,
      from: r.from_tier,
      to: r.to_tier,
      reason: r.reason,
      note: r.note,
      metricValue: r.metric_value,
      actor: r.actor,
      occurredAt: r.occurred_at.toISOString(),
    })),
    nextAfter: rows.length > options.limit ? page[page.length - 1]!.id : null,
  };
}
