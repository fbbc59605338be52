import { z } from 'zod';
import { groupDepth, limitNesting } from '../shared/nesting.ts';

/**
 * The facts a segment rule can test, each with its type. The registry documents the facts,
 * validates rules, and draws the dashboard's rule builder (GET /v1/segments/facts). A number's
 * `unit` says how to show and type it: money in minor units, whole days ago, a count, an RFM
 * quintile (1–5, 0 for no order), a probability 0–1.
 */
export const CUSTOMER_FACTS = {
  total_spent: {
    type: 'number',
    unit: 'money',
    description: 'paid, not cancelled orders less refunds, in minor units',
  },
  orders_count: { type: 'number', unit: 'count', description: 'paid, not cancelled orders' },
  average_order_value: {
    type: 'number',
    unit: 'money',
    description: 'total_spent / orders_count, in minor units',
  },
  days_since_last_order: {
    type: 'number',
    unit: 'days',
    description: 'whole days since the last order (none: no match)',
  },
  days_since_first_order: {
    type: 'number',
    unit: 'days',
    description: 'whole days since the first order (none: no match)',
  },
  rfm_recency: {
    type: 'number',
    unit: 'quintile',
    description: 'recency quintile among buyers, 5 = most recent (0: never bought)',
  },
  rfm_frequency: {
    type: 'number',
    unit: 'quintile',
    description: 'order-count quintile among buyers, 5 = most orders',
  },
  rfm_monetary: {
    type: 'number',
    unit: 'quintile',
    description: 'spend quintile among buyers, 5 = highest spend',
  },
  probability_alive: {
    type: 'number',
    unit: 'probability',
    description: 'P(alive) under the CLV model, 0 to 1 (no model or no order: no match)',
  },
  predicted_clv: {
    type: 'number',
    unit: 'money',
    description: 'predicted value over the next 52 weeks, in minor units (no model: no match)',
  },
  tags: { type: 'list', description: "the customer's tags" },
  categories_bought: { type: 'list', description: 'category ids of products in their orders' },
  accepts_email_marketing: { type: 'boolean', description: 'consented to e-mail marketing' },
  accepts_sms_marketing: { type: 'boolean', description: 'consented to SMS marketing' },
} as const;

export type CustomerFact = keyof typeof CUSTOMER_FACTS;
const FACT_NAMES = Object.keys(CUSTOMER_FACTS) as [CustomerFact, ...CustomerFact[]];

export const OPERATORS = {
  number: ['gt', 'gte', 'lt', 'lte', 'eq', 'neq', 'between'],
  list: ['contains', 'not_contains'],
  boolean: ['is'],
} as const;

export type Condition = { fact: CustomerFact; op: string; value: unknown };
export type SegmentRule = { all: SegmentRule[] } | { any: SegmentRule[] } | Condition;

const condition = z
  .object({
    fact: z.enum(FACT_NAMES),
    op: z.enum([
      'gt',
      'gte',
      'lt',
      'lte',
      'eq',
      'neq',
      'between',
      'contains',
      'not_contains',
      'is',
    ]),
    value: z.union([
      z.number(),
      z.string().min(1).max(200),
      z.boolean(),
      z.tuple([z.number(), z.number()]),
    ]),
  })
  .superRefine((c, ctx) => {
    const type = CUSTOMER_FACTS[c.fact].type;
    if (!(OPERATORS[type] as readonly string[]).includes(c.op)) {
      ctx.addIssue({
        code: 'custom',
        path: ['op'],
        message: `${c.fact} takes ${OPERATORS[type].join(', ')}`,
      });
      return;
    }
    const ok =
      type === 'boolean'
        ? typeof c.value === 'boolean'
        : type === 'list'
          ? typeof c.value === 'string'
          : c.op === 'between'
            ? Array.isArray(c.value) && c.value[0] <= c.value[1]
            : typeof c.value === 'number';
    if (!ok) {
      const expected =
        type === 'boolean'
          ? 'true or false'
          : type === 'list'
            ? 'a text'
            : c.op === 'between'
              ? '[low, high]'
              : 'a number';
      ctx.addIssue({ code: 'custom', path: ['value'], message: `must be ${expected}` });
    }
  });

// A named component: without an id, the recursion is emitted as a $ref to a definition (schema0)
// that never reaches the OpenAPI document.
const ruleTree: z.ZodType<SegmentRule> = z
  .lazy(() =>
    z.union([
      z.object({ all: z.array(ruleTree).min(1).max(50) }).strict(),
      z.object({ any: z.array(ruleTree).min(1).max(50) }).strict(),
      condition,
    ]),
  )
  .meta({ id: 'SegmentRule' }) as z.ZodType<SegmentRule>;

/**
 * A rule: a condition, or all/any groups of rules. Its depth is checked before the schema
 * recurses into it, so a hostile body of 10,000 levels gets a 400, not a stack overflow.
 */
export const segmentRuleSchema = limitNesting(ruleTree, groupDepth);

/** The registry as the API publishes it: each fact with its type, unit and operators. */
export function factRegistry() {
  return (
    Object.entries(CUSTOMER_FACTS) as [CustomerFact, (typeof CUSTOMER_FACTS)[CustomerFact]][]
  ).map(([fact, def]) => ({
    fact,
    type: def.type,
    unit: 'unit' in def ? def.unit : null,
    description: def.description,
    operators: [...OPERATORS[def.type]],
  }));
}
