import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import {
  achievementInput,
  conditionKinds,
  createAchievement,
  customerAchievements,
  listAchievements,
  retireAchievement,
} from '../../achievements/manage-achievements.ts';

const localized = z.object({ pl: z.string(), en: z.string() });
const achievementSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    names: localized,
    description: localized.nullable(),
    condition: z.record(z.string(), z.unknown()),
    points: z.number().int(),
    active: z.boolean(),
  })
  .meta({ id: 'Achievement' });

export function achievementRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/achievements',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['achievements'],
        summary:
          'Define a badge: a condition over customer facts, awarded once, optionally with points',
        body: achievementInput,
        response: { 201: achievementSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createAchievement(ctx.db, ctx.clock, shopOf(request), request.body)),
  );

  r.get(
    '/v1/achievements',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['achievements'],
        summary: 'The shop’s active achievements',
        response: { 200: z.object({ data: z.array(achievementSchema) }) },
      },
    },
    async (request) => ({ data: await listAchievements(ctx.db, shopOf(request)) }),
  );

  r.get(
    '/v1/achievements/kinds',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['achievements'],
        summary: 'The condition kinds an achievement can use, with Polish and English titles',
        response: {
          200: z.array(z.object({ kind: z.string(), title: localized })),
        },
      },
    },
    async () => conditionKinds(),
  );

  r.delete(
    '/v1/achievements/:achievementId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['achievements'],
        summary: 'Retire an achievement (holders keep it)',
        params: z.object({ achievementId: z.string() }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await retireAchievement(ctx.db, shopOf(request), request.params.achievementId);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/v1/customers/:customerId/achievements',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['achievements'],
        summary: 'The customer’s badges: earned ones, and progress towards the others',
        params: z.object({ customerId: z.string().min(1).max(255) }),
        response: {
          200: z.object({
            data: z.array(
              achievementSchema.extend({
                earned: z.boolean(),
                earnedAt: z.string().nullable(),
                progress: z.object({ current: z.number(), target: z.number() }),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      data: await customerAchievements(
        ctx.db,
        shopOf(request),
        request.params.customerId,
        ctx.clock.now(),
      ),
    }),
  );
}
