import type { Db } from '../db/connect.ts';
import { Problem } from '../shared/errors.ts';
import type { ReferralStatus } from '../db/schema.ts';
import type { ShopRow } from '../shops/shop.ts';
import { reviewReferral } from './review-referral.ts';

export type DecisionOutcome =
  'approved' | 'rejected' | 'already_approved' | 'already_rejected' | 'not_flagged' | 'not_found';

/**
 * Decides several flagged referrals at once, each in its own transaction, so one that cannot be
 * decided leaves the others decided; every referral gets its own outcome. Retrying the same
 * decision reports `already_…` for those done the first time instead of failing, so a batch
 * that broke off halfway can simply be sent again.
 */
export async function decideReferrals(
  db: Db,
  shop: ShopRow,
  input: {
    referralIds: string[];
    decision: 'approve' | 'reject';
    note?: string | null;
    actor: string;
  },
  now: Date,
) {
  const results: Array<{
    referralId: string;
    outcome: DecisionOutcome;
    status: ReferralStatus | null;
  }> = [];
  for (const referralId of new Set(input.referralIds)) {
    try {
      const decided = await reviewReferral(
        db,
        shop,
        { referralId, decision: input.decision, note: input.note, actor: input.actor },
        now,
      );
      const outcome = input.decision === 'approve' ? 'approved' : 'rejected';
      results.push({ referralId, outcome, status: decided.status });
    } catch (error) {
      if (!(error instanceof Problem) || (error.status !== 404 && error.status !== 409)) {
        throw error;
      }
      results.push({ referralId, ...(await whyUndecided(db, shop, referralId, input.decision)) });
    }
  }
  return { results };
}

async function whyUndecided(
  db: Db,
  shop: ShopRow,
  referralId: string,
  decision: 'approve' | 'reject',
): Promise<{ outcome: DecisionOutcome; status: ReferralStatus | null }> {
  const row = await db
    .selectFrom('referrals')
    .select(['status', 'approved_at', 'rejected_at'])
    .where('shop_id', '=', shop.id)
    .where('id', '=', referralId)
    .executeTakeFirst();
  if (!row) return { outcome: 'not_found', status: null };
  if (decision === 'approve' && row.approved_at) {
    return { outcome: 'already_approved', status: row.status };
  }
  if (decision === 'reject' && row.rejected_at && row.status === 'rejected') {
    return { outcome: 'already_rejected', status: row.status };
  }
  return { outcome: 'not_flagged', status: row.status };
}
