import { sql } from 'kysely';
import type { Db, Tx } from '../db/connect.ts';
import type { LocalizedText } from '../db/schema.ts';
import { localize } from '../rewards/reward-schema.ts';
import type { StampReward } from '../stamps/stamp-programme-schema.ts';

/** A reward the customer holds and can take at the counter: an unused, live Lojal coupon. */
export interface ReadyReward {
  couponId: string;
  name: LocalizedText;
  from: 'stamps' | 'points';
  /** The stamp card or the catalogue reward it came from. */
  fromName: LocalizedText;
  minBasket: number | null;
  expiresAt: string | null;
}

interface Row {
  id: string;
  code: string;
  min_basket: number | null;
  expires_at: Date | null;
  card_name: LocalizedText | null;
  card_reward: StampReward | null;
  card_reward_name: LocalizedText | null;
  points_reward_name: LocalizedText | null;
}

/**
 * The customer's rewards ready to use: coupons a full stamp card or a points redemption issued
 * to them, not used up, started and not expired, and not already being used by a counter order
 * that waits in the event log. Oldest expiry first, so the one about to lapse is on top.
 */
export async function readyRewards(
  db: Db,
  shopId: string,
  customerId: string,
  now: Date,
): Promise<ReadyReward[]> {
  const rows = await sql<Row>`
    SELECT k.id, k.code, k.min_basket, k.expires_at,
           p.name AS card_name, p.reward AS card_reward, pr.name AS card_reward_name,
           r.name AS points_reward_name
    FROM coupons k
    LEFT JOIN stamp_cards c ON c.shop_id = k.shop_id AND c.customer_id = k.customer_id
                            AND c.reward_coupon_id = k.id
    LEFT JOIN stamp_programmes p ON p.shop_id = c.shop_id AND p.id = c.programme_id
    LEFT JOIN rewards pr ON pr.shop_id = p.shop_id AND pr.id = p.reward->>'rewardId'
    LEFT JOIN redemptions d ON d.shop_id = k.shop_id AND d.id = k.redemption_id
    LEFT JOIN rewards r ON r.shop_id = d.shop_id AND r.id = d.reward_id
    WHERE k.shop_id = ${shopId} AND k.customer_id = ${customerId} AND k.source = 'reward'
      AND (k.usage_limit IS NULL OR k.used_count < k.usage_limit)
      AND (k.starts_at IS NULL OR k.starts_at <= ${now})
      AND (k.expires_at IS NULL OR k.expires_at > ${now})
      AND (c.id IS NOT NULL OR r.id IS NOT NULL)
    ORDER BY k.expires_at NULLS LAST, k.id
    LIMIT 50`.execute(db);
  const pending = await pendingCounterCodes(db, shopId);
  return rows.rows
    .filter((row) => !pending.has(row.code))
    .map((row) => {
      const fromStamps = row.card_name !== null;
      const cardReward = row.card_reward;
      const name = fromStamps
        ? cardReward?.type === 'coupon' && cardReward.name
          ? localize(cardReward.name)
          : (row.card_reward_name ?? row.card_name!)
        : row.points_reward_name!;
      return {
        couponId: row.id,
        name,
        from: fromStamps ? ('stamps' as const) : ('points' as const),
        fromName: fromStamps ? row.card_name! : row.points_reward_name!,
        minBasket: row.min_basket,
        expiresAt: row.expires_at?.toISOString() ?? null,
      };
    });
}

/**
 * The codes carried by counter orders still waiting in the event log: a reward used a moment
 * ago is taken (its use is counted when the order is processed), so the counter neither lists
 * it nor lets it be used twice meanwhile.
 */
export async function pendingCounterCodes(
  db: Db | Tx,
  shopId: string,
  exceptOrderId?: string,
): Promise<Set<string>> {
  const rows = await sql<{ delivery_id: string; body: Buffer }>`
    SELECT delivery_id, body FROM inbound_events
    WHERE shop_id = ${shopId} AND status IN ('pending', 'waiting') AND source = 'api'
      AND topic = 'order.paid' AND delivery_id LIKE 'order.paid:counter-%'`.execute(db);
  const codes = new Set<string>();
  for (const row of rows.rows) {
    if (exceptOrderId && row.delivery_id === `order.paid:${exceptOrderId}`) continue;
    const event = JSON.parse(row.body.toString('utf8')) as { data?: { discountCodes?: string[] } };
    for (const code of event.data?.discountCodes ?? []) codes.add(code);
  }
  return codes;
}
