import { z } from 'zod';
import { amountSchema as minor } from '../shared/bounds.ts';
import type { Selectable } from 'kysely';
import type { StampProgrammesTable } from '../db/schema.ts';
import { localizedText } from '../rewards/reward-schema.ts';

const ids = z.array(z.string().min(1).max(255)).max(1000).default([]);

/** The coupon a full card gives: like a campaign's discount, in the shop's currency. */
const couponReward = z.object({
  type: z.literal('coupon'),
  name: localizedText
    .optional()
    .describe('what staff hand over, e.g. "Free coffee"; else the card\'s name'),
  discount: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('fixed'), amount: minor.min(1).describe('minor units off') }),
    z.object({
      kind: z.literal('percentage'),
      percent: z.number().min(0.01).max(100),
      cap: minor.min(1).optional().describe('at most this much off, in minor units'),
    }),
    z.object({ kind: z.literal('free_shipping') }),
    z.object({ kind: z.literal('free_product'), productId: z.string().min(1).max(255) }),
  ]),
  minBasket: minor.optional(),
  validDays: z.number().int().min(1).max(3650).default(30),
});

/** A catalogue reward given for free: its coupon terms, no points spent. */
const catalogueReward = z.object({
  type: z.literal('reward'),
  rewardId: z.string().min(1).max(100),
});

export const stampRewardInput = z.discriminatedUnion('type', [couponReward, catalogueReward]);
export type StampReward = z.infer<typeof stampRewardInput>;

export const EARN_BY = ['visit', 'order', 'product'] as const;

export const stampProgrammeInput = z
  .object({
    name: localizedText.describe('one text, or {pl, en}'),
    stampsRequired: z.number().int().min(1).max(1000).describe('stamps that fill a card'),
    earnBy: z
      .enum(EARN_BY)
      .describe(
        'visit: a staff scan; order: one per paid order; product: one per unit of the listed products or categories',
      ),
    productIds: ids.describe('product: these products count'),
    categoryIds: ids.describe('product: products in these categories count'),
    minOrder: minor
      .optional()
      .describe(
        'order/product: orders below this (after discounts, without shipping and tax) earn nothing',
      ),
    dailyLimit: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .nullish()
      .describe("stamps per customer per day, in the shop's time zone; null = no limit"),
    reward: stampRewardInput,
    active: z.boolean().default(true),
  })
  .superRefine((p, ctx) => {
    if (p.earnBy === 'product' && p.productIds.length === 0 && p.categoryIds.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['productIds'],
        message: 'product cards need productIds or categoryIds',
      });
    }
  });
export type StampProgrammeInput = z.infer<typeof stampProgrammeInput>;

export type StampProgrammeRow = Selectable<StampProgrammesTable>;

export function stampProgrammeView(p: StampProgrammeRow, locale: string) {
  return {
    id: p.id,
    name: locale.startsWith('pl') ? p.name.pl : p.name.en,
    names: p.name,
    stampsRequired: p.stamps_required,
    earnBy: p.earn_by,
    productIds: p.product_ids,
    categoryIds: p.category_ids,
    minOrder: p.min_order,
    dailyLimit: p.daily_limit,
    reward: p.reward as StampReward,
    active: p.active,
    createdAt: p.created_at.toISOString(),
    updatedAt: p.updated_at.toISOString(),
  };
}
