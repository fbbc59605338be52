import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { giveReferralRewards } from './give-referral-rewards.ts';
import { loadCampaigns } from './manage-referral-campaigns.ts';
import { capReached, monthStart } from './referral-cap.ts';

/**
 * The periodic step: a purchased referral whose order's return window has passed (due_at) is
 * qualified and its main reward given, unless the referrer's monthly cap is full (then it is
 * rejected with that reason). A flagged referral is never touched here. Idempotent: the
 * referral row is locked and its status moves on, and the ledger keys refuse a second credit.
 */
export async function releaseDueReferralRewards(
  db: Db,
  clock: Clock,
  shopId?: string,
): Promise<number> {
  const now = clock.now();
  let query = db
    .selectFrom('referrals')
    .select('shop_id')
    .distinct()
    .where('status', '=', 'purchased')
    .where('due_at', '<=', now);
  if (shopId) query = query.where('shop_id', '=', shopId);
  const shops = await query.execute();
  let done = 0;
  for (const { shop_id } of shops) {
    done += await db.transaction().execute(async (tx) => {
      const shop = await tx
        .selectFrom('shops')
        .select(['id', 'currency'])
        .where('id', '=', shop_id)
        .executeTakeFirstOrThrow();
      const due = await tx
        .selectFrom('referrals')
        .selectAll()
        .where('shop_id', '=', shop_id)
        .where('status', '=', 'purchased')
        .where('due_at', '<=', now)
        .orderBy('due_at')
        .orderBy('id')
        .forUpdate()
        .execute();
      const campaigns = await loadCampaigns(
        tx,
        shop_id,
        due.map((r) => r.campaign_id),
      );
      const since = monthStart(now);
      const given = await tx
        .selectFrom('referrals')
        .select(['referrer_customer_id'])
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('shop_id', '=', shop_id)
        .where('rewarded_at', '>=', since)
        .groupBy('referrer_customer_id')
        .execute();
      const counts = new Map(given.map((g) => [g.referrer_customer_id, Number(g.n)]));
      let count = 0;
      for (const referral of due) {
        const campaign = campaigns.get(referral.campaign_id)!;
        const used = counts.get(referral.referrer_customer_id) ?? 0;
        if (capReached(used, campaign.settings.monthlyCapPerReferrer ?? null)) {
          await tx
            .updateTable('referrals')
            .set({
              status: 'rejected',
              qualified_at: now,
              rejected_at: now,
              reasons: JSON.stringify([
                ...referral.reasons,
                { reason: 'monthly_cap_reached', weight: 0 },
              ]),
            })
            .where('shop_id', '=', shop_id)
            .where('id', '=', referral.id)
            .execute();
          continue;
        }
        counts.set(referral.referrer_customer_id, used + 1);
        await giveReferralRewards(
          tx,
          shop,
          [
            {
              referralId: referral.id,
              stage: 'main',
              referrerId: referral.referrer_customer_id,
              friendId: referral.friend_customer_id,
              campaign,
            },
          ],
          now,
        );
        await tx
          .updateTable('referrals')
          .set({ status: 'rewarded', qualified_at: now, rewarded_at: now })
          .where('shop_id', '=', shop_id)
          .where('id', '=', referral.id)
          .execute();
        count++;
      }
      return count;
    });
  }
  return done;
}
