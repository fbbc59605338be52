import { z } from 'zod';
import { RULE_CODES, ruleKinds, type RuleCode } from './earning-rules.ts';

/**
 * A loyalty programme version: earning rules as `{id, code, args}` values checked against the
 * rule registry, time-boxed campaign multipliers, and the settings that govern the ledger.
 */

const capSchema = z.object({
  points: z.number().int().min(1).optional().describe('at most this many points'),
  times: z.number().int().min(1).optional().describe('at most this many awards'),
  period: z.enum(['day', 'week', 'month', 'year', 'lifetime']),
});
export type Cap = z.infer<typeof capSchema>;

const ruleSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9_-]{1,40}$/, 'lower-case letters, digits, _ and -, at most 40')
      .describe('stable across versions: caps and reports follow it'),
    code: z.enum(RULE_CODES),
    args: z.record(z.string(), z.unknown()).default({}),
    cap: capSchema.optional(),
    active: z.boolean().default(true),
  })
  .superRefine((rule, ctx) => {
    const parsed = ruleKinds[rule.code].args.safeParse(rule.args);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: 'custom', path: ['args', ...issue.path], message: issue.message });
      }
    }
  })
  .transform((rule) => ({
    ...rule,
    args: ruleKinds[rule.code].args.parse(rule.args) as Record<string, unknown>,
  }));

export type Rule = z.infer<typeof ruleSchema>;

const campaignSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_-]{1,40}$/),
    name: z.string().min(1).max(200),
    multiplier: z.number().min(1).max(10).describe('2 = double points'),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    ruleIds: z.array(z.string()).optional().describe('only these rules; all when absent'),
  })
  .refine((c) => Date.parse(c.startsAt) < Date.parse(c.endsAt), {
    path: ['endsAt'],
    message: 'must be after startsAt',
  });
export type Campaign = z.infer<typeof campaignSchema>;

export const settingsSchema = z.object({
  expiryMonths: z
    .number()
    .int()
    .min(1)
    .max(120)
    .nullable()
    .default(12)
    .describe('each lot expires this many months after it became available; null = never'),
  refundShortfall: z
    .enum(['negative', 'absorb'])
    .default('negative')
    .describe('when refunded points were already spent: owe them (negative balance) or absorb'),
  pointValue: z
    .number()
    .min(0)
    .max(100_000)
    .default(5)
    .describe('value of one point in minor units of the shop currency, for liability reports'),
  returnPointsOnExpiredRewardCoupon: z.boolean().default(true),
  holdoutPercent: z
    .number()
    .min(0)
    .max(50)
    .default(0)
    .describe(
      'a share of customers (by a hash of their id) kept out of the programme, to measure its lift',
    ),
});
export type Settings = z.infer<typeof settingsSchema>;

export const programmeSchema = z
  .object({
    rules: z.array(ruleSchema).max(100),
    campaigns: z.array(campaignSchema).max(50).default([]),
    settings: settingsSchema.default(settingsSchema.parse({})),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.rules.forEach((rule, i) => {
      if (seen.has(rule.id))
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: 'is used twice' });
      seen.add(rule.id);
    });
    p.campaigns.forEach((c, i) => {
      for (const id of c.ruleIds ?? []) {
        if (!seen.has(id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['campaigns', i, 'ruleIds'],
            message: `no rule "${id}"`,
          });
        }
      }
    });
  });
export type Programme = z.infer<typeof programmeSchema>;
export type ProgrammeInput = z.input<typeof programmeSchema>;

/** API.md: a new shop earns 1 point per 1 currency unit of the order after discounts. */
export function defaultProgramme(): Programme {
  return programmeSchema.parse({
    rules: [{ id: 'spend', code: 'spend', args: { pointsPerUnit: 1 } }],
  });
}

export function rulesOf(programme: Programme, code: RuleCode): Rule[] {
  return programme.rules.filter((r) => r.active && r.code === code);
}
