import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { reverseDebit } from '../points/account.ts';
import { openAccounts, saveAccounts } from '../points/ledger.ts';

// An order paid just before the coupon expired may reach Lojal late (webhook retries): wait.
const GRACE_MS = 3 * 86_400_000;

/**
 * A reward coupon that expired unused gives its points back (when the shop's programme says
 * so), to the lots they were spent from. Returns the number of coupons handled.
 */
export async function returnExpiredRewardCoupons(db: Db, clock: Clock): Promise<number> {
  let handled = 0;
  for (;;) {
    const done = await returnSome(db, clock.now());
    if (done === 0) return handled;
    handled += done;
  }
}

async function returnSome(db: Db, now: Date): Promise<number> {
  // Only shops whose live programme gives points back; the others' coupons are never picked.
  const due = await sql<{
    shop_id: string;
    coupon_id: string;
    redemption_id: string;
    customer_id: string;
    entry_id: string;
  }>`
    SELECT c.shop_id, c.id AS coupon_id, r.id AS redemption_id, r.customer_id, r.entry_id
    FROM coupons c JOIN redemptions r ON r.shop_id = c.shop_id AND r.id = c.redemption_id
    JOIN LATERAL (
      SELECT programme FROM programme_versions v
      WHERE v.shop_id = c.shop_id AND v.published_at IS NOT NULL
      ORDER BY v.version DESC LIMIT 1) live ON true
    WHERE COALESCE((live.programme->'settings'->>'returnPointsOnExpiredRewardCoupon')::boolean, true)
      AND c.source = 'reward' AND c.used_count = 0 AND c.points_returned_at IS NULL
      AND c.expires_at <= ${new Date(now.getTime() - GRACE_MS)} AND r.status = 'issued'
    ORDER BY c.shop_id, r.customer_id LIMIT 1000`.execute(db);
  let handled = 0;
  const byShop = new Map<string, typeof due.rows>();
  for (const row of due.rows) byShop.set(row.shop_id, [...(byShop.get(row.shop_id) ?? []), row]);
  for (const [shopId, due] of byShop) {
    let rows = due;
    await db.transaction().execute(async (tx) => {
      const allocations = await tx
        .selectFrom('point_allocations')
        .select(['entry_id', 'lot_id', 'points'])
        .where('shop_id', '=', shopId)
        .where('entry_id', '=', sql<string>`any(${rows.map((r) => r.entry_id)}::text[])`)
        .execute();
      const customers = rows.map((r) => r.customer_id);
      // Accounts first, as ingestion locks them (points, then coupons): no deadlock between us.
      const accounts = await openAccounts(tx, shopId, customers, {
        withLots: customers,
        lotIds: allocations.map((a) => a.lot_id),
        keys: rows.map((r) => `reverse:${r.entry_id}:coupon_expired`),
      });
      // Claim the coupons under a guard: one an order used meanwhile is left alone.
      const claimed = await sql<{ id: string }>`
        UPDATE coupons SET points_returned_at = ${now}
        WHERE shop_id = ${shopId} AND id = ANY(${rows.map((r) => r.coupon_id)}::text[])
          AND used_count = 0 AND points_returned_at IS NULL
        RETURNING id`.execute(tx);
      const ids = new Set(claimed.rows.map((r) => r.id));
      rows = rows.filter((r) => ids.has(r.coupon_id));
      for (const row of rows) {
        reverseDebit(accounts.get(row.customer_id)!, {
          original: { id: row.entry_id, orderId: null, redemptionId: row.redemption_id },
          allocations: allocations
            .filter((a) => a.entry_id === row.entry_id)
            .map((a) => ({ lotId: a.lot_id, points: a.points })),
          key: `reverse:${row.entry_id}:coupon_expired`,
          at: now,
          reason: 'coupon_expired',
        });
      }
      await saveAccounts(tx, accounts.values(), now);
      await tx
        .updateTable('redemptions')
        .set({ status: 'returned' })
        .where('shop_id', '=', shopId)
        .where('status', '=', 'issued')
        .where('id', '=', sql<string>`any(${rows.map((r) => r.redemption_id)}::text[])`)
        .execute();
    });
    handled += rows.length;
  }
  return handled;
}
