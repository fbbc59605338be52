import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';

interface Row {
  campaign_id: string;
  name: string;
  clicks: number;
  signups: number;
  first_purchases: number;
  qualified: number;
  rewarded: number;
  rejected: number;
  flagged: number;
  acquired: number;
  revenue: number;
  reward_cost: number;
}

/**
 * Per campaign: the funnel (link clicks, then referrals by the steps they reached, and the
 * rejected and flagged ones now), the revenue of referred customers (paid, not cancelled
 * orders since their referral, refunds deducted, rejected referrals left out), what the
 * rewards cost (not revoked: points at the campaign's point value, fixed coupons at face
 * value) and that cost per acquired customer (a referral rewarded and not clawed back).
 */
export async function referralResults(db: Db, shop: ShopRow) {
  const { rows } = await sql<Row>`
    SELECT c.id AS campaign_id, c.name,
      (SELECT count(*) FROM referral_visits v WHERE v.shop_id = c.shop_id AND v.campaign_id = c.id)::int AS clicks,
      count(r.id)::int AS signups,
      count(r.purchased_at)::int AS first_purchases,
      count(r.qualified_at)::int AS qualified,
      count(r.rewarded_at)::int AS rewarded,
      count(*) FILTER (WHERE r.status = 'rejected')::int AS rejected,
      count(*) FILTER (WHERE r.status = 'flagged')::int AS flagged,
      count(*) FILTER (WHERE r.rewarded_at IS NOT NULL AND r.clawed_back_at IS NULL)::int AS acquired,
      COALESCE(sum((SELECT sum(o.total - o.refunded_amount) FROM orders o
                     WHERE o.shop_id = r.shop_id AND o.customer_id = r.friend_customer_id
                       AND o.paid_at IS NOT NULL AND o.cancelled_at IS NULL
                       AND o.paid_at >= r.created_at)) FILTER (WHERE r.status <> 'rejected'), 0)::bigint AS revenue,
      COALESCE(sum((SELECT sum(w.cost) FROM referral_rewards w
                     WHERE w.shop_id = r.shop_id AND w.referral_id = r.id AND w.revoked_at IS NULL)), 0)::bigint AS reward_cost
    FROM referral_campaigns c
    LEFT JOIN referrals r ON r.shop_id = c.shop_id AND r.campaign_id = c.id
    WHERE c.shop_id = ${shop.id}
    GROUP BY c.shop_id, c.id, c.name, c.created_at
    ORDER BY c.created_at DESC`.execute(db);
  const money = (amount: number) => ({ amount: Number(amount), currency: shop.currency });
  return {
    data: rows.map((r) => ({
      campaignId: r.campaign_id,
      name: r.name,
      funnel: {
        clicks: r.clicks,
        signups: r.signups,
        firstPurchases: r.first_purchases,
        qualified: r.qualified,
        rewarded: r.rewarded,
        rejected: r.rejected,
        flagged: r.flagged,
      },
      acquiredCustomers: r.acquired,
      revenue: money(r.revenue),
      rewardCost: money(r.reward_cost),
      costPerAcquiredCustomer:
        r.acquired > 0 ? money(Math.round(Number(r.reward_cost) / r.acquired)) : null,
    })),
  };
}
