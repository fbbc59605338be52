import type { Db } from '../db/connect.ts';
import type { Tx } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { currencyExponent } from '../shared/money.ts';
import type { ShopRow } from '../shops/shop.ts';
import { localize, rewardView, type RewardInput } from './reward-schema.ts';

/** The columns a reward's terms fill, the same when it is created and when it is replaced. */
function termsOf(input: RewardInput) {
  return {
    name: JSON.stringify(localize(input.name)),
    description: input.description ? JSON.stringify(localize(input.description)) : null,
    kind: input.kind,
    points_cost: input.pointsCost,
    config: configOf(input),
    starts_at: input.startsAt ?? null,
    ends_at: input.endsAt ?? null,
    stock: input.stock ?? null,
    per_customer_limit: input.perCustomerLimit ?? null,
    min_tier: input.minTier ?? null,
    coupon_valid_days: input.couponValidDays,
  };
}

function configOf(input: RewardInput) {
  return JSON.stringify({
    ...(input.amount !== undefined && { amount: input.amount }),
    ...(input.percent !== undefined && { percent: input.percent }),
    ...(input.cap !== undefined && { cap: input.cap }),
    ...(input.productId !== undefined && { productId: input.productId }),
    ...(input.minBasket !== undefined && { minBasket: input.minBasket }),
  });
}

export async function createReward(db: Db | Tx, clock: Clock, shop: ShopRow, input: RewardInput) {
  const now = clock.now();
  const row = await db
    .insertInto('rewards')
    .values({
      shop_id: shop.id,
      id: newId('rwd'),
      ...termsOf(input),
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rewardView(row, shop.locale);
}

/** Replaces a reward's terms; redemptions already made keep what they got. */
export async function updateReward(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  rewardId: string,
  input: RewardInput,
) {
  const row = await db
    .updateTable('rewards')
    .set({
      ...termsOf(input),
      updated_at: clock.now(),
    })
    .where('shop_id', '=', shop.id)
    .where('id', '=', rewardId)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw problems.notFound(`Reward ${rewardId}`);
  return rewardView(row, shop.locale);
}

/** Archived rewards leave the catalogue; their history stays. */
export async function archiveReward(db: Db, clock: Clock, shop: ShopRow, rewardId: string) {
  const row = await db
    .updateTable('rewards')
    .set({ archived_at: clock.now() })
    .where('shop_id', '=', shop.id)
    .where('id', '=', rewardId)
    .where('archived_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!row) throw problems.notFound(`Reward ${rewardId}`);
}

export async function listRewards(
  db: Db,
  shop: ShopRow,
  options: { includeArchived?: boolean } = {},
) {
  let q = db.selectFrom('rewards').selectAll().where('shop_id', '=', shop.id);
  if (!options.includeArchived) q = q.where('archived_at', 'is', null);
  const rows = await q.orderBy('points_cost').orderBy('id').execute();
  return rows.map((r) => rewardView(r, shop.locale));
}

/**
 * API.md: a new shop's catalogue is not empty. 25 units off for 500 points is 5% back at the
 * default 1 point per unit, a common first reward.
 */
export async function addDefaultReward(tx: Tx, clock: Clock, shop: ShopRow): Promise<void> {
  await createReward(tx, clock, shop, {
    name: {
      pl: `Rabat 25 ${shop.currency === 'PLN' ? 'zł' : shop.currency}`,
      en: `${shop.currency} 25 off`,
    },
    kind: 'fixed_discount',
    pointsCost: 500,
    amount: 25 * 10 ** currencyExponent(shop.currency),
    couponValidDays: 30,
  });
}
