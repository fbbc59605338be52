import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ShopRow } from '../shops/shop.ts';
import { localize } from '../rewards/reward-schema.ts';
import {
  stampProgrammeView,
  type StampProgrammeInput,
  type StampReward,
} from './stamp-programme-schema.ts';

/** A catalogue reward must exist when the programme names it; its coupon is what a card gives. */
async function checkReward(db: Db, shopId: string, reward: StampReward): Promise<void> {
  if (reward.type !== 'reward') return;
  const found = await db
    .selectFrom('rewards')
    .select('id')
    .where('shop_id', '=', shopId)
    .where('id', '=', reward.rewardId)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  if (!found) {
    throw problems.validation([{ path: 'reward.rewardId', message: 'no such reward' }]);
  }
}

function columns(input: StampProgrammeInput) {
  return {
    name: JSON.stringify(localize(input.name)),
    stamps_required: input.stampsRequired,
    earn_by: input.earnBy,
    product_ids: input.earnBy === 'product' ? input.productIds : [],
    category_ids: input.earnBy === 'product' ? input.categoryIds : [],
    min_order: input.earnBy === 'visit' ? null : (input.minOrder ?? null),
    daily_limit: input.dailyLimit ?? null,
    reward: JSON.stringify(input.reward),
    active: input.active,
  };
}

export async function createStampProgramme(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  input: StampProgrammeInput,
) {
  await checkReward(db, shop.id, input.reward);
  const now = clock.now();
  const row = await db
    .insertInto('stamp_programmes')
    .values({
      shop_id: shop.id,
      id: newId('stp'),
      ...columns(input),
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return stampProgrammeView(row, shop.locale);
}

export async function listStampProgrammes(db: Db, shop: ShopRow) {
  const rows = await db
    .selectFrom('stamp_programmes')
    .selectAll()
    .where('shop_id', '=', shop.id)
    .orderBy('id')
    .execute();
  return rows.map((r) => stampProgrammeView(r, shop.locale));
}

/** New terms apply from now on; a card already open keeps the stamp count it opened with. */
export async function updateStampProgramme(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  id: string,
  input: StampProgrammeInput,
) {
  await checkReward(db, shop.id, input.reward);
  const row = await db
    .updateTable('stamp_programmes')
    .set({ ...columns(input), updated_at: clock.now() })
    .where('shop_id', '=', shop.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw problems.notFound(`Stamp card ${id}`);
  return stampProgrammeView(row, shop.locale);
}
