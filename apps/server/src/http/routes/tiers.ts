import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { actorOf, shopOf } from '../auth.ts';
import { amountSumSchema, problemSchema } from '../schemas.ts';
import {
  benefitsSchema,
  TIER_METRICS,
  TIER_PERIODS,
  tierProgrammeSchema,
} from '../../tiers/tier-schema.ts';
import { getTierProgramme, saveTierProgramme } from '../../tiers/manage-tiers.ts';
import { assignTier } from '../../tiers/assign-tier.ts';
import { listTierEvents } from '../../tiers/list-tier-events.ts';
import { countTierMembers } from '../../tiers/count-tier-members.ts';
import { previewTiers } from '../../tiers/preview-tiers.ts';

const params = z.object({
  customerId: z.string().min(1).max(255).describe("the shop's own customer id"),
});
const localized = z.object({ pl: z.string(), en: z.string() });

/** A customer's tier and progress, as the customer API shows it. */
export const tierStandingSchema = z
  .object({
    current: z
      .object({
        id: z.string(),
        name: localized,
        rank: z.number().int().describe('1 for the lowest tier'),
        benefits: benefitsSchema,
        manual: z.boolean().describe('assigned by hand; overrides the computed tier'),
        manualUntil: z
          .string()
          .nullable()
          .describe('when a manual tier ends; null = until removed'),
        reachedAt: z.string().nullable().describe('when the computed tier was reached'),
        reviewAt: z
          .string()
          .nullable()
          .describe('when the computed tier is reviewed; it cannot drop before'),
        graceUntil: z
          .string()
          .nullable()
          .describe('set after a failed review: the tier drops then unless kept'),
      })
      .nullable()
      .describe('null until the customer reaches the first tier'),
    metric: z.enum(TIER_METRICS),
    period: z.enum(TIER_PERIODS),
    value: amountSumSchema.describe('the metric over the current period (minor units for spend)'),
    next: z
      .object({
        id: z.string(),
        name: localized,
        rank: z.number().int(),
        threshold: amountSumSchema.describe("the next tier's entry threshold"),
        needed: z
          .number()
          .int()
          .describe('still needed to reach it: minor units, points or orders'),
        progress: z.number().min(0).max(1).describe('value / threshold, 4 decimals'),
      })
      .nullable()
      .describe('null at the top tier'),
    retain: z
      .object({
        threshold: amountSumSchema,
        value: amountSumSchema.describe('the metric over the window the review judges'),
        needed: amountSumSchema.describe('still needed by the review to keep the tier'),
        atRisk: z.boolean().describe('below the retain threshold, in the warning window or grace'),
      })
      .nullable()
      .describe('null without a computed tier, or while a manual tier applies'),
  })
  .nullable()
  .describe('null when the shop has no tier programme')
  .meta({ id: 'CustomerTier' });

const programmeView = z
  .record(z.string(), z.unknown())
  .describe(
    '{metric, period, graceDays, atRiskDaysBefore, tiers (with rank), updatedAt, updatedBy}',
  );

const tierMembersSchema = z
  .object({
    customers: z.number().int().describe("the shop's customers"),
    withoutTier: z.number().int().describe('customers who hold no tier'),
    tiers: z.array(
      z.object({
        id: z.string(),
        name: localized,
        rank: z.number().int(),
        members: z.number().int().describe('customers who hold the tier now (by hand or computed)'),
        manual: z.number().int().describe('of them, those who hold it by hand'),
      }),
    ),
  })
  .meta({ id: 'TierMembers' });

const countPair = z.object({
  now: z.number().int().describe('customers who hold it now'),
  after: z.number().int().describe('customers who would hold it under the proposed programme'),
});

const tierPreviewSchema = z
  .object({
    metric: z.enum(TIER_METRICS),
    period: z.enum(TIER_PERIODS),
    since: z.string().describe('where the measured window starts (the period as of now)'),
    customers: z.number().int().describe("the shop's customers"),
    movingUp: z
      .number()
      .int()
      .describe('customers whose metric meets the entry threshold of a higher tier than they hold'),
    movingDown: z
      .number()
      .int()
      .describe(
        "customers below their tier's retain threshold: a review today would move them down",
      ),
    manual: z.number().int().describe('customers with a manual tier, which no threshold moves'),
    withoutTier: countPair,
    tiers: z.array(countPair.extend({ id: z.string(), rank: z.number().int() })),
  })
  .meta({ id: 'TierPreview' });

const tierEventSchema = z
  .object({
    id: z.string(),
    type: z.enum(['tier.upgraded', 'tier.downgraded', 'tier.at_risk']),
    customerId: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    reason: z
      .string()
      .describe(
        'qualified, review, grace_ended, manual, manual_ended, below_retain, grace_started',
      ),
    note: z.string().nullable().describe('the reason given for a manual assignment'),
    metricValue: amountSumSchema.nullable(),
    actor: z.string().nullable(),
    occurredAt: z.string(),
  })
  .meta({ id: 'TierEvent' });

