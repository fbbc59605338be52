import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';

/** The first instant of `now`'s calendar month, UTC: the cap counts main rewards from there. */
export function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** Whether a referrer who had `used` main rewards this month may get no more. */
export function capReached(used: number, cap: number | null): boolean {
  return cap !== null && used >= cap;
}

/** Main rewards a referrer got this month: first purchases and further ones alike. */
export async function mainRewardsThisMonth(
  tx: Tx,
  shopId: string,
  referrerId: string,
  now: Date,
): Promise<number> {
  const from = monthStart(now);
  const { rows } = await sql<{ n: number }>`
    SELECT (SELECT count(*) FROM referrals
              WHERE shop_id = ${shopId} AND referrer_customer_id = ${referrerId}
                AND rewarded_at >= ${from})
         + (SELECT count(*) FROM referral_purchases p
              JOIN referrals r ON r.shop_id = p.shop_id AND r.id = p.referral_id
              WHERE p.shop_id = ${shopId} AND r.referrer_customer_id = ${referrerId}
                AND p.rewarded_at >= ${from})::int AS n`.execute(tx);
  return Number(rows[0]!.n);
}
