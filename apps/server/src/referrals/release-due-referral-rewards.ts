import type { Db } from '../db/connect.ts';
import type { Tx } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { recordTrigger } from '../events/record-trigger.ts';
import { giveReferralRewards } from './give-referral-rewards.ts';
import { campaignsOfReferrals } from './manage-referral-campaigns.ts';
import { capReached, mainRewardsThisMonth } from './referral-cap.ts';

// A deadlock with an ingestion batch touching the same customers: that referral waits for the
// next round (the batch is retried by the processor).
const RETRY_LATER = new Set(['40P01', '40001', '55P03']);

/**
 * The periodic step: a purchased referral whose order's return window has passed (due_at) is
 * qualified and its main reward given, unless the referrer's monthly cap is full (then it is
 * rejected with that reason); then the same for the friend's further purchases held under
 * `everyPurchaseUpTo`. A flagged referral is never touched here. One short transaction per
 * referral or purchase, whose row is locked (rows an ingestion batch holds are skipped until
 * the next round); the status moves on and the ledger keys refuse a second credit.
 */
export async function releaseDueReferralRewards(
  db: Db,
  clock: Clock,
  shopId?: string,
  /** A referral that fails is reported here and skipped, so it never holds up the others. */
  onError: (id: string, error: unknown, shopId: string) => void = (_id, error) => {
    throw error;
  },
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
  let done = 0;
  for (const { shop_id, id } of await query.execute()) {
    done += await retryLater(
      () => db.transaction().execute((tx) => releaseOne(tx, shop_id, id, now)),
      (error) => onError(id, error, shop_id),
    );
  }
  let purchases = db
    .selectFrom('referral_purchases')
    .select(['shop_id', 'referral_id', 'purchase'])
    .where('status', '=', 'held')
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .limit(5000);
  if (shopId) purchases = purchases.where('shop_id', '=', shopId);
  for (const p of await purchases.execute()) {
    done += await retryLater(
      () =>
        db
          .transaction()
          .execute((tx) => releasePurchase(tx, p.shop_id, p.referral_id, p.purchase, now)),
      (error) => onError(`${p.referral_id}#${p.purchase}`, error, p.shop_id),
    );
  }
  return done;
}

async function retryLater(
  run: () => Promise<number>,
  onError: (error: unknown) => void,
): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (!RETRY_LATER.has((error as { code?: string }).code ?? '')) onError(error);
    return 0;
  }
}

async function releaseOne(tx: Tx, shopId: string, referralId: string, now: Date): Promise<number> {
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
  const shop = await shopOf(tx, shopId);
  const campaign = (await campaignsOfReferrals(tx, shopId, [referral])).get(referral.id)!;
  const used = await mainRewardsThisMonth(tx, shopId, referral.referrer_customer_id, now);
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
  await thankReferrer(tx, referral, 1, now);
  return 1;
}

/**
 * A further purchase whose window has passed: rewarded once its referral has been rewarded
 * (the first purchase comes first), cancelled if the referral was rejected meanwhile or the
 * referrer's monthly cap is full; left waiting while the referral itself still waits.
 */
async function releasePurchase(
  tx: Tx,
  shopId: string,
  referralId: string,
  purchase: number,
  now: Date,
): Promise<number> {
  const referral = await tx
    .selectFrom('referrals')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('id', '=', referralId)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  if (!referral || (referral.status !== 'rewarded' && referral.status !== 'rejected')) return 0;
  const held = await tx
    .selectFrom('referral_purchases')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('referral_id', '=', referralId)
    .where('purchase', '=', purchase)
    .where('status', '=', 'held')
    .where('due_at', '<=', now)
    .executeTakeFirst();
  if (!held) return 0;
  const end = (reason: string) =>
    tx
      .updateTable('referral_purchases')
      .set({ status: 'cancelled', reason, ended_at: now })
      .where('shop_id', '=', shopId)
      .where('referral_id', '=', referralId)
      .where('purchase', '=', purchase)
      .execute();
  if (referral.status === 'rejected') {
    await end('referral_rejected');
    return 0;
  }
  const campaign = (await campaignsOfReferrals(tx, shopId, [referral])).get(referral.id)!;
  const used = await mainRewardsThisMonth(tx, shopId, referral.referrer_customer_id, now);
  if (capReached(used, campaign.settings.monthlyCapPerReferrer ?? null)) {
    await end('monthly_cap_reached');
    return 0;
  }
  await giveReferralRewards(
    tx,
    await shopOf(tx, shopId),
    [
      {
        referralId,
        stage: 'main',
        referrerId: referral.referrer_customer_id,
        friendId: referral.friend_customer_id,
        campaign,
        purchase,
      },
    ],
    now,
  );
  await tx
    .updateTable('referral_purchases')
    .set({ status: 'rewarded', rewarded_at: now })
    .where('shop_id', '=', shopId)
    .where('referral_id', '=', referralId)
    .where('purchase', '=', purchase)
    .execute();
  await thankReferrer(tx, referral, purchase, now);
  return 1;
}

function shopOf(tx: Tx, shopId: string) {
  return tx
    .selectFrom('shops')
    .select(['id', 'currency'])
    .where('id', '=', shopId)
    .executeTakeFirstOrThrow();
}

/**
 * The referrer's thank-you is the flow engine's to send (automations): a purchase that
 * qualified and was rewarded becomes two triggers, written with the reward in one transaction.
 */
async function thankReferrer(
  tx: Tx,
  referral: {
    shop_id: string;
    id: string;
    referrer_customer_id: string;
    friend_customer_id: string;
  },
  purchase: number,
  at: Date,
): Promise<void> {
  const data = { referralId: referral.id, friendCustomerId: referral.friend_customer_id, purchase };
  const base = { shopId: referral.shop_id, customerId: referral.referrer_customer_id, data, at };
  await recordTrigger(tx, [
    { ...base, type: 'referral.qualified' },
    { ...base, type: 'referral.rewarded' },
  ]);
}
