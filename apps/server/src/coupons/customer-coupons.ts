import type { Db } from '../db/connect.ts';

/** The coupons issued to a customer (rewards, flows, referrals), newest first. */
export async function customerCoupons(db: Db, shopId: string, customerId: string, limit: number) {
  const rows = await db
    .selectFrom('coupons')
    .select(['code', 'source', 'discount', 'expires_at', 'used_count', 'usage_limit', 'created_at'])
    .where('shop_id', '=', shopId)
    .where('customer_id', '=', customerId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((c) => ({
    code: c.code,
    source: c.source,
    discount: c.discount,
    expiresAt: c.expires_at?.toISOString() ?? null,
    used: c.used_count,
    usageLimit: c.usage_limit,
    createdAt: c.created_at.toISOString(),
  }));
}
