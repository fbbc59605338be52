import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { amountSumSchema, problemSchema } from '../schemas.ts';
import { factRegistry, segmentRuleSchema } from '../../segments/segment-rules.ts';
import { segmentUsage } from '../../segments/segment-usage.ts';
import { toCsv } from '../../shared/to-csv.ts';
import { sendCsv } from '../csv-reply.ts';
import { problems } from '../../shared/errors.ts';
import { countSegments, listSegmentMembers } from '../../segments/evaluate-segment.ts';
import {
  createSegment,
  deleteSegment,
  findSegment,
  findSegmentRules,
  listSegments,
  updateSegment,
} from '../../segments/manage-segments.ts';

const segmentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    builtIn: z.boolean(),
    rules: z.unknown(),
    customers: z.number().int().describe('live count'),
  })
  .meta({ id: 'Segment' });

const usageSchema = z
  .object({
    flows: z.array(z.object({ id: z.string(), name: z.string(), status: z.string() })),
    couponCampaigns: z.array(z.object({ id: z.string(), name: z.string() })),
    popups: z.array(z.object({ id: z.string(), name: z.string(), status: z.string() })),
  })
  .describe('what names the segment: flows (a condition step), coupon campaigns, pop-ups')
  .meta({ id: 'SegmentUsage' });
const segmentBody = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(1000).optional(),
  rules: segmentRuleSchema,
});
const segmentParams = z.object({ segmentId: z.string().min(1).max(100) });

export function segmentRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/segments',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['segments'],
        summary:
          'Built-in segments (VIP, new, one-time, dormant, at risk, champions) and your own, with live counts',
        response: { 200: z.object({ data: z.array(segmentSchema) }) },
      },
    },
    async (request) => ({ data: await listSegments(ctx.db, ctx.clock, shopOf(request)) }),
  );

  r.post(
    '/v1/segments',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['segments'],
        summary: 'Define a segment: rules over customer facts, combined with all/any',
        body: segmentBody,
        response: { 201: segmentSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createSegment(ctx.db, ctx.clock, shopOf(request), request.body)),
  );

  r.get(
    '/v1/segments/facts',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['segments'],
        summary: 'The customer facts a rule can test: type, unit, operators and meaning',
        description:
          'unit: money (minor units of the shop currency), days (whole days ago), count, ' +
          'quintile (RFM 1–5, 0 = no order), probability (0–1); null for lists and booleans.',
        response: {
          200: z.object({
            data: z.array(
              z.object({
                fact: z.string(),
                type: z.enum(['number', 'list', 'boolean']),
                unit: z.enum(['money', 'days', 'count', 'quintile', 'probability']).nullable(),
                description: z.string(),
                operators: z.array(z.string()),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ data: factRegistry() }),
  );

  r.get(
    '/v1/segments/:segmentId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['segments'],
        summary: 'One segment with its live count and what uses it',
        params: segmentParams,
        response: { 200: segmentSchema.extend({ usedBy: usageSchema }) },
      },
    },
    async (request) => {
      const shop = shopOf(request);
      const [segment, usedBy] = await Promise.all([
        findSegment(ctx.db, ctx.clock, shop, request.params.segmentId),
        segmentUsage(ctx.db, shop.id, request.params.segmentId),
      ]);
      return { ...segment, usedBy };
    },
  );

  r.put(
    '/v1/segments/:segmentId',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['segments'],
        summary: 'Change one of your segments; the answer says what uses it (they follow at once)',
        params: segmentParams,
        body: segmentBody,
        response: { 200: segmentSchema.extend({ usedBy: usageSchema }), 409: problemSchema },
      },
    },
    async (request) => {
      const shop = shopOf(request);
      const segment = await updateSegment(
        ctx.db,
        ctx.clock,
        shop,
        request.params.segmentId,
        request.body,
      );
      return { ...segment, usedBy: await segmentUsage(ctx.db, shop.id, segment.id) };
    },
  );

  r.post(
    '/v1/segments/preview',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['segments'],
        summary: 'Count the customers a draft of rules would select, without saving it',
        body: z.object({ rules: segmentRuleSchema }),
        response: { 200: z.object({ customers: z.number().int() }) },
      },
    },
    async (request) => {
      const [customers] = await countSegments(
        ctx.db,
        shopOf(request),
        [request.body.rules],
        ctx.clock.now(),
      );
      return { customers: customers! };
    },
  );

  r.get(
    '/v1/segments/:segmentId/customers',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['segments'],
        summary: "The segment's customers now, highest spend first",
        params: z.object({ segmentId: z.string() }),
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(100),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: {
          200: z.object({
            data: z.array(
              z.object({
                customerId: z.string(),
                email: z.string().nullable(),
                totalSpent: amountSumSchema,
                ordersCount: z.number().int(),
                daysSinceLastOrder: z.number().int().nullable(),
                rfm: z.object({
                  recency: z.number().int(),
                  frequency: z.number().int(),
                  monetary: z.number().int(),
                }),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const shop = shopOf(request);
      const rules = await findSegmentRules(ctx.db, shop, request.params.segmentId);
      return {
        data: await listSegmentMembers(ctx.db, shop, rules, ctx.clock.now(), request.query),
      };
    },
  );

  r.get(
    '/v1/segments/:segmentId/customers.csv',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['segments'],
        summary:
          "The segment's customers as CSV (up to 100,000, highest spend first), for a mailing tool",
        produces: ['text/csv'],
        params: z.object({ segmentId: z.string() }),
      },
    },
    async (request, reply) => {
      const shop = shopOf(request);
      const rules = await findSegmentRules(ctx.db, shop, request.params.segmentId);
      const members = await listSegmentMembers(ctx.db, shop, rules, ctx.clock.now(), {
        limit: 100_000,
        offset: 0,
      });
      const csv = toCsv(
        [
          'customer_id',
          'email',
          'total_spent',
          'orders_count',
          'days_since_last_order',
          'rfm_recency',
          'rfm_frequency',
          'rfm_monetary',
        ],
        members.map((m) => [
          m.customerId,
          m.email,
          m.totalSpent,
          m.ordersCount,
          m.daysSinceLastOrder,
          m.rfm.recency,
          m.rfm.frequency,
          m.rfm.monetary,
        ]),
      );
      return sendCsv(reply, request.params.segmentId, csv);
    },
  );

  r.delete(
    '/v1/segments/:segmentId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['segments'],
        summary: 'Delete one of your segments (built-in ones stay, and so do segments in use)',
        description:
          'A segment a flow, coupon campaign or pop-up uses answers 409 naming them (GET ' +
          '/v1/segments/{id} lists them): change those first.',
        params: z.object({ segmentId: z.string() }),
        response: { 204: z.null(), 409: problemSchema },
      },
    },
    async (request, reply) => {
      const shop = shopOf(request);
      const usedBy = await segmentUsage(ctx.db, shop.id, request.params.segmentId);
      const users = [
        ...usedBy.flows.map((f) => `flow "${f.name}"`),
        ...usedBy.couponCampaigns.map((c) => `coupon campaign "${c.name}"`),
        ...usedBy.popups.map((p) => `pop-up "${p.name}"`),
      ];
      if (users.length > 0) {
        throw problems.conflict(`The segment is used by ${users.join(', ')}: change those first.`);
      }
      await deleteSegment(ctx.db, shop, request.params.segmentId);
      return reply.status(204).send(null);
    },
  );
}
