import type { Db } from '../db/connect.ts';
import type { Tx } from '../events/domain-events.ts';
import { normalizeCode } from './coupon-code.ts';
import type { CouponFacts, DiscountSpec } from './coupon-decision.ts';

export interface CouponRow extends CouponFacts {
  id: string;
  code: string;
  redemptionId: string | null;
}

export async function findCoupon(
  db: Db | Tx,
  shopId: string,
  code: string,
): Promise<CouponRow | null> {
  const row = await db
    .selectFrom('coupons')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('code_key', '=', normalizeCode(code) as never)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    code: row.code,
    redemptionId: row.redemption_id,
    discount: row.discount as unknown as DiscountSpec,
    customerId: row.customer_id,
    minBasket: row.min_basket,
    startsAt: row.starts_at,
    expiresAt: row.expires_at,
    usageLimit: row.usage_limit,
    usedCount: row.used_count,
  };
}
