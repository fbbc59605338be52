import type { Tx } from '../db/connect.ts';
import { credit, reverseCredit } from '../points/account.ts';
import { openAccounts, saveAccounts } from '../points/ledger.ts';
import { liveProgramme } from '../points/live-programme.ts';
import {
  customerCouponRow,
  discountInCurrency,
  rewardCouponTerms,
  type CouponTerms,
} from '../coupons/customer-coupon.ts';
import { addMonths } from '../shared/zoned-time.ts';
import type { ReferralCampaign } from './manage-referral-campaigns.ts';
import type { ReferralReward } from './referral-settings.ts';

export interface RewardDue {
  referralId: string;
  stage: 'lead' | 'main';
  referrerId: string;
  friendId: string;
  campaign: ReferralCampaign;
  /** Which of the friend's purchases the main reward is for (1, the default: the first). */
  purchase?: number;
}

/**
 * Gives the rewards of each referral stage to the referrer and the friend, as the campaign
 * says: points through the ledger (key `referral:{id}:{party}:{stage}`, `…:main:{n}` for the
 * n-th purchase from the second on), coupons as one-use codes. A stage (and purchase) already
 * given is skipped, so a retry gives nothing twice.
 */
export async function giveReferralRewards(
  tx: Tx,
  shop: { id: string; currency: string },
  due: RewardDue[],
  now: Date,
): Promise<number> {
  if (due.length === 0) return 0;
  const given = await tx
    .selectFrom('referral_rewards')
    .select(['referral_id', 'stage', 'party', 'purchase'])
    .where('shop_id', '=', shop.id)
    .where(
      'referral_id',
      'in',
      due.map((d) => d.referralId),
    )
    .execute();
  const done = new Set(given.map((g) => `${g.referral_id}:${g.stage}:${g.party}:${g.purchase}`));
  const grants = due.flatMap((d) =>
    (['referrer', 'friend'] as const).flatMap((party) => {
      const reward = d.campaign.settings[d.stage][party];
      const purchase = d.purchase ?? 1;
      if (!reward || done.has(`${d.referralId}:${d.stage}:${party}:${purchase}`)) return [];
      const customerId = party === 'referrer' ? d.referrerId : d.friendId;
      return [{ ...d, party, reward, customerId, purchase }];
    }),
  );
  if (grants.length === 0) return 0;

  const live = await liveProgramme(tx, shop.id);
  const expiryMonths = live.programme.settings.expiryMonths;
  const pointGrants = grants.filter((g) => g.reward.kind === 'points');
  const accounts = await openAccounts(
    tx,
    shop.id,
    pointGrants.map((g) => g.customerId),
    { keys: pointGrants.map((g) => rewardKey(g.referralId, g.party, g.stage, g.purchase)) },
  );
  const rows = [];
  for (const g of grants) {
    const row = {
      shop_id: shop.id,
      referral_id: g.referralId,
      stage: g.stage,
      party: g.party,
      customer_id: g.customerId,
      kind: g.reward.kind,
      points: null as number | null,
      entry_id: null as string | null,
      coupon_id: null as string | null,
      cost: 0,
      given_at: now,
      purchase: g.purchase,
    };
    if (g.reward.kind === 'points') {
      const entry = credit(accounts.get(g.customerId)!, {
        points: g.reward.points,
        kind: 'earn',
        cause: 'rule',
        ruleId: g.campaign.id,
        ruleCode: 'referral',
        reason: `referral ${g.referralId} (${g.party}, ${g.stage}${g.purchase > 1 ? ` ${g.purchase}` : ''})`,
        key: rewardKey(g.referralId, g.party, g.stage, g.purchase),
        at: now,
        availableAt: now,
        expiresAt: expiryMonths === null ? null : addMonths(now, expiryMonths),
      });
      row.points = g.reward.points;
      row.entry_id = entry?.id ?? null;
      row.cost = Math.round(g.reward.points * g.campaign.settings.pointValue);
    } else {
      const coupon = await issueCoupon(tx, shop, g.customerId, g.reward, now);
      if (!coupon) continue;
      row.coupon_id = coupon.id;
      row.cost = coupon.cost;
    }
    rows.push(row);
  }
  await saveAccounts(tx, accounts.values(), now);
  if (rows.length > 0) {
    await tx
      .insertInto('referral_rewards')
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  return rows.length;
}

export function rewardKey(referralId: string, party: string, stage: string, purchase = 1): string {
  const base = `referral:${referralId}:${party}:${stage}`;
  return purchase > 1 ? `${base}:${purchase}` : base;
}

async function issueCoupon(
  tx: Tx,
  shop: { id: string; currency: string },
  customerId: string,
  reward: Exclude<ReferralReward, { kind: 'points' }>,
  now: Date,
): Promise<{ id: string; cost: number } | null> {
  let terms: CouponTerms | null;
  if (reward.kind === 'coupon') {
    terms = {
      discount: discountInCurrency(reward.discount, shop.currency),
      minBasket: reward.minBasket ?? null,
      validDays: reward.validDays,
    };
  } else {
    const row = await tx
      .selectFrom('rewards')
      .selectAll()
      .where('shop_id', '=', shop.id)
      .where('id', '=', reward.rewardId)
      .executeTakeFirst();
    terms = row ? rewardCouponTerms(row, shop.currency) : null;
  }
  if (!terms) return null;
  const discount = terms.discount;
  const row = customerCouponRow({
    shopId: shop.id,
    customerId,
    source: 'referral',
    terms,
    at: now,
  });
  await tx.insertInto('coupons').values(row).execute();
  const id = row.id;
  // A fixed discount's cost is known now; others are counted when used (see referral results).
  return { id, cost: discount.kind === 'fixed' ? discount.amount : 0 };
}

/**
 * Takes back what referrals gave for one stage (and, for the main stage, one purchase): points
 * through the ledger's reversal of each credit, coupons made unusable (expired now). Each
 * reward is revoked once.
 */
export async function clawBackReferralRewards(
  tx: Tx,
  shopId: string,
  referralIds: string[],
  reason: string,
  now: Date,
  stage: 'lead' | 'main',
  purchase = 1,
): Promise<number> {
  if (referralIds.length === 0) return 0;
  const rewards = await tx
    .selectFrom('referral_rewards')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('referral_id', 'in', referralIds)
    .where('stage', '=', stage)
    .where('purchase', '=', purchase)
    .where('revoked_at', 'is', null)
    .execute();
  if (rewards.length === 0) return 0;
  const points = rewards.filter((r) => r.entry_id !== null);
  const live = await liveProgramme(tx, shopId);
  const accounts = await openAccounts(
    tx,
    shopId,
    points.map((r) => r.customer_id),
    {
      withLots: points.map((r) => r.customer_id),
      lotIds: points.map((r) => r.entry_id!),
      keys: points.map((r) => `reverse:${r.entry_id}:referral`),
    },
  );
  for (const r of points) {
    reverseCredit(accounts.get(r.customer_id)!, {
      original: { id: r.entry_id!, customerId: r.customer_id, orderId: null },
      points: r.points ?? 0,
      key: `reverse:${r.entry_id}:referral`,
      at: now,
      reason,
      shortfall: live.programme.settings.refundShortfall,
    });
  }
  await saveAccounts(tx, accounts.values(), now);
  const couponIds = rewards.flatMap((r) => (r.coupon_id ? [r.coupon_id] : []));
  if (couponIds.length > 0) {
    await tx
      .updateTable('coupons')
      .set({ expires_at: now })
      .where('shop_id', '=', shopId)
      .where('id', 'in', couponIds)
      .execute();
  }
  await tx
    .updateTable('referral_rewards')
    .set({ revoked_at: now })
    .where('shop_id', '=', shopId)
    .where('referral_id', 'in', referralIds)
    .where('stage', '=', stage)
    .where('purchase', '=', purchase)
    .where('revoked_at', 'is', null)
    .execute();
  return rewards.length;
}
