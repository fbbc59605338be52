import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import { startOfDay } from '../db/shop-days.ts';

/**
 * Message results over days in the shop's time zone (messages queued in [from, to)): per
 * channel and purpose, how many were sent, delivered, bounced, failed or held back (and why),
 * opened, clicked and converted — a paid order within the conversion window after the message,
 * the last message before the order taking the credit — with the converted orders' revenue
 * (less refunds) and the rates over messages sent.
 */
export async function summarizeMessages(db: Db, shop: ShopRow, from: string, to: string) {
  const { rows } = await sql<{
    channel: string;
    purpose: string;
    queued: number;
    sent: number;
    delivered: number;
    bounced: number;
    failed: number;
    uncertain: number;
    suppressed: number;
    opened: number;
    clicked: number;
    converted: number;
    revenue: number;
    held_back: Record<string, number> | null;
  }>`
    WITH m AS (
      SELECT * FROM messages
      WHERE shop_id = ${shop.id}
        AND created_at >= ${startOfDay(from, shop.timezone)} AND created_at < ${startOfDay(to, shop.timezone)}
    ),
    reasons AS (
      SELECT channel, purpose, jsonb_object_agg(status_reason, n) AS held_back
      FROM (SELECT channel, purpose, status_reason, count(*)::int AS n FROM m
            WHERE status = 'suppressed' GROUP BY 1, 2, 3) r
      GROUP BY 1, 2
    )
    SELECT m.channel, m.purpose,
           count(*) FILTER (WHERE m.status IN ('queued', 'claimed', 'sending'))::int AS queued,
           count(*) FILTER (WHERE m.sent_at IS NOT NULL)::int AS sent,
           count(*) FILTER (WHERE m.delivered_at IS NOT NULL)::int AS delivered,
           count(*) FILTER (WHERE m.status = 'bounced')::int AS bounced,
           count(*) FILTER (WHERE m.status = 'failed')::int AS failed,
           count(*) FILTER (WHERE m.status = 'uncertain')::int AS uncertain,
           count(*) FILTER (WHERE m.status = 'suppressed')::int AS suppressed,
           count(m.opened_at)::int AS opened,
           count(m.clicked_at)::int AS clicked,
           count(m.converted_at)::int AS converted,
           coalesce(sum(o.total - o.refunded_amount) FILTER (WHERE o.cancelled_at IS NULL), 0)::bigint AS revenue,
           max(r.held_back::text)::jsonb AS held_back
    FROM m
    LEFT JOIN orders o ON o.shop_id = m.shop_id AND o.id = m.converted_order_id
    LEFT JOIN reasons r ON r.channel = m.channel AND r.purpose = m.purpose
    GROUP BY m.channel, m.purpose
    ORDER BY m.channel, m.purpose`.execute(db);
  const rate = (part: number, whole: number) =>
    whole > 0 ? Number((part / whole).toFixed(4)) : null;
  return {
    from,
    to,
    currency: shop.currency,
    results: rows.map((r) => ({
      channel: r.channel,
      purpose: r.purpose,
      queued: r.queued,
      sent: r.sent,
      delivered: r.delivered,
      bounced: r.bounced,
      failed: r.failed,
      uncertain: r.uncertain,
      suppressed: r.suppressed,
      heldBack: r.held_back ?? {},
      opened: r.opened,
      clicked: r.clicked,
      converted: r.converted,
      revenue: Number(r.revenue),
      openRate: rate(r.opened, r.sent),
      clickRate: rate(r.clicked, r.sent),
      conversionRate: rate(r.converted, r.sent),
    })),
  };
}
