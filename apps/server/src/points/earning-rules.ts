import { z } from 'zod';
import { currencyExponent } from '../shared/money.ts';
import type { LocalizedText } from '../db/schema.ts';

/**
 * The registry of earning rules. A rule is stored as `{code, args}`; its entry here validates
 * the args (the same schema documents the rule in /v1/programme/rule-kinds and drives the
 * dashboard form) and computes the base points for a fact. Caps, campaigns and tier
 * multipliers are applied on top by evaluate-rules.ts, the same way for every rule.
 */

export interface OrderLineFact {
  productId: string | null;
  categoryIds: string[];
  quantity: number;
  unitPrice: number;
}

export interface OrderFact {
  kind: 'order';
  orderId: string;
  currency: string;
  total: number;
  subtotal: number | null;
  shipping: number | null;
  tax: number | null;
  lines: OrderLineFact[];
  isFirstOrder: boolean;
}

export interface ActivityFact {
  kind: 'activity';
  activityId: string;
  /** The sender's event id, when it gave one: the same event sent twice is one activity. */
  externalId: string | null;
  type: string;
  data: Record<string, unknown>;
}

export interface SignupFact {
  kind: 'signup';
}

export interface DayFact {
  kind: 'day';
  /** Today in the shop's time zone. */
  monthDay: string;
  isBirthday: boolean;
  isNameDay: boolean;
}

export type Fact = OrderFact | ActivityFact | SignupFact | DayFact;

interface RuleKind<A extends z.ZodType> {
  title: LocalizedText;
  args: A;
  /** The base points this fact earns under these args (0 = the rule does not apply). */
  points(args: z.infer<A>, fact: Fact): number;
  /**
   * The part of the idempotency key that makes "once" true for this rule: once per order,
   * once per customer, once a year, once per network…
   */
  once(args: z.infer<A>, fact: Fact, year: number): string;
}

function defineRule<A extends z.ZodType>(kind: RuleKind<A>): RuleKind<A> {
  return kind;
}

const points = z.number().int().min(1).max(1_000_000);
const multiplier = z.number().positive().max(100);

const spendArgs = z.object({
  pointsPerUnit: z
    .number()
    .positive()
    .max(10_000)
    .describe('points per 1 unit of the currency (1 zł), on the order after discounts'),
  rounding: z.enum(['floor', 'round', 'ceil']).default('floor'),
  minOrder: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe('minimum order value in minor units (after discounts, without shipping and tax)'),
  productMultipliers: z
    .array(z.object({ productId: z.string().min(1), multiplier }))
    .max(500)
    .default([]),
  categoryMultipliers: z
    .array(z.object({ categoryId: z.string().min(1), multiplier }))
    .max(500)
    .default([]),
});

/** The order value that earns points: after discounts, without shipping and tax. */
export function earningBase(order: OrderFact): number {
  if (order.subtotal !== null) return Math.max(0, order.subtotal);
  return Math.max(0, order.total - (order.shipping ?? 0) - (order.tax ?? 0));
}

function spendPoints(args: z.infer<typeof spendArgs>, order: OrderFact): number {
  const base = earningBase(order);
  if (base <= 0 || base < args.minOrder) return 0;
  const unit = 10 ** currencyExponent(order.currency);
  const linesTotal = order.lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0);
  let weighted = base;
  if (
    linesTotal > 0 &&
    (args.productMultipliers.length > 0 || args.categoryMultipliers.length > 0)
  ) {
    // Lines are priced before the order's discounts: each line's share of the base keeps its
    // proportion, and gets the highest multiplier that matches it.
    weighted = 0;
    for (const line of order.lines) {
      const share = (line.unitPrice * line.quantity * base) / linesTotal;
      const m = Math.max(
        1,
        ...args.productMultipliers
          .filter((p) => p.productId === line.productId)
          .map((p) => p.multiplier),
        ...args.categoryMultipliers
          .filter((c) => line.categoryIds.includes(c.categoryId))
          .map((c) => c.multiplier),
      );
      weighted += share * m;
    }
  }
  const raw = (weighted / unit) * args.pointsPerUnit;
  // A tiny epsilon keeps 19.99 * 100 from flooring to 1998.
  const fixed = Math.round(raw * 1e6) / 1e6;
  return Math[args.rounding](fixed);
}

const fixedPoints = z.object({ points });

const condition = z.object({
  path: z.string().min(1).max(200).describe('a dotted path into data.properties, e.g. "score"'),
  op: z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'exists']),
  value: z.unknown().optional(),
});
export type PayloadCondition = z.infer<typeof condition>;

export const ACTIVITY_TYPES = {
  review: 'review.created',
  newsletter: 'newsletter.subscribed',
  social: 'social.followed',
} as const;

