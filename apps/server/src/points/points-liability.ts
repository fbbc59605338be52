import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import { addDays } from '../shared/zoned-time.ts';
import { liveProgramme } from './live-programme.ts';

/**
 * What the programme owes its members now: outstanding points (available and pending, less
 * recorded debt) valued at the programme's point value, and what will expire soon.
 */
export async function pointsLiability(db: Db, shop: ShopRow, now: Date) {
  const { programme } = await liveProgramme(db, shop.id);
  const in30 = addDays(now, 30);
  const in90 = addDays(now, 90);
  const lots = await sql<{
    available: number;
    pending: number;
    expiring30: number;
    expiring90: number;
    members: number;
  }>`
    SELECT COALESCE(sum(remaining) FILTER (WHERE available_at <= ${now}), 0)::bigint AS available,
           COALESCE(sum(remaining) FILTER (WHERE available_at > ${now}), 0)::bigint AS pending,
           COALESCE(sum(remaining) FILTER (WHERE expires_at <= ${in30}), 0)::bigint AS expiring30,
           COALESCE(sum(remaining) FILTER (WHERE expires_at <= ${in90}), 0)::bigint AS expiring90,
           count(DISTINCT customer_id)::bigint AS members
    FROM point_lots
    WHERE shop_id = ${shop.id} AND remaining > 0 AND (expires_at IS NULL OR expires_at > ${now})`.execute(
    db,
  );
  const debt = await sql<{ debt: number }>`
    SELECT COALESCE(sum(debt), 0)::bigint AS debt FROM point_accounts WHERE shop_id = ${shop.id}`.execute(
    db,
  );
  const l = lots.rows[0]!;
  const owed = debt.rows[0]!.debt;
  const outstanding = l.available + l.pending - owed;
  const value = (points: number) => ({
    amount: Math.round(points * programme.settings.pointValue),
    currency: shop.currency,
  });
  return {
    asOf: now.toISOString(),
    pointValue: programme.settings.pointValue,
    members: l.members,
    points: { available: l.available, pending: l.pending, debt: owed, outstanding },
    value: value(outstanding),
    expiring: {
      next30Days: { points: l.expiring30, value: value(l.expiring30) },
      next90Days: { points: l.expiring90, value: value(l.expiring90) },
    },
  };
}

/**
 * Points activity in a date range (days in the shop's time zone, `to` exclusive): issued,
 * redeemed, expired, reversed, adjusted; breakage = expired / issued and redemption rate =
 * redeemed / issued, the two numbers that say whether the programme is used.
 */
export async function pointsActivity(db: Db, shop: ShopRow, range: { from: string; to: string }) {
  const rows = await sql<{ kind: string; positive: number; negative: number; entries: number }>`
    SELECT kind, COALESCE(sum(points) FILTER (WHERE points > 0), 0)::bigint AS positive,
           COALESCE(-sum(points) FILTER (WHERE points < 0), 0)::bigint AS negative, count(*)::bigint AS entries
    FROM point_entries
    WHERE shop_id = ${shop.id}
      AND effective_at >= (${range.from}::date::timestamp AT TIME ZONE ${shop.timezone})
      AND effective_at < (${range.to}::date::timestamp AT TIME ZONE ${shop.timezone})
    GROUP BY kind`.execute(db);
  const of = (kind: string) =>
    rows.rows.find((r) => r.kind === kind) ?? { positive: 0, negative: 0, entries: 0 };
  const issued = of('earn').positive;
  const redeemed = of('redeem').negative - of('reverse').positive; // coupons that expired unused give points back
  const expired = of('expire').negative;
  const { programme } = await liveProgramme(db, shop.id);
  return {
    from: range.from,
    to: range.to,
    issued,
    redeemed,
    expired,
    reversed: of('reverse').negative,
    adjusted: { added: of('adjust').positive, taken: of('adjust').negative },
    redemptions: of('redeem').entries,
    breakage: issued > 0 ? expired / issued : null,
    redemptionRate: issued > 0 ? redeemed / issued : null,
    redeemedValue: {
      amount: Math.round(redeemed * programme.settings.pointValue),
      currency: shop.currency,
    },
  };
}
