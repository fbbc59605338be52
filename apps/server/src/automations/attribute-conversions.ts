import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';

/**
 * A paid order converts the latest message sent to its customer within the shop's conversion
 * window (messaging_settings.conversion_days, 5 by default): last touch, one message per order,
 * and a message converts once. Set-based: one statement per batch.
 */
export async function attributeConversions(
  tx: Tx,
  orders: Array<{ shopId: string; customerId: string; orderId: string; at: Date }>,
): Promise<void> {
  if (orders.length === 0) return;
  await sql`
    WITH paid AS (
      SELECT * FROM unnest(${orders.map((o) => o.shopId)}::text[], ${orders.map((o) => o.customerId)}::text[],
                           ${orders.map((o) => o.orderId)}::text[], ${orders.map((o) => o.at.toISOString())}::timestamptz[])
        AS p(shop_id, customer_id, order_id, at)
    ),
    touched AS (
      SELECT DISTINCT ON (m.shop_id, m.id) m.shop_id, m.id, p.order_id, p.at
      FROM paid p
      LEFT JOIN messaging_settings s ON s.shop_id = p.shop_id
      CROSS JOIN LATERAL (
        SELECT m.shop_id, m.id FROM messages m
        WHERE m.shop_id = p.shop_id AND m.customer_id = p.customer_id
          AND m.status IN ('sent', 'delivered') AND m.converted_at IS NULL
          -- A message to the customer: webhooks and order notices take no credit.
          AND m.channel <> 'webhook' AND m.purpose <> 'transactional'
          AND m.sent_at <= p.at
          AND m.sent_at > p.at - make_interval(days => coalesce(s.conversion_days, 5))
        ORDER BY m.sent_at DESC
        LIMIT 1
      ) m
      ORDER BY m.shop_id, m.id, p.at
    )
    UPDATE messages m SET converted_at = t.at, converted_order_id = t.order_id
    FROM touched t
    WHERE m.shop_id = t.shop_id AND m.id = t.id`.execute(tx);
}
