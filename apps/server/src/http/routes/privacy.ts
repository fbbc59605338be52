import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { getRetention, setRetention } from '../../privacy/privacy-settings.ts';

const days = z.number().int().min(1).max(3650).nullable();
const retentionSchema = z
  .object({
    rawEventsDays: days.describe('raw inbound deliveries, handled, are deleted after this'),
    messageBodiesDays: days.describe(
      "messages' subjects, texts and variables are cleared after this",
    ),
    visitLogsDays: days.describe(
      'client addresses and user agents of visits and clicks are cleared after this',
    ),
    inactiveCustomerYears: z
      .number()
      .int()
      .min(1)
      .max(20)
      .nullable()
      .describe('customers without an order or activity this long are erased'),
  })
  .meta({ id: 'RetentionSettings' });

/** The shop's retention policy (docs/privacy.md), applied by a daily task; null keeps for good. */
export function privacyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/privacy/settings',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['privacy'],
        summary: "The shop's retention periods for personal data",
        response: { 200: retentionSchema },
      },
    },
    async (request) => getRetention(ctx.db, shopOf(request).id),
  );
  r.put(
    '/v1/privacy/settings',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['privacy'],
        summary: "Set the shop's retention periods (null keeps that data for good)",
        body: retentionSchema,
        response: { 200: retentionSchema },
      },
    },
    async (request) => setRetention(ctx.db, shopOf(request).id, request.body, ctx.clock.now()),
  );
}
