import { ruleKinds, type Fact, type RuleCode } from './earning-rules.ts';
import type { Campaign, Programme, Rule } from './programme.ts';
import { localParts, periodStart } from '../shared/zoned-time.ts';
import { inHoldout } from './holdout.ts';

/** No single award above this: absurd rule args must not overflow the ledger or lose an order. */
export const MAX_POINTS = 1_000_000_000_000;

/** A decision to credit points, before anything is written. */
export interface EarnIntent {
  ruleId: string;
  ruleCode: RuleCode;
  programmeVersion: number;
  points: number;
  /** Derived from the cause: the same fact under the same rule can never post twice. */
  key: string;
  multiplier: number;
}

/** What a customer already earned from capped rules: (rule id, points, when). */
export interface EarnedByRule {
  ruleId: string;
  points: number;
  at: Date;
}

export interface EarnContext {
  programme: Programme;
  version: number;
  timezone: string;
  customerId: string;
  at: Date;
  /** Tiers plug in here (a VIP earns ×1.5); 1 until the customer has a tier. */
  tierMultiplier: number;
  /** Earlier awards of this customer under capped rules; intents decided here are added. */
  history: EarnedByRule[];
}

/**
 * Pure: the points each active rule gives for a fact, after campaign and tier multipliers and
 * each rule's cap per customer per period.
 */
export function pointsForFact(ctx: EarnContext, fact: Fact): EarnIntent[] {
  // The holdout group is kept out of the programme, so that its lift can be measured.
  if (inHoldout(ctx.customerId, ctx.programme.settings.holdoutPercent)) return [];
  const intents: EarnIntent[] = [];
  const year = localParts(ctx.at, ctx.timezone).year;
  for (const rule of ctx.programme.rules) {
    if (!rule.active) continue;
    const kind = ruleKinds[rule.code];
    const args = rule.args as never;
    const base = kind.points(args, fact);
    if (base <= 0) continue;
    const multiplier =
      campaignMultiplier(ctx.programme.campaigns, rule, ctx.at) *
      (rule.code === 'spend' ? ctx.tierMultiplier : 1);
    const capped = applyCap(rule, Math.min(MAX_POINTS, Math.floor(base * multiplier)), ctx);
    if (capped <= 0) continue;
    ctx.history.push({ ruleId: rule.id, points: capped, at: ctx.at });
    intents.push({
      ruleId: rule.id,
      ruleCode: rule.code,
      programmeVersion: ctx.version,
      points: capped,
      key: `earn:${rule.id}:${ctx.customerId}:${kind.once(args, fact, year)}`,
      multiplier,
    });
  }
  return intents;
}

/** The highest multiplier of the campaigns running at `at` that cover the rule. */
export function campaignMultiplier(campaigns: Campaign[], rule: Rule, at: Date): number {
  let best = 1;
  for (const c of campaigns) {
    if (Date.parse(c.startsAt) > at.getTime() || Date.parse(c.endsAt) <= at.getTime()) continue;
    if (c.ruleIds && !c.ruleIds.includes(rule.id)) continue;
    best = Math.max(best, c.multiplier);
  }
  return best;
}

function applyCap(rule: Rule, points: number, ctx: EarnContext): number {
  if (!rule.cap) return points;
  const since = periodStart(ctx.at, rule.cap.period, ctx.timezone).getTime();
  const earlier = ctx.history.filter((h) => h.ruleId === rule.id && h.at.getTime() >= since);
  if (rule.cap.times !== undefined && earlier.length >= rule.cap.times) return 0;
  if (rule.cap.points === undefined) return points;
  const used = earlier.reduce((s, h) => s + h.points, 0);
  return Math.max(0, Math.min(points, rule.cap.points - used));
}
