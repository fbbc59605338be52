import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { ShopRow } from '../shops/shop.ts';
import type { InboxWriter } from '../ingest/inbox-writer.ts';
import type { StaffIdentity } from '../stamps/authenticate-staff.ts';
import { problems } from '../shared/errors.ts';
import { formatMoney } from '../shared/i18n.ts';
import { LocalizedProblem } from '../shared/localized-problem.ts';
import { decideCoupon, refusalMessages, type Refusal } from '../coupons/coupon-decision.ts';
import { customerContext } from '../coupons/customer-context.ts';
import { findCoupon } from '../coupons/find-coupon.ts';
import { counterOrderId, recordCounterPurchase } from './record-purchase.ts';
import { pendingCounterCodes } from './ready-rewards.ts';

export interface CounterRewardUse {
  customerId: string; // Lojal's id of the customer at the counter
  couponId: string;
  /** What the customer pays, in minor units; 0 when the reward is all they take. */
  amount: number;
  reference: string;
}

const used = () =>
  new LocalizedProblem(409, 'reward-used', 'Reward already used', {
    pl: 'Ta nagroda została już wykorzystana.',
    en: 'This reward has already been used.',
  });

function refused(reason: Refusal, minBasket: number | null, currency: string) {
  if (reason === 'usage_limit_reached') return used();
  if (reason === 'min_basket' && minBasket !== null) {
    return new LocalizedProblem(422, 'reward-min-basket', 'Purchase below the minimum', {
      pl: `Ta nagroda wymaga zakupu za co najmniej ${formatMoney(minBasket, currency, 'pl')}: wpisz kwotę zakupu.`,
      en: `This reward needs a purchase of at least ${formatMoney(minBasket, currency, 'en')}: enter the purchase amount.`,
    });
  }
  const code = reason === 'expired' ? 'reward-expired' : 'reward-not-usable';
  return new LocalizedProblem(422, code, 'Reward not usable', refusalMessages(reason));
}

/**
 * A reward the customer holds (a coupon from a full stamp card or a points redemption) taken
 * at the counter. It goes through the engine, not around it: a paid counter order
 * `counter-<reference>` carrying the coupon's code enters the event log like a purchase, and
 * the coupons reaction counts its use when the order is processed, as for any order (usage
 * limit, campaign uses and budget, one use per coupon and order). The terms are checked here
 * first, with the same decision against the same cart (the amount entered, no lines), so what
 * the order would not use is refused at the counter with a reason. A resend of the same
 * action (same reference) answers `duplicate`, even once the use is counted.
 */
export async function useRewardAtCounter(
  db: Db,
  inbox: InboxWriter,
  clock: Clock,
  shop: ShopRow,
  staff: StaffIdentity,
  input: CounterRewardUse & { customerExternalId: string },
) {
  const row = await db
    .selectFrom('coupons')
    .select(['code', 'customer_id', 'source'])
    .where('shop_id', '=', shop.id)
    .where('id', '=', input.couponId)
    .executeTakeFirst();
  if (!row || row.source !== 'reward') throw problems.notFound(`Reward ${input.couponId}`);
  if (row.customer_id !== input.customerId) {
    throw new LocalizedProblem(422, 'reward-other-customer', "Another customer's reward", {
      pl: 'Ta nagroda należy do innego klienta.',
      en: 'This reward belongs to another customer.',
    });
  }
  const orderId = counterOrderId(input.reference);
  const coupon = (await findCoupon(db, shop.id, row.code))!;
  const sameOrder = await db
    .selectFrom('coupon_uses')
    .select('order_id')
    .where('shop_id', '=', shop.id)
    .where('coupon_id', '=', input.couponId)
    .where('order_id', 'in', (eb) =>
      eb
        .selectFrom('orders')
        .select('id')
        .where('shop_id', '=', shop.id)
        .where('external_id', '=', orderId),
    )
    .executeTakeFirst();
  if (!sameOrder) {
    if ((await pendingCounterCodes(db, shop.id, orderId)).has(coupon.code)) throw used();
    const now = clock.now();
    const decision = decideCoupon(coupon, {
      customer: await customerContext(db, shop, coupon, input.customerId, now),
      cart: { currency: shop.currency, total: input.amount },
      now,
    });
    if (!decision.valid) throw refused(decision.reason, coupon.minBasket, shop.currency);
  }
  const recorded = await recordCounterPurchase(inbox, clock, shop, staff, {
    customerId: input.customerExternalId,
    amount: input.amount,
    reference: input.reference,
    discountCodes: [coupon.code],
  });
  return {
    ...recorded,
    couponId: input.couponId,
    status: sameOrder ? ('duplicate' as const) : recorded.status,
  };
}
