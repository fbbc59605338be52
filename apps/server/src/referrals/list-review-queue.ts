import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import { listReferrals, type Page } from './list-referrals.ts';

interface PartyRow {
  external_id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  created_at: Date;
  redacted_at: Date | null;
  orders: string;
  revenue: string;
  first_order_at: Date | null;
  referrals_made: string;
  referrals_refused: string;
}

/**
 * The review queue as a reviewer reads it: each flagged referral with both customers side by
 * side — who they are, what they bought, and how the referrer's other referrals went — so the
 * decision needs no second page. The customers are fetched in one statement for the whole page.
 */
export async function listReviewQueue(db: Db, shop: ShopRow, page: Page) {
  const referrals = await listReferrals(db, shop, { status: 'flagged', ...page });
  const ids = [...new Set(referrals.data.flatMap((r) => [r.referrerId, r.friendCustomerId]))];
  const { rows } = ids.length
    ? await sql<PartyRow>`
        SELECT c.external_id, c.first_name, c.last_name, c.email, c.phone, c.created_at,
               c.redacted_at,
               (SELECT count(*) FROM orders o WHERE o.shop_id = c.shop_id AND o.customer_id = c.id
                  AND o.paid_at IS NOT NULL AND o.cancelled_at IS NULL) AS orders,
               (SELECT COALESCE(sum(o.total - o.refunded_amount), 0) FROM orders o
                  WHERE o.shop_id = c.shop_id AND o.customer_id = c.id
                  AND o.paid_at IS NOT NULL AND o.cancelled_at IS NULL) AS revenue,
               (SELECT min(o.paid_at) FROM orders o WHERE o.shop_id = c.shop_id
                  AND o.customer_id = c.id AND o.paid_at IS NOT NULL) AS first_order_at,
               (SELECT count(*) FROM referrals r WHERE r.shop_id = c.shop_id
                  AND r.referrer_customer_id = c.id) AS referrals_made,
               (SELECT count(*) FROM referrals r WHERE r.shop_id = c.shop_id
                  AND r.referrer_customer_id = c.id
                  AND r.status IN ('flagged', 'rejected')) AS referrals_refused
        FROM customers c
        WHERE c.shop_id = ${shop.id} AND c.external_id IN (${sql.join(ids)})`.execute(db)
    : { rows: [] };
  const parties = new Map(rows.map((row) => [row.external_id, partyView(row, shop.currency)]));
  return {
    data: referrals.data.map((referral) => ({
      referral,
      referrer: parties.get(referral.referrerId)!,
      friend: parties.get(referral.friendCustomerId)!,
    })),
    nextCursor: referrals.nextCursor,
  };
}

function partyView(row: PartyRow, currency: string) {
  return {
    customerId: row.external_id,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    phone: row.phone,
    erased: row.redacted_at !== null,
    createdAt: row.created_at.toISOString(),
    orders: Number(row.orders),
    revenue: { amount: Number(row.revenue), currency },
    firstOrderAt: row.first_order_at?.toISOString() ?? null,
    referralsMade: Number(row.referrals_made),
    referralsFlaggedOrRejected: Number(row.referrals_refused),
  };
}
