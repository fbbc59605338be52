import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import type { DomainEvent, Reaction } from '../events/domain-events.ts';
import { credit } from '../points/account.ts';
import { openAccounts, saveAccounts } from '../points/ledger.ts';
import { liveProgramme } from '../points/live-programme.ts';
import { addMonths } from '../shared/zoned-time.ts';
import { conditionSchema, target } from './achievement-conditions.ts';
import { inHoldout } from '../points/holdout.ts';
import { measure } from './measure-achievements.ts';

/**
 * Awards achievements to the customers of a batch whose facts now meet them, once each (the
 * key is the achievement and the customer), with their points through the ledger. Each active
 * achievement is measured for the batch's customers in one query, at the batch's latest event.
 */
export async function awardAchievements(tx: Tx, events: DomainEvent[], now: Date): Promise<void> {
  const customerIds = [
    ...new Set(
      events.flatMap((e) =>
        (e.type === 'order.paid' || e.type === 'activity.recorded') && e.customerId
          ? [e.customerId]
          : [],
      ),
    ),
  ];
  if (customerIds.length === 0) return;
  const shopId = events[0]!.shopId;
  const achievements = await tx
    .selectFrom('achievements')
    .select(['id', 'condition', 'points'])
    .where('shop_id', '=', shopId)
    .where('active', '=', true)
    .execute();
  if (achievements.length === 0) return;
  const at = new Date(Math.max(...events.map((e) => e.at.getTime())));
  const held = await tx
    .selectFrom('customer_achievements')
    .select(['achievement_id', 'customer_id'])
    .where('shop_id', '=', shopId)
    .where('customer_id', '=', sql<string>`any(${customerIds}::text[])`)
    .execute();
  const has = new Set(held.map((h) => `${h.achievement_id}|${h.customer_id}`));

  const awards: Array<{ achievementId: string; customerId: string; points: number }> = [];
  for (const a of achievements) {
    const condition = conditionSchema.parse(a.condition);
    const pending = customerIds.filter((c) => !has.has(`${a.id}|${c}`));
    if (pending.length === 0) continue;
    const values = await measure(tx, shopId, condition, pending, at);
    for (const customerId of pending) {
      if ((values.get(customerId) ?? 0) >= target(condition)) {
        awards.push({ achievementId: a.id, customerId, points: a.points });
      }
    }
  }
  if (awards.length === 0) return;
  await tx
    .insertInto('customer_achievements')
    .values(
      awards.map((w) => ({
        shop_id: shopId,
        achievement_id: w.achievementId,
        customer_id: w.customerId,
        awarded_at: at,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();

  const { programme } = await liveProgramme(tx, shopId);
  // Badges are shown to everyone; their points go only to programme members, not the holdout.
  const withPoints = awards.filter(
    (w) => w.points > 0 && !inHoldout(w.customerId, programme.settings.holdoutPercent),
  );
  if (withPoints.length === 0) return;
  const key = (w: (typeof awards)[number]) => `achievement:${w.achievementId}:${w.customerId}`;
  const accounts = await openAccounts(
    tx,
    shopId,
    withPoints.map((w) => w.customerId),
    { keys: withPoints.map(key) },
  );
  const months = programme.settings.expiryMonths;
  for (const w of withPoints) {
    credit(accounts.get(w.customerId)!, {
      points: w.points,
      kind: 'earn',
      cause: 'rule',
      ruleId: w.achievementId,
      ruleCode: 'achievement',
      key: key(w),
      at,
      availableAt: now,
      expiresAt: months === null ? null : addMonths(now, months),
    });
  }
  await saveAccounts(tx, accounts.values(), now);
}

export const achievementsReaction: Reaction = {
  name: 'achievements',
  on: ['order.paid', 'activity.recorded'],
  react: (tx, clock, events) => awardAchievements(tx, events, clock.now()),
};
