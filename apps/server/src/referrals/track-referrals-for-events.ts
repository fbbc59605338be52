import type { Tx } from '../db/connect.ts';
import type { DomainEvent, Reaction } from '../events/domain-events.ts';
import { addDays } from '../shared/zoned-time.ts';
import { attributeReferral } from './attribute-referral.ts';
import { ensureReferralCodes } from './ensure-referral-codes.ts';
import { referralCodeKey } from './referral-code.ts';
import { clawBackReferralRewards } from './give-referral-rewards.ts';
import { campaignsOfReferrals } from './manage-referral-campaigns.ts';
import { deliveredToReferrer } from './delivery-address.ts';
import { fraudVerdict, WEIGHTS } from './fraud-checks.ts';
import type { ReferralSettings } from './referral-settings.ts';
import { purchaseStep, refundStep, type Step } from './referral-steps.ts';
import { trackRepeatPurchases } from './track-repeat-purchases.ts';

type ReferralEvent = Extract<
  DomainEvent,
  { type: 'customer.created' | 'order.paid' | 'order.refunded' | 'order.cancelled' }
>;

/**
 * Referrals in the ingestion transaction: new customers get their code; a paid order carrying
 * a referral code attributes its customer; the friend's first qualifying order starts the hold
 * of the main reward (and is checked against the referrer's delivery addresses); a refund or
 * cancellation of that order cancels the reward, or claws it back once given. Further
 * purchases, where the terms reward them, are tracked in track-repeat-purchases.ts.
 */
