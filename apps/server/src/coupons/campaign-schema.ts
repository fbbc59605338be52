import { z } from 'zod';
import { amountSchema as minor, currencySchema } from '../shared/bounds.ts';
import type { Selectable } from 'kysely';
import type { CouponCampaignsTable } from '../db/schema.ts';
import type { DiscountSpec } from './coupon-decision.ts';

const ids = z.array(z.string().min(1).max(255)).max(1000).default([]);

export const discountInput = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('fixed'),
    amount: minor.min(1),
    currency: currencySchema,
  }),
  z.object({
    kind: z.literal('percentage'),
    percent: z.number().min(0.01).max(100),
    cap: minor.min(1).optional().describe('at most this much off, in minor units'),
  }),
  z.object({ kind: z.literal('free_shipping') }),
  z.object({ kind: z.literal('free_product'), productId: z.string().min(1).max(255) }),
]);

export const codePatternInput = z.object({
  prefix: z
    .string()
    .regex(/^[A-Z0-9]{0,12}$/, 'up to 12 upper-case letters and digits')
    .default(''),
  length: z
    .number()
    .int()
    .min(13)
    .max(32)
    .default(13)
    .describe('random symbols after the prefix; 13 of 25 symbols carry 60 bits'),
});
export type CodePattern = z.infer<typeof codePatternInput>;

export const campaignInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    discount: discountInput,
    code: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{3,40}$/, '3–40 letters, digits or dashes')
      .optional()
      .describe('one shared code (e.g. LATO20); omit and generate unique codes instead'),
    minBasket: minor.optional(),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }).optional(),
    usesPerCode: z
      .number()
      .int()
      .min(1)
      .max(1_000_000_000)
      .optional()
      .describe('unique codes default to 1; a shared code to unlimited'),
    usesPerCustomer: z.number().int().min(1).max(1_000_000).optional(),
    budget: minor.min(1).optional().describe('the most discount in total, in minor units'),
    productIds: ids.describe('only these products count (with categoryIds: either matches)'),
    categoryIds: ids,
    excludeProductIds: ids,
    excludeCategoryIds: ids,
    firstOrderOnly: z.boolean().default(false),
    segmentId: z.string().min(1).max(100).optional().describe('only customers in this segment'),
    minTier: z.string().min(1).max(100).optional(),
    stackable: z.boolean().default(false).describe('may be combined with other stackable codes'),
    returnUseOnCancel: z
      .boolean()
      .default(true)
      .describe('a cancelled or fully refunded order gives its use back'),
  })
  .superRefine((c, ctx) => {
    if (c.startsAt && c.endsAt && Date.parse(c.startsAt) >= Date.parse(c.endsAt)) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
    }
  });
export type CampaignInput = z.infer<typeof campaignInput>;

export type CampaignRow = Selectable<CouponCampaignsTable>;

export function campaignView(c: CampaignRow, codes: number) {
  return {
    id: c.id,
    name: c.name,
    discount: c.discount as DiscountSpec,
    minBasket: c.min_basket,
    startsAt: c.starts_at?.toISOString() ?? null,
    endsAt: c.ends_at?.toISOString() ?? null,
    usesPerCode: c.uses_per_code,
    usesPerCustomer: c.uses_per_customer,
    budget: c.budget,
    budgetUsed: c.budget_used,
    uses: c.uses,
    productIds: c.product_ids,
    categoryIds: c.category_ids,
    excludeProductIds: c.exclude_product_ids,
    excludeCategoryIds: c.exclude_category_ids,
    firstOrderOnly: c.first_order_only,
    segmentId: c.segment_id,
    minTier: c.min_tier,
    stackable: c.stackable,
    returnUseOnCancel: c.return_use_on_cancel,
    codes,
    archived: c.archived_at !== null,
    createdAt: c.created_at.toISOString(),
  };
}
