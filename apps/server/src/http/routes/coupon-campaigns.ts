import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { sendCsv } from '../csv-reply.ts';
import { shopOf } from '../auth.ts';
import { campaignInput, codePatternInput } from '../../coupons/campaign-schema.ts';
import {
  archiveCampaign,
  createCampaign,
  getCampaign,
  listCampaigns,
} from '../../coupons/manage-campaigns.ts';
import { exportCodesCsv, generateCodes } from '../../coupons/generate-codes.ts';

const campaignSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    discount: z.unknown(),
    minBasket: z.number().int().nullable(),
    startsAt: z.string().nullable(),
    endsAt: z.string().nullable(),
    usesPerCode: z.number().int().nullable(),
    usesPerCustomer: z.number().int().nullable(),
    budget: z.number().int().nullable(),
    budgetUsed: z.number().int(),
    uses: z.number().int(),
    productIds: z.array(z.string()),
    categoryIds: z.array(z.string()),
    excludeProductIds: z.array(z.string()),
    excludeCategoryIds: z.array(z.string()),
    firstOrderOnly: z.boolean(),
    segmentId: z.string().nullable(),
    minTier: z.string().nullable(),
    stackable: z.boolean(),
    returnUseOnCancel: z.boolean(),
    codes: z.number().int(),
    archived: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'CouponCampaign' });

const params = z.object({ campaignId: z.string() });

export function couponCampaignRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/coupon-campaigns',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['coupons'],
        summary: 'Create a coupon campaign: discount, window, limits, budget, products, audience',
        body: campaignInput,
        response: { 201: campaignSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createCampaign(ctx.db, ctx.clock, shopOf(request), request.body)),
  );

  r.get(
    '/v1/coupon-campaigns',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['coupons'],
        summary: 'The shop’s live coupon campaigns, newest first',
        response: { 200: z.object({ data: z.array(campaignSchema) }) },
      },
    },
    async (request) => ({ data: await listCampaigns(ctx.db, shopOf(request)) }),
  );

  r.get(
    '/v1/coupon-campaigns/:campaignId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['coupons'],
        summary: 'One campaign with its uses and budget used',
        params,
        response: { 200: campaignSchema },
      },
    },
    async (request) => getCampaign(ctx.db, shopOf(request), request.params.campaignId),
  );

  r.delete(
    '/v1/coupon-campaigns/:campaignId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['coupons'],
        summary: 'Archive a campaign: its codes stop validating; uses stay on record',
        params,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await archiveCampaign(ctx.db, ctx.clock, shopOf(request), request.params.campaignId);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/v1/coupon-campaigns/:campaignId/codes',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['coupons'],
        summary: 'Generate unique codes (up to 100,000 per call; the CLI does more, with progress)',
        params,
        body: z.object({
          count: z.number().int().min(1).max(100_000),
          pattern: codePatternInput.default({ prefix: '', length: 13 }),
        }),
        response: { 201: z.object({ generated: z.number().int() }) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await generateCodes(
            ctx.db,
            ctx.clock,
            shopOf(request),
            request.params.campaignId,
            request.body,
          ),
        ),
  );

  r.get(
    '/v1/coupon-campaigns/:campaignId/codes.csv',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['coupons'],
        summary: 'The campaign’s codes as CSV: code, used, usage_limit, created_at',
        produces: ['text/csv'],
        params,
      },
    },
    async (request, reply) =>
      sendCsv(
        reply,
        request.params.campaignId,
        await exportCodesCsv(ctx.db, shopOf(request), request.params.campaignId),
      ),
  );
}
