import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { moneySchema as money } from '../schemas.ts';
import { pointsActivity, pointsLiability } from '../../points/points-liability.ts';
import { problems } from '../../shared/errors.ts';

const day = z.iso.date().refine((d) => d >= '1970-01-01', 'must be 1970 or later');

export function pointsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/points/liability',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['points'],
        summary: 'Outstanding points and their value in the shop currency, and what expires soon',
        response: {
          200: z.object({
            asOf: z.string(),
            pointValue: z.number().describe('minor units per point'),
            members: z.number().int().describe('customers holding unexpired points'),
            points: z.object({
              available: z.number().int(),
              pending: z.number().int(),
              debt: z.number().int(),
              outstanding: z.number().int().describe('available + pending − debt'),
            }),
            value: money,
            expiring: z.object({
              next30Days: z.object({ points: z.number().int(), value: money }),
              next90Days: z.object({ points: z.number().int(), value: money }),
            }),
          }),
        },
      },
    },
    async (request) => pointsLiability(ctx.db, shopOf(request), ctx.clock.now()),
  );

  r.get(
    '/v1/points/activity',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['points'],
        summary:
          'Points issued, redeemed, expired, reversed and adjusted in a range; breakage and redemption rate',
        querystring: z.object({ from: day, to: day }),
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            issued: z.number().int(),
            redeemed: z
              .number()
              .int()
              .describe('net of coupons that expired unused and gave points back'),
            expired: z.number().int(),
            reversed: z.number().int().describe('taken back by refunds and cancellations'),
            adjusted: z.object({ added: z.number().int(), taken: z.number().int() }),
            redemptions: z.number().int(),
            breakage: z.number().nullable().describe('expired / issued'),
            redemptionRate: z.number().nullable().describe('redeemed / issued'),
            redeemedValue: money,
          }),
        },
      },
    },
    async (request) => {
      if (request.query.from >= request.query.to) {
        throw problems.validation([{ path: 'to', message: 'must be after from' }]);
      }
      return pointsActivity(ctx.db, shopOf(request), request.query);
    },
  );
}