export async function trackReferralsForEvents(
  tx: Tx,
  events: ReferralEvent[],
  now: Date,
): Promise<void> {
  if (events.length === 0) return;
  const shopId = events[0]!.shopId;
  const created = events.flatMap((e) => (e.type === 'customer.created' ? [e.customerId] : []));
  await ensureReferralCodes(tx, shopId, created, now);

  const orderIds = [...new Set(events.flatMap((e) => ('orderId' in e ? [e.orderId] : [])))];
  if (orderIds.length === 0) return;
  const shop = await tx
    .selectFrom('shops')
    .select(['id', 'currency', 'return_window_days'])
    .where('id', '=', shopId)
    .executeTakeFirstOrThrow();
  const orders = new Map(
    (
      await tx
        .selectFrom('orders')
        .select([
          'id',
          'customer_id',
          'total',
          'refunded_amount',
          'discount_codes',
          'paid_at',
          'cancelled_at',
          'shipping_address',
        ])
        .where('shop_id', '=', shopId)
        .where('id', 'in', orderIds)
        .execute()
    ).map((o) => [o.id, o]),
  );

  // One read tells which of the batch's discount codes are referral codes.
  const codes = [...orders.values()].flatMap((o) => o.discount_codes.map(referralCodeKey));
  const referralCodes = new Set(
    codes.length === 0
      ? []
      : (
          await tx
            .selectFrom('referral_codes')
            .select('code_key')
            .where('shop_id', '=', shopId)
            .where('code_key', 'in', [...new Set(codes)])
            .execute()
        ).map((r) => r.code_key),
  );
  for (const event of events) {
    if (event.type !== 'order.paid') continue;
    const order = orders.get(event.orderId);
    if (!order?.customer_id) continue;
    for (const code of order.discount_codes) {
      if (!referralCodes.has(referralCodeKey(code))) continue;
      await attributeReferral(tx, shop, {
        friendId: order.customer_id,
        code,
        source: 'code',
        at: event.at,
        orderId: order.id,
      });
      break;
    }
  }

  const friends = [
    ...new Set([...orders.values()].flatMap((o) => (o.customer_id ? [o.customer_id] : []))),
  ];
  const referrals = await tx
    .selectFrom('referrals')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where((eb) =>
      eb.or([
        eb('order_id', 'in', orderIds),
        ...(friends.length > 0 ? [eb('friend_customer_id', 'in', friends)] : []),
      ]),
    )
    .forUpdate()
    .execute();
  const campaigns = await campaignsOfReferrals(tx, shopId, referrals);
  const clawBack: string[] = [];
  for (const referral of referrals) {
    if (referral.status === 'rejected') continue;
    const settings = campaigns.get(referral.id)!.settings;
    const factsFor = (order: NonNullable<ReturnType<typeof orders.get>>) => ({
      status: referral.status,
      heldStatus: referral.held_status,
      orderId: referral.order_id,
      minOrderValue: settings.minOrderValue,
      order: {
        id: order.id,
        total: order.total,
        refunded: order.refunded_amount,
        paidAt: order.paid_at,
        cancelled: order.cancelled_at !== null,
      },
    });
    // A referral with its order follows that order; one without looks at the friend's orders of
    // this batch in the order they were paid and takes the first that counts (a small first
    // order below the minimum must not hide a qualifying second one).
    const candidates = referral.order_id
      ? [orders.get(referral.order_id)].filter((o) => o !== undefined)
      : [...orders.values()]
          .filter(
            (o) =>
              o.customer_id === referral.friend_customer_id &&
              o.paid_at !== null &&
              o.paid_at >= referral.created_at,
          )
          .sort((a, b) => a.paid_at!.getTime() - b.paid_at!.getTime());
    let order: (typeof candidates)[number] | undefined;
    let step: ReturnType<typeof purchaseStep> = null;
    for (const candidate of candidates) {
      const facts = factsFor(candidate);
      step = referral.order_id ? refundStep(facts) : purchaseStep(facts);
      order = candidate;
      if (step) break;
    }
    if (!order) continue;
    if (!step) continue;
    let reasons = referral.reasons;
    if (step.purchased && !reasons.some((r) => r.reason === 'same_address')) {
      const same = await deliveredToReferrer(
        tx,
        shopId,
        referral.referrer_customer_id,
        order.shipping_address,
      );
      if (same) {
        reasons = [...reasons, { reason: 'same_address', weight: WEIGHTS.same_address }];
        step = judgedAgain(step, reasons, settings);
      }
    }
    const dueDays = settings.holdForReturnWindow ? shop.return_window_days : 0;
    await tx
      .updateTable('referrals')
      .set({
        status: step.status,
        held_status: step.heldStatus,
        ...(step.purchased && {
          order_id: order.id,
          order_total: order.total,
          purchased_at: order.paid_at,
          due_at: addDays(order.paid_at!, dueDays),
        }),
        ...(step.riskScore !== undefined && { risk_score: step.riskScore }),
        ...(step.status === 'flagged' && referral.status !== 'flagged' && { flagged_at: now }),
        ...(step.status === 'rejected' && { rejected_at: now }),
        reasons: JSON.stringify(
          step.reject ? [...reasons, { reason: step.reject, weight: 0 }] : reasons,
        ),
        ...(step.clawBack && { clawed_back_at: now }),
      })
      .where('shop_id', '=', shopId)
      .where('id', '=', referral.id)
      .execute();
    if (step.clawBack) clawBack.push(referral.id);
    if (step.purchased) Object.assign(referral, { status: step.status, order_id: order.id });
    if (step.reject) referral.status = 'rejected';
  }
  await clawBackReferralRewards(tx, shopId, clawBack, 'referral order refunded', now, 'main');
  const paidNow = new Set(events.flatMap((e) => (e.type === 'order.paid' ? [e.orderId] : [])));
  await trackRepeatPurchases(tx, { shop, referrals, campaigns, orders, paidNow, now });
}

/**
 * A fraud reason found at the purchase (the delivery address) is added to those of the
 * signup and the sum judged again: the referral may now wait for review, or end.
 */
function judgedAgain(
  step: Step,
  reasons: Array<{ reason: string; weight: number }>,
  settings: ReferralSettings,
): Step {
  const { verdict, score } = fraudVerdict(reasons, settings);
  if (verdict === 'reject')
    return { ...step, status: 'rejected', heldStatus: null, riskScore: score };
  if (verdict === 'flag')
    return { ...step, status: 'flagged', heldStatus: 'purchased', riskScore: score };
  return { ...step, riskScore: score };
}

export const referralsReaction: Reaction = {
  name: 'referrals',
  on: ['customer.created', 'order.paid', 'order.refunded', 'order.cancelled'],
  react: (tx, clock, events) => trackReferralsForEvents(tx, events as ReferralEvent[], clock.now()),
};
