import { z } from 'zod';
import { MAX_AMOUNT } from '../shared/bounds.ts';

/**
 * A shop's VIP tier programme: ordered levels with entry and retain thresholds over one metric
 * and period, their benefits, and the rules for reviews (grace, at-risk warning). Stored as
 * one JSON value per shop; this schema validates the API input, documents it in OpenAPI and
 * reads it back from the database.
 */

export const TIER_METRICS = ['spend', 'points_earned', 'orders'] as const;
export const TIER_PERIODS = ['rolling_12_months', 'calendar_year', 'lifetime'] as const;
export type TierMetric = (typeof TIER_METRICS)[number];
export type TierPeriod = (typeof TIER_PERIODS)[number];

const text = z.string().trim().min(1).max(100);
// Minor units for spend, points or orders otherwise: one bound keeps every metric's sums exact.
const threshold = z.number().int().min(0).max(MAX_AMOUNT);

const perkSchema = z
  .object({
    code: z
      .string()
      .regex(/^[a-z0-9_]{1,40}$/, 'lower-case letters, digits and _, at most 40')
      .describe(
        'monthly_free_shipping, early_access, or a code of your own that the storefront understands',
      ),
    title: z.object({ pl: text, en: text }).optional(),
    config: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('anything the perk needs, e.g. {"hoursEarly": 24}'),
  })
  .meta({ id: 'TierPerk' });

export const benefitsSchema = z
  .object({
    pointsMultiplier: z
      .number()
      .min(1)
      .max(10)
      .default(1)
      .describe('multiplies points of the spend rule (1.5 = +50%)'),
    birthdayMultiplier: z
      .number()
      .min(1)
      .max(10)
      .default(1)
      .describe('multiplies the birthday rule’s points'),
    perks: z.array(perkSchema).max(20).default([]),
  })
  .meta({ id: 'TierBenefits' });
export type TierBenefits = z.infer<typeof benefitsSchema>;

const levelSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9_-]{1,40}$/, 'lower-case letters, digits, _ and -, at most 40')
      .describe('stable key (e.g. "silver"): rewards’ minTier and the history name it'),
    name: z.object({ pl: text, en: text }),
    entryThreshold: threshold.describe(
      'reached when the metric over the period is at least this (minor units for spend)',
    ),
    retainThreshold: threshold
      .optional()
      .describe('kept at the review when the metric is at least this; defaults to entryThreshold'),
    benefits: benefitsSchema.default(benefitsSchema.parse({})),
  })
  .refine((t) => t.retainThreshold === undefined || t.retainThreshold <= t.entryThreshold, {
    path: ['retainThreshold'],
    message: 'must not exceed entryThreshold',
  })
  .transform((t) => ({ ...t, retainThreshold: t.retainThreshold ?? t.entryThreshold }));

export const tierProgrammeSchema = z
  .object({
    metric: z
      .enum(TIER_METRICS)
      .describe(
        'spend: paid, not cancelled orders less refunds, in minor units; points_earned: points ' +
          'earned less their reversals; orders: paid, not cancelled orders',
      ),
    period: z
      .enum(TIER_PERIODS)
      .describe(
        'rolling_12_months: the last 12 months; calendar_year: the calendar year in the shop’s ' +
          'zone; lifetime: everything',
      ),
    graceDays: z
      .number()
      .int()
      .min(0)
      .max(365)
      .default(0)
      .describe('after a failed review the tier is kept this many days more before it drops'),
    atRiskDaysBefore: z
      .number()
      .int()
      .min(0)
      .max(365)
      .default(30)
      .describe('tier.at_risk is recorded this many days before the review; 0 = never'),
    tiers: z
      .array(levelSchema)
      .min(1)
      .max(20)
      .describe('lowest first; each entryThreshold above the previous one'),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.tiers.forEach((tier, i) => {
      if (seen.has(tier.id))
        ctx.addIssue({ code: 'custom', path: ['tiers', i, 'id'], message: 'is used twice' });
      seen.add(tier.id);
      const previous = p.tiers[i - 1];
      if (previous && tier.entryThreshold <= previous.entryThreshold) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i, 'entryThreshold'],
          message: `must be above the previous tier's (${previous.entryThreshold})`,
        });
      }
      if (i === 0 && tier.entryThreshold === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', 0, 'entryThreshold'],
          message: 'must be above 0 (a customer without a tier is the base level)',
        });
      }
    });
  })
  .meta({ id: 'TierProgramme' });

export type TierProgramme = z.infer<typeof tierProgrammeSchema>;
export type TierProgrammeInput = z.input<typeof tierProgrammeSchema>;
export type Tier = TierProgramme['tiers'][number];

/** A tier's rank: 1 for the lowest, 0 for no tier, -1 for an id the programme does not have. */
export function rankOf(programme: TierProgramme, tierId: string | null): number {
  if (tierId === null) return 0;
  const index = programme.tiers.findIndex((t) => t.id === tierId);
  return index < 0 ? -1 : index + 1;
}

export function tierById(programme: TierProgramme, tierId: string | null): Tier | null {
  return programme.tiers.find((t) => t.id === tierId) ?? null;
}
