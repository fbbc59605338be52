import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { localParts, zonedTime } from '../shared/zoned-time.ts';
import { customerCouponRow } from '../coupons/customer-coupon.ts';
import { effectiveTierId } from './evaluate-tier.ts';
import { findTierProgramme } from './find-tier-programme.ts';

export const MONTHLY_FREE_SHIPPING = 'monthly_free_shipping';

/**
 * Gives every customer whose tier has the monthly free-shipping perk one free-shipping coupon
 * per calendar month (shop time zone), valid to the month's end, bound to the customer, usable
 * once. The grant row (customer, perk, month) is claimed first, so a retry or a second process
 * never grants twice. Returns the number of coupons issued.
 */
export async function grantMonthlyPerks(db: Db, clock: Clock, shopId: string): Promise<number> {
  const programme = await findTierProgramme(db, shopId);
  if (!programme) return 0;
  const tiers = programme.tiers
    .filter((t) => (t.benefits.perks ?? []).some((p) => p.code === MONTHLY_FREE_SHIPPING))
    .map((t) => t.id);
  if (tiers.length === 0) return 0;
  const now = clock.now();
  const shop = await db
    .selectFrom('shops')
    .select('timezone')
    .where('id', '=', shopId)
    .executeTakeFirstOrThrow();
  const { year, month } = localParts(now, shop.timezone);
  const period = `${year}-${String(month).padStart(2, '0')}`;
  const monthEnd = zonedTime(
    shop.timezone,
    month === 12 ? year + 1 : year,
    month === 12 ? 1 : month + 1,
    1,
  );

  const candidates = await sql<{
    customer_id: string;
    tier_id: string | null;
    review_at: Date | null;
    manual_tier_id: string | null;
    manual_until: Date | null;
  }>`
    SELECT t.customer_id, t.tier_id, t.review_at, t.manual_tier_id, t.manual_until
    FROM customer_tiers t
    WHERE t.shop_id = ${shopId}
      AND (t.tier_id = ANY(${tiers}::text[]) OR t.manual_tier_id = ANY(${tiers}::text[]))
      AND NOT EXISTS (SELECT 1 FROM tier_perk_grants g
                      WHERE g.shop_id = t.shop_id AND g.customer_id = t.customer_id
                        AND g.perk = ${MONTHLY_FREE_SHIPPING} AND g.period = ${period})`.execute(
    db,
  );
  let issued = 0;
  for (const c of candidates.rows) {
    const held = effectiveTierId(
      {
        tierId: c.tier_id,
        reachedAt: null,
        reviewAt: c.review_at,
        graceUntil: null,
        atRiskNotifiedAt: null,
        manualTierId: c.manual_tier_id,
        manualUntil: c.manual_until,
      },
      now,
    );
    if (!held || !tiers.includes(held)) continue;
    issued += await db.transaction().execute(async (tx) => {
      const coupon = customerCouponRow({
        shopId,
        customerId: c.customer_id,
        source: 'reward',
        terms: { discount: { kind: 'free_shipping' }, minBasket: null, validDays: 0 },
        at: now,
        startsAt: now,
        expiresAt: monthEnd,
        prefix: 'VIP',
      });
      await tx.insertInto('coupons').values(coupon).execute();
      const couponId = coupon.id;
      const granted = await sql`
        INSERT INTO tier_perk_grants (shop_id, customer_id, perk, period, tier_id, coupon_id, granted_at)
        VALUES (${shopId}, ${c.customer_id}, ${MONTHLY_FREE_SHIPPING}, ${period}, ${held}, ${couponId}, ${now})
        ON CONFLICT DO NOTHING`.execute(tx);
      if (Number(granted.numAffectedRows ?? 0) === 0) {
        // Another process granted this month's coupon first: take ours back.
        await tx
          .deleteFrom('coupons')
          .where('shop_id', '=', shopId)
          .where('id', '=', couponId)
          .execute();
        return 0;
      }
      return 1;
    });
  }
  return issued;
}