export const ruleKinds = {
  spend: defineRule({
    title: { pl: 'Punkty za zakupy', en: 'Points for spend' },
    args: spendArgs,
    points: (args, fact) => (fact.kind === 'order' ? spendPoints(args, fact) : 0),
    once: (_args, fact) => (fact.kind === 'order' ? `order:${fact.orderId}` : ''),
  }),
  first_order: defineRule({
    title: { pl: 'Premia za pierwsze zamówienie', en: 'First order bonus' },
    args: fixedPoints,
    points: (args, fact) => (fact.kind === 'order' && fact.isFirstOrder ? args.points : 0),
    once: () => 'once',
  }),
  signup: defineRule({
    title: { pl: 'Punkty za rejestrację', en: 'Points for signing up' },
    args: fixedPoints,
    points: (args, fact) => (fact.kind === 'signup' ? args.points : 0),
    once: () => 'once',
  }),
  birthday: defineRule({
    title: { pl: 'Prezent urodzinowy', en: 'Birthday gift' },
    args: fixedPoints,
    points: (args, fact) => (fact.kind === 'day' && fact.isBirthday ? args.points : 0),
    once: (_args, _fact, year) => `year:${year}`,
  }),
  name_day: defineRule({
    title: { pl: 'Prezent na imieniny', en: 'Name day gift' },
    args: fixedPoints,
    points: (args, fact) => (fact.kind === 'day' && fact.isNameDay ? args.points : 0),
    once: (_args, _fact, year) => `year:${year}`,
  }),
  review: defineRule({
    title: { pl: 'Punkty za opinię', en: 'Points for a review' },
    args: z.object({
      points,
      withPhotoPoints: points.optional().describe('instead of points, when the review has a photo'),
    }),
    points: (args, fact) =>
      fact.kind === 'activity' && fact.type === ACTIVITY_TYPES.review
        ? fact.data.photo === true && args.withPhotoPoints
          ? args.withPhotoPoints
          : args.points
        : 0,
    // Once per review, however often it is reported (sender event ids may differ).
    once: (_args, fact) =>
      fact.kind === 'activity' ? `review:${String(fact.data.reviewId ?? fact.activityId)}` : '',
  }),
  newsletter_signup: defineRule({
    title: { pl: 'Punkty za zapis do newslettera', en: 'Points for newsletter signup' },
    args: fixedPoints,
    points: (args, fact) =>
      fact.kind === 'activity' && fact.type === ACTIVITY_TYPES.newsletter ? args.points : 0,
    once: () => 'once',
  }),
  social_follow: defineRule({
    title: { pl: 'Punkty za obserwowanie', en: 'Points for a social follow' },
    args: z.object({
      points,
      networks: z
        .array(z.string().trim().toLowerCase().min(1).max(40))
        .max(20)
        .optional()
        .describe('only these networks'),
    }),
    points: (args, fact) => {
      if (fact.kind !== 'activity' || fact.type !== ACTIVITY_TYPES.social) return 0;
      const network = socialNetwork(fact);
      if (!network) return 0;
      return !args.networks || args.networks.includes(network) ? args.points : 0;
    },
    // Claimed once per network, however often the follow is reported.
    once: (_args, fact) => `network:${fact.kind === 'activity' ? socialNetwork(fact) : ''}`,
  }),
  custom: defineRule({
    title: { pl: 'Własne zdarzenie', en: 'Custom event' },
    args: z.object({
      event: z
        .string()
        .regex(/^[a-z0-9_.-]{1,60}$/)
        .describe('the name sent as data.event of a "custom" event, e.g. quiz_completed'),
      points,
      conditions: z.array(condition).max(20).default([]),
      oncePerCustomer: z.boolean().default(false),
    }),
    points: (args, fact) =>
      fact.kind === 'activity' &&
      fact.type === `custom.${args.event}` &&
      args.conditions.every((c) => conditionHolds(c, fact.data))
        ? args.points
        : 0,
    once: (args, fact) =>
      args.oncePerCustomer
        ? 'once'
        : fact.kind === 'activity'
          ? `event:${fact.externalId ?? fact.activityId}`
          : '',
  }),
} as const;

export type RuleCode = keyof typeof ruleKinds;
export const RULE_CODES = Object.keys(ruleKinds) as [RuleCode, ...RuleCode[]];

function socialNetwork(fact: ActivityFact): string | null {
  const network = fact.data.network;
  return typeof network === 'string' && network.trim() ? network.trim().toLowerCase() : null;
}

export function conditionHolds(c: PayloadCondition, data: Record<string, unknown>): boolean {
  let value: unknown = data;
  for (const key of c.path.split('.')) {
    value =
      value !== null && typeof value === 'object'
        ? (value as Record<string, unknown>)[key]
        : undefined;
  }
  switch (c.op) {
    case 'exists':
      return value !== undefined && value !== null;
    case 'eq':
      return value === c.value;
    case 'neq':
      return value !== c.value;
    case 'in':
      return Array.isArray(c.value) && c.value.includes(value);
    default: {
      if (typeof value !== 'number' || typeof c.value !== 'number') return false;
      if (c.op === 'gt') return value > c.value;
      if (c.op === 'gte') return value >= c.value;
      if (c.op === 'lt') return value < c.value;
      return value <= c.value;
    }
  }
}
