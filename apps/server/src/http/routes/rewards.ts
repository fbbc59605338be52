import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { rewardInput } from '../../rewards/reward-schema.ts';
import {
  archiveReward,
  createReward,
  listRewards,
  updateReward,
} from '../../rewards/manage-rewards.ts';

const rewardSchema = z
  .object({
    id: z.string(),
    name: z.string().describe("in the shop's language"),
    names: z.object({ pl: z.string(), en: z.string() }),
    description: z.object({ pl: z.string(), en: z.string() }).nullable(),
    kind: z.string(),
    pointsCost: z.number().int(),
    amount: z.number().int().nullable(),
    percent: z.number().nullable(),
    cap: z.number().int().nullable(),
    productId: z.string().nullable(),
    minBasket: z.number().int().nullable(),
    startsAt: z.string().nullable(),
    endsAt: z.string().nullable(),
    stock: z.number().int().nullable(),
    perCustomerLimit: z.number().int().nullable(),
    minTier: z.string().nullable(),
    couponValidDays: z.number().int(),
    archived: z.boolean(),
  })
  .meta({ id: 'Reward' });

const rewardParams = z.object({ rewardId: z.string() });

export function rewardRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/rewards',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['rewards'],
        summary: "The shop's rewards catalogue, cheapest first",
        querystring: z.object({ includeArchived: z.stringbool().default(false) }),
        response: { 200: z.array(rewardSchema) },
      },
    },
    async (request) => listRewards(ctx.db, shopOf(request), request.query),
  );

  r.post(
    '/v1/rewards',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['rewards'],
        summary:
          'Add a reward: fixed or % discount, free shipping, free product, or a perk staff fulfil',
        body: rewardInput,
        response: { 201: rewardSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createReward(ctx.db, ctx.clock, shopOf(request), request.body)),
  );

  r.put(
    '/v1/rewards/:rewardId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['rewards'],
        summary: "Replace a reward's terms (redemptions already made keep theirs)",
        params: rewardParams,
        body: rewardInput,
        response: { 200: rewardSchema },
      },
    },
    async (request) =>
      updateReward(ctx.db, ctx.clock, shopOf(request), request.params.rewardId, request.body),
  );

  r.delete(
    '/v1/rewards/:rewardId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['rewards'],
        summary: 'Take a reward out of the catalogue (archived; its history stays)',
        params: rewardParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await archiveReward(ctx.db, ctx.clock, shopOf(request), request.params.rewardId);
      return reply.status(204).send(null);
    },
  );
}
