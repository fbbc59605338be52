import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ShopRow } from '../shops/shop.ts';
import { availablePoints, debit, expireLots } from '../points/account.ts';
import { openAccounts, saveAccounts } from '../points/ledger.ts';
import { customerCouponRow, rewardCouponTerms } from '../coupons/customer-coupon.ts';
import { meetsTier } from '../tiers/meets-tier.ts';
import { findCustomerId } from '../customers/find-customer-id.ts';

export interface RedeemInput {
  customerId: string; // the shop's own id
  rewardId: string;
  actor: string;
}

/**
 * Spends a customer's points on a catalogue reward and issues its coupon, all or nothing. The
 * account row is locked first, so concurrent redemptions of one customer run one after another
 * and can never spend more than the available points; the reward's stock is taken with a
 * guarded decrement.
 */
export async function redeemReward(db: Db, clock: Clock, shop: ShopRow, input: RedeemInput) {
  return db.transaction().execute(async (tx) => {
    const now = clock.now();
    const customer = { id: await findCustomerId(tx, shop.id, input.customerId) };
    const reward = await tx
      .selectFrom('rewards')
      .selectAll()
      .where('shop_id', '=', shop.id)
      .where('id', '=', input.rewardId)
      .where('archived_at', 'is', null)
      .executeTakeFirst();
    if (!reward) throw problems.notFound(`Reward ${input.rewardId}`);
    if ((reward.starts_at && reward.starts_at > now) || (reward.ends_at && reward.ends_at <= now)) {
      throw problems.unprocessable(
        'reward-unavailable',
        'Reward not available',
        'The reward is outside its availability window.',
      );
    }
    if (reward.min_tier) {
      const tier = await meetsTier(tx, shop.id, customer.id, reward.min_tier, now);
      if (!tier.met) {
        throw problems.unprocessable(
          'tier-required',
          'Tier required',
          `The reward needs the tier ${reward.min_tier} or higher; the customer has ${tier.held ?? 'no tier'}.`,
        );
      }
    }

    const accounts = await openAccounts(tx, shop.id, [customer.id], { withLots: [customer.id] });
    const account = accounts.get(customer.id)!;
    if (reward.per_customer_limit !== null) {
      const { count } = await tx
        .selectFrom('redemptions')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('shop_id', '=', shop.id)
        .where('customer_id', '=', customer.id)
        .where('reward_id', '=', reward.id)
        .where('status', '!=', 'returned')
        .executeTakeFirstOrThrow();
      if (Number(count) >= reward.per_customer_limit) {
        throw problems.unprocessable(
          'reward-limit-reached',
          'Limit reached',
          `The reward can be redeemed ${reward.per_customer_limit} time(s) per customer.`,
        );
      }
    }
    expireLots(account, now);
    const redemptionId = newId('rdm');
    const entry = debit(account, {
      points: reward.points_cost,
      kind: 'redeem',
      cause: 'redemption',
      redemptionId,
      actor: input.actor,
      key: `redeem:${redemptionId}`,
      at: now,
    });
    if (entry === 'insufficient' || entry === null) {
      throw problems.unprocessable(
        'insufficient-points',
        'Not enough points',
        `The reward costs ${reward.points_cost} points; ${Math.max(0, availablePoints(account, now))} are available.`,
      );
    }
    if (reward.stock !== null) {
      const taken = await sql`
        UPDATE rewards SET stock = stock - 1
        WHERE shop_id = ${shop.id} AND id = ${reward.id} AND stock > 0`.execute(tx);
      if (Number(taken.numAffectedRows ?? 0) === 0) {
        throw problems.unprocessable(
          'reward-out-of-stock',
          'Out of stock',
          'The reward is out of stock.',
        );
      }
    }
    await saveAccounts(tx, [account], now);

    const terms = rewardCouponTerms(reward, shop.currency);
    const coupon = terms
      ? await tx
          .insertInto('coupons')
          .values(
            customerCouponRow({
              shopId: shop.id,
              customerId: customer.id,
              source: 'reward',
              terms,
              at: now,
              redemptionId,
            }),
          )
          .returning(['id', 'code', 'expires_at', 'discount', 'min_basket'])
          .executeTakeFirstOrThrow()
      : null;
    await tx
      .insertInto('redemptions')
      .values({
        shop_id: shop.id,
        id: redemptionId,
        customer_id: customer.id,
        reward_id: reward.id,
        points_spent: reward.points_cost,
        entry_id: entry.id,
        coupon_id: coupon?.id ?? null,
        created_at: now,
      })
      .execute();
    return {
      id: redemptionId,
      rewardId: reward.id,
      kind: reward.kind,
      pointsSpent: reward.points_cost,
      balanceAfter: entry.balanceAfter,
      status: 'issued' as const,
      coupon: coupon && {
        code: coupon.code,
        discount: coupon.discount,
        minBasket: coupon.min_basket,
        expiresAt: coupon.expires_at!.toISOString(),
        usageLimit: 1,
      },
      createdAt: now.toISOString(),
    };
  });
}
