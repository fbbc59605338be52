import type { Tx } from '../db/connect.ts';
import {
  customerCouponRow,
  discountInCurrency,
  rewardCouponTerms,
} from '../coupons/customer-coupon.ts';
import type { DiscountSpec } from '../coupons/coupon-decision.ts';
import { credit } from '../points/account.ts';
import { openAccounts, saveAccounts } from '../points/ledger.ts';
import { liveProgramme } from '../points/live-programme.ts';
import { addMonths } from '../shared/zoned-time.ts';
import type { FlowGrant } from './flow-definition.ts';

export interface GrantOutcome {
  kind: FlowGrant['kind'];
  points?: number;
  couponId?: string;
  couponCode?: string;
  discount?: DiscountSpec;
  minBasket?: number | null;
  expiresAt?: string;
}

/**
 * What a flow's grant step gives: points (posted once per run and step), a one-use coupon, or
 * a catalogue reward's coupon free of points. Runs inside the step's transaction, so a step
 * that rolls back gives nothing.
 */
export async function grantStep(
  tx: Tx,
  input: {
    shop: { id: string; currency: string };
    customerId: string;
    grant: FlowGrant;
    key: string;
    at: Date;
    reason: string;
  },
): Promise<GrantOutcome | { skipped: string }> {
  const { shop, customerId, grant, at } = input;
  if (grant.kind === 'points') {
    const { programme } = await liveProgramme(tx, shop.id);
    const accounts = await openAccounts(tx, shop.id, [customerId], { keys: [input.key] });
    const account = accounts.get(customerId)!;
    const months = programme.settings.expiryMonths;
    const entry = credit(account, {
      cause: 'adjustment',
      reason: input.reason,
      actor: 'flow',
      key: input.key,
      at,
      points: grant.points,
      kind: 'adjust',
      availableAt: at,
      expiresAt: months === null ? null : addMonths(at, months),
    });
    await saveAccounts(tx, [account], at);
    return entry ? { kind: 'points', points: grant.points } : { skipped: 'already_granted' };
  }
  let terms;
  if (grant.kind === 'coupon') {
    terms = {
      discount: discountInCurrency(grant.discount, shop.currency),
      minBasket: grant.minBasket ?? null,
      validDays: grant.validDays,
    };
  } else {
    const reward = await tx
      .selectFrom('rewards')
      .selectAll()
      .where('shop_id', '=', shop.id)
      .where('id', '=', grant.rewardId)
      .executeTakeFirst();
    if (!reward) return { skipped: 'reward_not_found' };
    terms = rewardCouponTerms(reward, shop.currency);
    if (!terms) return { skipped: 'reward_has_no_coupon' };
  }
  const row = customerCouponRow({ shopId: shop.id, customerId, source: 'flow', terms, at });
  await tx.insertInto('coupons').values(row).execute();
  return {
    kind: grant.kind,
    couponId: row.id as string,
    couponCode: row.code as string,
    discount: terms.discount,
    minBasket: terms.minBasket,
    expiresAt: (row.expires_at as Date).toISOString(),
  };
}
