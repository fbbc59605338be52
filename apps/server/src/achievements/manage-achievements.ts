import { z } from 'zod';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ShopRow } from '../shops/shop.ts';
import type { LocalizedText } from '../db/schema.ts';
import { localizedText, localize } from '../rewards/reward-schema.ts';
import {
  CONDITION_TITLES,
  conditionSchema,
  target,
  type Condition,
} from './achievement-conditions.ts';
import { measure } from './measure-achievements.ts';
import { findCustomerId } from '../customers/find-customer-id.ts';

export const achievementInput = z.object({
  name: localizedText,
  description: localizedText.optional(),
  condition: conditionSchema,
  points: z.number().int().min(0).max(1_000_000).default(0),
});

interface Row {
  id: string;
  name: LocalizedText;
  description: LocalizedText | null;
  condition: unknown;
  points: number;
  active: boolean;
}

function view(row: Row, locale: string) {
  return {
    id: row.id,
    name: locale.startsWith('pl') ? row.name.pl : row.name.en,
    names: row.name,
    description: row.description,
    condition: conditionSchema.parse(row.condition),
    points: row.points,
    active: row.active,
  };
}

export async function createAchievement(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  input: z.infer<typeof achievementInput>,
) {
  const row = await db
    .insertInto('achievements')
    .values({
      shop_id: shop.id,
      id: newId('ach'),
      name: JSON.stringify(localize(input.name)),
      description: input.description ? JSON.stringify(localize(input.description)) : null,
      condition: JSON.stringify(input.condition),
      points: input.points,
      created_at: clock.now(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return view(row, shop.locale);
}

export async function listAchievements(db: Db, shop: ShopRow) {
  const rows = await db
    .selectFrom('achievements')
    .selectAll()
    .where('shop_id', '=', shop.id)
    .where('active', '=', true)
    .orderBy('id')
    .execute();
  return rows.map((r) => view(r, shop.locale));
}

/** Retired achievements are awarded no more; those already earned stay with their holders. */
export async function retireAchievement(db: Db, shop: ShopRow, achievementId: string) {
  const row = await db
    .updateTable('achievements')
    .set({ active: false })
    .where('shop_id', '=', shop.id)
    .where('id', '=', achievementId)
    .where('active', '=', true)
    .returning('id')
    .executeTakeFirst();
  if (!row) throw problems.notFound(`Achievement ${achievementId}`);
}

export function conditionKinds() {
  return Object.entries(CONDITION_TITLES).map(([kind, title]) => ({ kind, title }));
}

/**
 * A customer's achievements: earned ones with their date, and progress towards the others
 * (current value and target), for a progress bar in the widget.
 */
export async function customerAchievements(db: Db, shop: ShopRow, externalId: string, now: Date) {
  const customer = { id: await findCustomerId(db, shop.id, externalId) };
  const [achievements, earned] = await Promise.all([
    db
      .selectFrom('achievements')
      .selectAll()
      .where('shop_id', '=', shop.id)
      .where('active', '=', true)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('customer_achievements')
      .select(['achievement_id', 'awarded_at'])
      .where('shop_id', '=', shop.id)
      .where('customer_id', '=', customer.id)
      .execute(),
  ]);
  const earnedAt = new Map(earned.map((e) => [e.achievement_id, e.awarded_at]));
  return Promise.all(
    achievements.map(async (a) => {
      const condition: Condition = conditionSchema.parse(a.condition);
      const goal = target(condition);
      const awardedAt = earnedAt.get(a.id);
      const current = awardedAt
        ? goal
        : ((await measure(db, shop.id, condition, [customer.id], now)).get(customer.id) ?? 0);
      return {
        ...view(a, shop.locale),
        earned: awardedAt !== undefined,
        earnedAt: awardedAt?.toISOString() ?? null,
        progress: { current: Math.min(current, goal), target: goal },
      };
    }),
  );
}
