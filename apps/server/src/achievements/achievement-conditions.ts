import { z } from 'zod';
import type { LocalizedText } from '../db/schema.ts';

/**
 * What an achievement asks of a customer, as `{kind, ...args}` from a typed registry: the same
 * schema validates the merchant's input, documents it (GET /v1/achievements/kinds) and drives
 * the form. measure-achievements.ts measures each kind for many customers in one query.
 */
const threshold = z.number().int().min(1).max(1_000_000_000);
const windowDays = z
  .number()
  .int()
  .min(1)
  .max(3650)
  .optional()
  .describe('count only the last N days; lifetime when absent');

export const conditionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('orders_count'),
    threshold: threshold.describe('paid, not cancelled orders'),
    windowDays,
  }),
  z.object({
    kind: z.literal('total_spent'),
    threshold: threshold.describe('minor units, refunds subtracted'),
    windowDays,
  }),
  z.object({
    kind: z.literal('category_bought'),
    categoryId: z.string().min(1).max(255).describe('a category explored'),
  }),
  z.object({
    kind: z.literal('categories_count'),
    threshold: threshold.describe('distinct categories bought'),
  }),
  z.object({
    kind: z.literal('activity_count'),
    activity: z
      .string()
      .regex(/^(review\.created|newsletter\.subscribed|social\.followed|custom\.[a-z0-9_.-]+)$/)
      .describe('e.g. review.created (first review: threshold 1) or custom.quiz_completed'),
    threshold,
    windowDays,
  }),
]);
export type Condition = z.infer<typeof conditionSchema>;

export const CONDITION_TITLES: Record<Condition['kind'], LocalizedText> = {
  orders_count: { pl: 'Liczba zamówień', en: 'Number of orders' },
  total_spent: { pl: 'Łączne wydatki', en: 'Total spent' },
  category_bought: { pl: 'Zakup z kategorii', en: 'Bought from a category' },
  categories_count: { pl: 'Liczba odkrytych kategorii', en: 'Categories explored' },
  activity_count: { pl: 'Liczba aktywności', en: 'Number of activities' },
};

/** The number the condition needs the measure to reach. */
export function target(condition: Condition): number {
  return condition.kind === 'category_bought' ? 1 : condition.threshold;
}
