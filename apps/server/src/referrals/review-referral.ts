import type { Db } from '../db/connect.ts';
import { problems } from '../shared/errors.ts';
import type { ShopRow } from '../shops/shop.ts';
import { giveReferralRewards } from './give-referral-rewards.ts';
import { campaignsOfReferrals } from './manage-referral-campaigns.ts';
import { referralView, selectReferrals } from './list-referrals.ts';

/**
 * A reviewer decides a flagged referral. Approval returns it to the stage it waited at (the
 * lead reward is given then; the main one when its hold ends); rejection ends it. Only flagged
 * referrals can be decided, so a repeat answers 409 and changes nothing.
 */
export async function reviewReferral(
  db: Db,
  shop: ShopRow,
  input: {
    referralId: string;
    decision: 'approve' | 'reject';
    note?: string | null;
    actor: string;
  },
  now: Date,
) {
  await db.transaction().execute(async (tx) => {
    const referral = await tx
      .selectFrom('referrals')
      .selectAll()
      .where('shop_id', '=', shop.id)
      .where('id', '=', input.referralId)
      .forUpdate()
      .executeTakeFirst();
    if (!referral) throw problems.notFound(`Referral ${input.referralId}`);
    if (referral.status !== 'flagged') {
      throw problems.conflict(`Referral ${referral.id} is ${referral.status}, not flagged.`);
    }
    const note = input.note ? `${input.actor}: ${input.note}` : input.actor;
    if (input.decision === 'reject') {
      await tx
        .updateTable('referrals')
        .set({
          status: 'rejected',
          held_status: null,
          rejected_at: now,
          review_note: note,
          reasons: JSON.stringify([
            ...referral.reasons,
            { reason: 'rejected_in_review', weight: 0 },
          ]),
        })
        .where('shop_id', '=', shop.id)
        .where('id', '=', referral.id)
        .execute();
      return;
    }
    const stage = referral.held_status ?? 'signed_up';
    await tx
      .updateTable('referrals')
      .set({ status: stage, held_status: null, approved_at: now, review_note: note })
      .where('shop_id', '=', shop.id)
      .where('id', '=', referral.id)
      .execute();
    const campaign = (await campaignsOfReferrals(tx, shop.id, [referral])).get(referral.id)!;
    await giveReferralRewards(
      tx,
      shop,
      [
        {
          referralId: referral.id,
          stage: 'lead',
          referrerId: referral.referrer_customer_id,
          friendId: referral.friend_customer_id,
          campaign,
        },
      ],
      now,
    );
  });
  const [row] = await selectReferrals(db, shop.id, { id: input.referralId });
  return referralView(row!);
}
