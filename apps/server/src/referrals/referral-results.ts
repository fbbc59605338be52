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
  referred_customers: number;
  referred_orders: number;
  referred_repeaters: number;
}

interface Group {
  customers: number;
  orders: number;
  revenue: number;
  repeaters: number;
}

/**
 * Per campaign: the funnel (link clicks, then referrals by the steps they reached, and the
 * rejected and flagged ones now), the revenue of referred customers (paid, not cancelled
 * orders since their referral, refunds deducted, rejected referrals left out), what the
 * rewards cost (not revoked: points at the campaign's point value, fixed coupons at face
 * value) and that cost per acquired customer (a referral rewarded and not clawed back); and
 * how referred customers buy against the others: average order value and repeat rate.
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
                     WHERE w.shop_id = r.shop_id AND w.referral_id = r.id AND w.revoked_at IS NULL)), 0)::bigint AS reward_cost,
      count(f.customer_id)::int AS referred_customers,
      COALESCE(sum(f.orders), 0)::int AS referred_orders,
      count(*) FILTER (WHERE f.orders >= 2)::int AS referred_repeaters
    FROM referral_campaigns c
    LEFT JOIN referrals r ON r.shop_id = c.shop_id AND r.campaign_id = c.id
    -- a referred customer: the friend of a referral not rejected, with their orders since it
    LEFT JOIN LATERAL (
      SELECT r.friend_customer_id AS customer_id, count(*) AS orders FROM orders o
      WHERE o.shop_id = r.shop_id AND o.customer_id = r.friend_customer_id
        AND o.paid_at IS NOT NULL AND o.cancelled_at IS NULL AND o.paid_at >= r.created_at
        AND r.status <> 'rejected'
      HAVING count(*) > 0
    ) f ON true
    WHERE c.shop_id = ${shop.id}
    GROUP BY c.shop_id, c.id, c.name, c.created_at
    ORDER BY c.created_at DESC`.execute(db);
  // The others: customers with a paid order who were never anyone's friend in a referral.
  const { rows: others } = await sql<Group>`
    SELECT count(*)::int AS customers, COALESCE(sum(n), 0)::int AS orders,
           COALESCE(sum(revenue), 0)::bigint AS revenue,
           count(*) FILTER (WHERE n >= 2)::int AS repeaters
    FROM (SELECT o.customer_id, count(*) AS n, sum(o.total - o.refunded_amount) AS revenue
          FROM orders o
          WHERE o.shop_id = ${shop.id} AND o.customer_id IS NOT NULL
            AND o.paid_at IS NOT NULL AND o.cancelled_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM referrals r
                            WHERE r.shop_id = o.shop_id AND r.friend_customer_id = o.customer_id)
          GROUP BY o.customer_id) t`.execute(db);
  const money = (amount: number) => ({ amount: Number(amount), currency: shop.currency });
  const value = (g: Group) => ({
    customers: g.customers,
    orders: g.orders,
    averageOrderValue: g.orders > 0 ? money(Math.round(Number(g.revenue) / g.orders)) : null,
    repeatRate: g.customers > 0 ? Math.round((g.repeaters / g.customers) * 10_000) / 10_000 : null,
  });
  const othersValue = value(others[0]!);
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
      customerValue: {
        referred: value({
          customers: r.referred_customers,
          orders: r.referred_orders,
          revenue: r.revenue,
          repeaters: r.referred_repeaters,
        }),
        others: othersValue,
      },
    })),
  };
}
