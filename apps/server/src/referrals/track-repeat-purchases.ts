import type { Selectable } from 'kysely';
import type { ReferralsTable } from '../db/schema.ts';
import type { Tx } from '../db/connect.ts';
import { addDays } from '../shared/zoned-time.ts';
import { clawBackReferralRewards } from './give-referral-rewards.ts';
import type { ReferralCampaign } from './manage-referral-campaigns.ts';
import { orderCounts } from './referral-steps.ts';

interface BatchOrder {
  id: string;
  customer_id: string | null;
  total: number;
  refunded_amount: number;
  paid_at: Date | null;
  cancelled_at: Date | null;
}

export interface RepeatPurchaseBatch {
  shop: { id: string; return_window_days: number };
  /** The batch's referrals, locked, with this batch's steps already applied. */
  referrals: Array<Selectable<ReferralsTable>>;
  /** Keyed by referral id: the terms each referral keeps. */
  campaigns: Map<string, ReferralCampaign>;
  orders: Map<string, BatchOrder>;
  /** Orders this batch saw paid. */
  paidNow: Set<string>;
  now: Date;
}

const counts = (o: BatchOrder, minOrderValue: number) =>
  orderCounts({
    status: 'purchased',
    heldStatus: null,
    orderId: o.id,
    minOrderValue,
    order: {
      id: o.id,
      total: o.total,
      refunded: o.refunded_amount,
      paidAt: o.paid_at,
      cancelled: o.cancelled_at !== null,
    },
  });

/**
 * "Every purchase up to N" (`main.everyPurchaseUpTo`): each further qualifying purchase of the
 * friend, after the first, is held for the return window like the first (purchase 2, 3 …),
 * while fewer than N purchases are held or rewarded. A refund or cancellation that leaves its
 * order not counting cancels a held one, or claws back a rewarded one, and frees its place.
 */
export async function trackRepeatPurchases(tx: Tx, batch: RepeatPurchaseBatch): Promise<void> {
  const { shop, orders, now } = batch;
  const shopId = shop.id;
  const recorded = await tx
    .selectFrom('referral_purchases')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('order_id', 'in', [...orders.keys()])
    .forUpdate()
    .execute();
  for (const p of recorded) {
    if (p.status !== 'held' && p.status !== 'rewarded') continue;
    const order = orders.get(p.order_id)!;
    const settings = batch.campaigns.get(p.referral_id)?.settings;
    if (!settings || counts(order, settings.minOrderValue)) continue;
    const why = order.cancelled_at ? 'order_cancelled' : 'order_refunded';
    const rewarded = p.status === 'rewarded';
    await tx
      .updateTable('referral_purchases')
      .set({
        status: rewarded ? 'clawed_back' : 'cancelled',
        reason: rewarded ? `${why}_after_reward` : why,
        ended_at: now,
      })
      .where('shop_id', '=', shopId)
      .where('referral_id', '=', p.referral_id)
      .where('purchase', '=', p.purchase)
      .execute();
    if (rewarded) {
      await clawBackReferralRewards(
        tx,
        shopId,
        [p.referral_id],
        'referral order refunded',
        now,
        'main',
        p.purchase,
      );
    }
  }

  const known = new Set(recorded.map((p) => p.order_id));
  const open = new Set(['purchased', 'qualified', 'rewarded', 'flagged']);
  for (const referral of batch.referrals) {
    const settings = batch.campaigns.get(referral.id)!.settings;
    if (settings.main.everyPurchaseUpTo <= 1) continue;
    if (!referral.order_id || !open.has(referral.status)) continue;
    const fresh = [...orders.values()]
      .filter(
        (o) =>
          batch.paidNow.has(o.id) &&
          o.customer_id === referral.friend_customer_id &&
          o.id !== referral.order_id &&
          !known.has(o.id) &&
          o.paid_at !== null &&
          o.paid_at >= referral.created_at &&
          counts(o, settings.minOrderValue),
      )
      .sort((a, b) => a.paid_at!.getTime() - b.paid_at!.getTime());
    if (fresh.length === 0) continue;
    const taken = await tx
      .selectFrom('referral_purchases')
      .select(['purchase', 'status'])
      .where('shop_id', '=', shopId)
      .where('referral_id', '=', referral.id)
      .execute();
    // The first purchase holds place 1; cancelled and clawed-back ones free theirs.
    let active = 1 + taken.filter((p) => p.status === 'held' || p.status === 'rewarded').length;
    let last = Math.max(1, ...taken.map((p) => p.purchase));
    const dueDays = settings.holdForReturnWindow ? shop.return_window_days : 0;
    const rows = [];
    for (const o of fresh) {
      if (active >= settings.main.everyPurchaseUpTo) break;
      active++;
      rows.push({
        shop_id: shopId,
        referral_id: referral.id,
        purchase: ++last,
        order_id: o.id,
        order_total: o.total,
        paid_at: o.paid_at!,
        due_at: addDays(o.paid_at!, dueDays),
        status: 'held' as const,
        created_at: now,
      });
    }
    if (rows.length > 0) await tx.insertInto('referral_purchases').values(rows).execute();
  }
}