const eventPage = z.object({ data: z.array(tierEventSchema), nextAfter: z.string().nullable() });
const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.string().max(100).optional().describe('the last event id of the previous page'),
});

const standingSchema = z.object({
  customerId: z.string(),
  tier: z.object({ id: z.string(), name: localized, rank: z.number().int() }).nullable(),
  computedTierId: z.string().nullable(),
  manual: z
    .object({
      tierId: z.string(),
      until: z.string().nullable(),
      reason: z.string(),
      actor: z.string(),
      assignedAt: z.string(),
    })
    .nullable(),
  events: z.array(
    z.object({
      type: z.string(),
      from: z.string().nullable(),
      to: z.string().nullable(),
      reason: z.string(),
    }),
  ),
});

export function tierRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/tiers',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['tiers'],
        summary: 'The VIP tier programme; 404 until one is saved',
        response: { 200: programmeView, 404: problemSchema },
      },
    },
    async (request) => getTierProgramme(ctx.db, shopOf(request)),
  );

  r.put(
    '/v1/tiers',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['tiers'],
        summary:
          'Save the tier programme: metric, period, grace, at-risk warning, tiers lowest first',
        body: tierProgrammeSchema,
        response: { 200: programmeView },
      },
    },
    async (request) =>
      saveTierProgramme(ctx.db, ctx.clock, shopOf(request), request.body, actorOf(request)),
  );

  r.get(
    '/v1/tiers/members',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['tiers'],
        summary: 'How many customers hold each tier now, and how many hold none',
        response: { 200: tierMembersSchema },
      },
    },
    async (request) => countTierMembers(ctx.db, ctx.clock, shopOf(request)),
  );

  r.post(
    '/v1/tiers/preview',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['tiers'],
        summary:
          'What a proposed tier programme would do before it is saved: customers per tier, ' +
          'how many move up and down; changes nothing',
        description:
          "The body is PUT /v1/tiers's. Each customer's metric over the proposed period, as of " +
          'now, is set against the proposed thresholds: up when it meets the entry threshold of ' +
          'a tier above the computed tier held (they move at their next qualifying event), down ' +
          "when it is below the held tier's retain threshold (they would drop at a review held " +
          'today, to the highest lower tier whose retain threshold is met). Manual tiers stay. ' +
          'Tiers are matched by id.',
        body: tierProgrammeSchema,
        response: { 200: tierPreviewSchema },
      },
    },
    async (request) => previewTiers(ctx.db, ctx.clock, shopOf(request), request.body),
  );

  r.get(
    '/v1/tier-events',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['tiers'],
        summary: "The shop's tier events in order (tier.upgraded, tier.downgraded, tier.at_risk)",
        querystring: pageQuery,
        response: { 200: eventPage },
      },
    },
    async (request) => listTierEvents(ctx.db, shopOf(request), request.query),
  );

  r.get(
    '/v1/customers/:customerId/tier-history',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['tiers'],
        summary: "The customer's tier events, oldest first",
        params,
        querystring: pageQuery,
        response: { 200: eventPage },
      },
    },
    async (request) =>
      listTierEvents(ctx.db, shopOf(request), {
        ...request.query,
        customerId: request.params.customerId,
      }),
  );

  r.post(
    '/v1/customers/:customerId/tier',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['tiers'],
        summary:
          'Assign a tier by hand, until a date or until removed; overrides the computed tier',
        params,
        body: z.object({
          tierId: z.string().min(1).max(40),
          until: z.iso
            .datetime({ offset: true })
            .nullish()
            .describe('when the manual tier ends; absent = until removed'),
          reason: z.string().trim().min(1).max(500),
        }),
        response: { 201: standingSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await assignTier(ctx.db, ctx.clock, shopOf(request), {
          customerId: request.params.customerId,
          tierId: request.body.tierId,
          until: request.body.until ?? null,
          reason: request.body.reason,
          actor: actorOf(request),
        }),
      ),
  );

  r.delete(
    '/v1/customers/:customerId/tier',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['tiers'],
        summary: 'End a manual tier now: the computed tier applies again',
        params,
        querystring: z.object({ reason: z.string().trim().min(1).max(500).default('removed') }),
        response: { 200: standingSchema },
      },
    },
    async (request) =>
      assignTier(ctx.db, ctx.clock, shopOf(request), {
        customerId: request.params.customerId,
        tierId: null,
        until: null,
        reason: request.query.reason,
        actor: actorOf(request),
      }),
  );
}
