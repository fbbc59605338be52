import { z } from 'zod';
import { amountSchema } from '../shared/bounds.ts';
import type { DiscountSpec } from '../coupons/coupon-decision.ts';
import type { RewardsTable } from '../db/schema.ts';
import type { Selectable } from 'kysely';

/** What a merchant can put in the catalogue. Gift-card credit arrives with gift cards. */
export const REWARD_KINDS = [
  'fixed_discount',
  'percentage_discount',
  'free_shipping',
  'free_product',
  'custom_perk',
] as const;

const text = z.string().trim().min(1).max(200);
export const localizedText = z.union([text, z.object({ pl: text, en: text })]);

export const rewardInput = z
  .object({
    name: localizedText.describe('one text, or {pl, en}'),
    description: localizedText.optional(),
    kind: z.enum(REWARD_KINDS),
    pointsCost: z.number().int().min(1).max(100_000_000),
    amount: amountSchema.min(1).optional().describe('fixed_discount: minor units off'),
    percent: z.number().min(0.01).max(100).optional().describe('percentage_discount'),
    cap: amountSchema.min(1).optional().describe('percentage_discount: at most this much off'),
    productId: z.string().min(1).max(255).optional().describe('free_product'),
    minBasket: amountSchema.optional().describe('the coupon needs at least this cart total'),
    startsAt: z.iso.datetime({ offset: true }).nullish(),
    endsAt: z.iso.datetime({ offset: true }).nullish(),
    stock: z
      .number()
      .int()
      .min(0)
      .nullish()
      .describe('how many can still be redeemed; null = unlimited'),
    perCustomerLimit: z.number().int().min(1).max(1_000_000).nullish(),
    minTier: z.string().min(1).max(100).nullish(),
    couponValidDays: z.number().int().min(1).max(3650).default(30),
  })
  .superRefine((r, ctx) => {
    const need = (field: 'amount' | 'percent' | 'productId') => {
      if (r[field] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: `is required for ${r.kind}` });
    };
    if (r.kind === 'fixed_discount') need('amount');
    if (r.kind === 'percentage_discount') need('percent');
    if (r.kind === 'free_product') need('productId');
    if (r.startsAt && r.endsAt && Date.parse(r.startsAt) >= Date.parse(r.endsAt)) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
    }
  });
export type RewardInput = z.infer<typeof rewardInput>;

export type RewardRow = Selectable<RewardsTable>;

export function localize(value: z.infer<typeof localizedText>) {
  return typeof value === 'string' ? { pl: value, en: value } : value;
}

/** The discount a reward's coupon gives, in the shop's currency; null for a perk staff fulfil. */
export function discountOf(reward: RewardRow, currency: string): DiscountSpec | null {
  const c = reward.config as {
    amount?: number;
    percent?: number;
    cap?: number;
    productId?: string;
  };
  switch (reward.kind) {
    case 'fixed_discount':
      return { kind: 'fixed', amount: c.amount!, currency };
    case 'percentage_discount':
      return { kind: 'percentage', percent: c.percent!, cap: c.cap ?? null };
    case 'free_shipping':
      return { kind: 'free_shipping' };
    case 'free_product':
      return { kind: 'free_product', productId: c.productId! };
    default:
      return null;
  }
}

export function rewardView(r: RewardRow, locale: string) {
  const c = r.config as {
    amount?: number;
    percent?: number;
    cap?: number;
    productId?: string;
    minBasket?: number;
  };
  return {
    id: r.id,
    name: locale.startsWith('pl') ? r.name.pl : r.name.en,
    names: r.name,
    description: r.description,
    kind: r.kind,
    pointsCost: r.points_cost,
    amount: c.amount ?? null,
    percent: c.percent ?? null,
    cap: c.cap ?? null,
    productId: c.productId ?? null,
    minBasket: c.minBasket ?? null,
    startsAt: r.starts_at?.toISOString() ?? null,
    endsAt: r.ends_at?.toISOString() ?? null,
    stock: r.stock,
    perCustomerLimit: r.per_customer_limit,
    minTier: r.min_tier,
    couponValidDays: r.coupon_valid_days,
    archived: r.archived_at !== null,
  };
}
