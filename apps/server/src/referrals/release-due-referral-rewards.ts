import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { giveReferralRewards } from './give-referral-rewards.ts';
import { loadCampaigns } from './manage-referral-campaigns.ts';
import { capReached, monthStart } from './referral-cap.ts';

// A deadlock with an ingestion batch touching the same customers: that referral waits for the
// next round (the batch is retried by the processor).
const RETRY_LATER = new Set(['40P01', '40001', '55P03']);

/**
 * The periodic step: a purchased referral whose order's return window has passed (due_at) is
 * qualified and its main reward given, unless the referrer's monthly cap is full (then it is
 * rejected with that reason). A flagged referral is never touched here. One short transaction
 * per referral, whose row is locked (rows an ingestion batch holds are skipped until the next
 * round); the status moves on and the ledger keys refuse a second credit.
 */
export async function releaseDueReferralRewards(
  db: Db,
  clock: Clock,
  shopId?: string,
): Promise<number> {
  const now = clock.now();
  let query = db
    .selectFrom('referrals')
    .select(['shop_id', 'id'])
    .where('status', '=', 'purchased')
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .orderBy('id')
    .limit(5000);
  if (shopId) query = query.where('shop_id', '=', shopId);
  const due = await query.execute();
  let done = 0;
  for (const { shop_id, id } of due) {
    try {
      done += await releaseOne(db, shop_id, id, now);
    } catch (error) {
      if (!RETRY_LATER.has((error as { code?: string }).code ?? '')) throw error;
    }
  }
  return done;
}

async function releaseOne(db: Db, shopId: string, referralId: string, now: Date): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const referral = await tx
      .selectFrom('referrals')
      .selectAll()
      .where('shop_id', '=', shopId)
      .where('id', '=', referralId)
      .where('status', '=', 'purchased')
      .where('due_at', '<=', now)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!referral) return 0;
    const shop = await tx
      .selectFrom('shops')
      .select(['id', 'currency'])
      .where('id', '=', shopId)
      .executeTakeFirstOrThrow();
    const campaign = (await loadCampaigns(tx, shopId, [referral.campaign_id])).get(
      referral.campaign_id,
    )!;
    const { n } = await tx
      .selectFrom('referrals')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('shop_id', '=', shopId)
      .where('referrer_customer_id', '=', referral.referrer_customer_id)
      .where('rewarded_at', '>=', monthStart(now))
      .executeTakeFirstOrThrow();
    if (capReached(Number(n), campaign.settings.monthlyCapPerReferrer ?? null)) {
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
        .where('shop_id', '=', shopId)
        .where('id', '=', referral.id)
        .execute();
      return 0;
    }
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
      .where('shop_id', '=', shopId)
      .where('id', '=', referral.id)
      .execute();
    return 1;
  });
}
