import { z } from 'zod';
import { amountSchema } from '../shared/bounds.ts';
import { segmentRuleSchema } from '../segments/segment-rules.ts';

/**
 * A flow: what starts it, the steps a customer walks through, what makes them leave early, and
 * whether they may enter again. Steps run in order; a condition or a split may jump forward
 * (never back, so a run always ends).
 */

const stepId = z.string().regex(/^[a-z0-9_-]{1,40}$/, 'lower-case letters, digits, _ or -');
const jump = z.union([z.literal('exit'), stepId]);

export const triggerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('order.paid'),
    /** 1 = the customer's first paid order, 2 = the second…; absent = every order. */
    nth: z.int().min(1).max(100).optional(),
  }),
  z.object({ type: z.literal('customer.created') }),
  z.object({ type: z.literal('order.fulfilled') }),
  z.object({ type: z.literal('order.refunded') }),
  z.object({ type: z.literal('birthday') }),
  z.object({ type: z.literal('name_day') }),
  z.object({ type: z.literal('points.expiring'), days: z.int().min(1).max(365) }),
  /** Lifetime points earned reach this many (once per customer and milestone). */
  z.object({ type: z.literal('points.milestone'), points: z.int().min(1) }),
  z.object({ type: z.literal('customer.dormant'), days: z.int().min(1).max(3650) }),
  z.object({ type: z.literal('tier.changed'), direction: z.enum(['up', 'down']).optional() }),
  z.object({ type: z.literal('tier.at_risk') }),
  z.object({ type: z.literal('referral.qualified') }),
  z.object({
    type: z.literal('survey.answered'),
    category: z.enum(['promoter', 'passive', 'detractor']).optional(),
  }),
  /** Any event sent as `custom` (or another activity type) through /v1/events. */
  z.object({ type: z.literal('activity'), activityType: z.string().min(1).max(60) }),
]);
export type FlowTrigger = z.infer<typeof triggerSchema>;

const duration = z
  .object({
    days: z.int().min(0).max(3650).optional(),
    hours: z.int().min(0).max(10_000).optional(),
    minutes: z.int().min(0).max(100_000).optional(),
  })
  .strict();

const grant = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('points'), points: z.int().min(1).max(1_000_000) }),
  z.object({
    kind: z.literal('coupon'),
    discount: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('fixed'), amount: amountSchema.min(1) }),
      z.object({
        kind: z.literal('percentage'),
        percent: z.number().gt(0).max(100),
        cap: amountSchema.min(1).nullable().optional(),
      }),
      z.object({ kind: z.literal('free_shipping') }),
    ]),
    minBasket: amountSchema.nullable().optional(),
    validDays: z.int().min(1).max(365),
  }),
  z.object({ kind: z.literal('reward'), rewardId: z.string().min(1) }),
]);
export type FlowGrant = z.infer<typeof grant>;

export const CHANNELS = ['email', 'sms', 'push'] as const;

export const stepSchema = z.discriminatedUnion('type', [
  z.object({
    id: stepId,
    type: z.literal('wait'),
    duration: duration.optional(),
    /** Then until this time of day in the shop's zone ("10:00"). */
    untilTime: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
      .optional(),
  }),
  z.object({
    id: stepId,
    type: z.literal('condition'),
    /** Customer facts, as segments write them. */
    rule: segmentRuleSchema.optional(),
    segmentId: z.string().optional(),
    /** The customer has no open complaint or return: no refund and no detractor answer. */
    noComplaint: z.boolean().optional(),
    else: jump,
  }),
  z.object({
    id: stepId,
    type: z.literal('send'),
    channel: z.enum(CHANNELS),
    template: z.string().min(1).max(80),
    /** What consent it needs. Flows send no transactional messages: those answer an order. */
    purpose: z.enum(['marketing', 'loyalty', 'feedback']),
    /** Use the grant of an earlier step (a coupon) in the message. */
    withGrantOf: stepId.optional(),
  }),
  z.object({ id: stepId, type: z.literal('grant'), grant }),
  z.object({
    id: stepId,
    type: z.literal('split'),
    variants: z
      .array(
        z.object({
          key: z.string().regex(/^[a-z0-9_-]{1,20}$/),
          weight: z.int().min(1),
          goto: jump.optional(),
        }),
      )
      .min(1)
      .max(10),
    /** A share that receives nothing from here on, to measure the flow against. */
    holdoutWeight: z.int().min(0).default(0),
  }),
  z.object({ id: stepId, type: z.literal('webhook'), endpointId: z.string().min(1) }),
  z.object({ id: stepId, type: z.literal('task'), title: z.string().min(1).max(200) }),
]);
export type FlowStep = z.infer<typeof stepSchema>;

export const exitSchema = z.discriminatedUnion('type', [
  /** Leave once the customer places another paid order (the welcome series' exit). */
  z.object({ type: z.literal('order.paid') }),
  z.object({ type: z.literal('order.refunded') }),
  z.object({ type: z.literal('survey.answered') }),
]);

export const flowDefinitionSchema = z
  .object({
    trigger: triggerSchema,
    steps: z.array(stepSchema).min(1).max(50),
    exitOn: z.array(exitSchema).max(5).default([]),
    reentry: z
      .discriminatedUnion('mode', [
        z.object({ mode: z.literal('never') }),
        z.object({ mode: z.literal('always') }),
        z.object({ mode: z.literal('after_days'), days: z.int().min(1).max(3650) }),
      ])
      .default({ mode: 'always' }),
  })
  .superRefine((flow, ctx) => {
    const index = new Map<string, number>();
    flow.steps.forEach((step, i) => {
      if (index.has(step.id))
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'id'],
          message: 'step ids must be unique',
        });
      index.set(step.id, i);
    });
    const checkJump = (target: string | undefined, from: number, path: (string | number)[]) => {
      if (target === undefined || target === 'exit') return;
      const to = index.get(target);
      if (to === undefined) ctx.addIssue({ code: 'custom', path, message: `no step "${target}"` });
      else if (to <= from)
        ctx.addIssue({ code: 'custom', path, message: 'a jump must go to a later step' });
    };
    flow.steps.forEach((step, i) => {
      if (step.type === 'condition') checkJump(step.else, i, ['steps', i, 'else']);
      if (step.type === 'split')
        step.variants.forEach((v, j) => checkJump(v.goto, i, ['steps', i, 'variants', j, 'goto']));
      if (step.type === 'send' && step.withGrantOf !== undefined) {
        const g = index.get(step.withGrantOf);
        if (g === undefined || g >= i || flow.steps[g]!.type !== 'grant')
          ctx.addIssue({
            code: 'custom',
            path: ['steps', i, 'withGrantOf'],
            message: 'must name an earlier grant step',
          });
      }
      if (step.type === 'wait' && !step.duration && !step.untilTime)
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i],
          message: 'a wait needs a duration or untilTime',
        });
    });
  });
export type FlowDefinition = z.infer<typeof flowDefinitionSchema>;

/** Every event type some flow may start on or exit on. */
export function eventTypesOf(flow: FlowDefinition): string[] {
  return [flow.trigger.type, ...flow.exitOn.map((e) => e.type)];
}
