import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { problemSchema } from '../schemas.ts';
import { flowDefinitionSchema } from '../../automations/flow-definition.ts';
import {
  createFlow,
  enableReadyFlow,
  getFlow,
  listFlows,
  updateFlow,
} from '../../automations/manage-flows.ts';
import { READY_FLOWS } from '../../automations/ready-flows.ts';
import { flowResults } from '../../automations/flow-results.ts';

const flowSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    readyKey: z.string().nullable(),
    status: z.enum(['active', 'paused', 'archived']),
    version: z.number().int(),
    definition: z.unknown(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Flow' });
const params = z.object({ flowId: z.string().min(1).max(64) });
const counts = z.record(z.string(), z.number().int());
const flowResultsSchema = z
  .object({
    flowId: z.string(),
    name: z.string(),
    version: z.number().int().meta({ description: 'The current version' }),
    since: z.string().meta({ description: 'When the flow was created: the results run from here' }),
    currency: z.string().meta({ description: 'The currency of `revenue`' }),
    runs: counts.meta({ description: 'Runs by status (active, completed, exited, failed)' }),
    versions: z.array(
      z.object({ version: z.number().int(), runs: z.number().int(), active: z.number().int() }),
    ),
    steps: z.array(
      z.object({
        stepId: z.string(),
        type: z.string(),
        outcomes: counts.meta({ description: 'How many runs left the step with each outcome' }),
      }),
    ),
    messages: z.array(
      z.object({
        stepId: z.string(),
        variant: z.string().nullable(),
        total: z.number().int(),
        sent: z.number().int().meta({ description: 'Handed to the channel' }),
        byStatus: counts,
        notSent: counts.meta({ description: 'Held back, by reason (no_consent, weekly_cap, …)' }),
        opened: z.number().int(),
        clicked: z.number().int(),
        converted: z.number().int(),
        revenue: z.number().int().meta({
          description: "The converted orders' revenue in minor units, less refunds",
        }),
      }),
    ),
    variants: z.array(
      z.object({
        variant: z.string(),
        runs: z.number().int(),
        converted: z.number().int(),
        conversionRate: z.number().nullable(),
        againstControl: z
          .object({
            control: z.string(),
            difference: z.number().optional(),
            relative: z.number().nullable().optional(),
            ci95: z.tuple([z.number(), z.number()]).optional(),
            pValue: z.number().nullable().optional(),
          })
          .nullable(),
      }),
    ),
    conversionDays: z.number().int(),
  })
  .meta({ id: 'FlowResults' });
const tags = ['automation'];

/** Lifecycle flows: the ready-made list, switching on, custom flows, versions and results. */
export function flowRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/flows/ready',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: 'The ready-made flows a shop can switch on, in Polish and English',
        response: {
          200: z.object({
            flows: z.array(
              z.object({
                key: z.string(),
                name: z.object({ pl: z.string(), en: z.string() }),
                description: z.object({ pl: z.string(), en: z.string() }),
                definition: z.unknown(),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ flows: READY_FLOWS }),
  );

  r.post(
    '/v1/flows/ready/:key',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary: 'Switch on a ready-made flow (created on first use, reactivated after)',
        params: z.object({ key: z.string().min(1).max(60) }),
        response: { 200: flowSchema },
      },
    },
    async (request) => enableReadyFlow(ctx.db, ctx.clock, shopOf(request), request.params.key),
  );

  r.get(
    '/v1/flows',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: "The shop's flows (archived ones left out)",
        response: { 200: z.object({ flows: z.array(flowSchema) }) },
      },
    },
    async (request) => ({ flows: await listFlows(ctx.db, shopOf(request).id) }),
  );

  r.post(
    '/v1/flows',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary:
          'Create a flow: a trigger, steps (wait, condition, send, grant, split, webhook, task), exits and re-entry',
        body: z.object({
          name: z.string().trim().min(1).max(200),
          status: z.enum(['active', 'paused']).optional(),
          definition: flowDefinitionSchema,
        }),
        // 422: the definition names a reward, segment, endpoint or template the shop lacks.
        response: { 201: flowSchema, 422: problemSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await createFlow(ctx.db, ctx.clock, shopOf(request).id, {
          name: request.body.name,
          definition: request.body.definition,
          ...(request.body.status ? { status: request.body.status } : {}),
        }),
      ),
  );

  r.get(
    '/v1/flows/:flowId',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: 'One flow',
        params,
        response: { 200: flowSchema },
      },
    },
    async (request) => getFlow(ctx.db, shopOf(request).id, request.params.flowId),
  );

  r.put(
    '/v1/flows/:flowId',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary:
          'Rename, pause, resume or archive a flow, or give it a new definition (a new version: runs under way keep theirs)',
        params,
        body: z.object({
          name: z.string().trim().min(1).max(200).optional(),
          status: z.enum(['active', 'paused', 'archived']).optional(),
          definition: flowDefinitionSchema.optional(),
          expectedVersion: z.int().min(1).optional().meta({
            description:
              'The version the change was made from; when another version was saved since → 409 and nothing changes',
          }),
        }),
        response: { 200: flowSchema, 409: problemSchema, 422: problemSchema },
      },
    },
    async (request) => {
      const { name, status, definition, expectedVersion } = request.body;
      return updateFlow(ctx.db, ctx.clock, shopOf(request).id, request.params.flowId, {
        ...(name !== undefined ? { name } : {}),
        ...(status !== undefined ? { status } : {}),
        ...(definition !== undefined ? { definition } : {}),
        ...(expectedVersion !== undefined ? { expectedVersion } : {}),
      });
    },
  );

  r.get(
    '/v1/flows/:flowId/results',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary:
          "A flow's results: runs, step outcomes, messages per step and variant, A/B conversion with significance",
        params,
        response: { 200: flowResultsSchema },
      },
    },
    async (request) => flowResults(ctx.db, shopOf(request), request.params.flowId),
  );
}
