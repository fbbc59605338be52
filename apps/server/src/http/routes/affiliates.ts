import { z } from 'zod';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { moneySchema as money, problemSchema } from '../schemas.ts';
import { toCsv } from '../../shared/to-csv.ts';
import { sendCsv, wantsCsv } from '../csv-reply.ts';
import {
  createAffiliate,
  listAffiliates,
  updateAffiliate,
} from '../../affiliates/manage-affiliates.ts';
import { attributeAffiliateOrder } from '../../affiliates/attribute-affiliate-orders.ts';
import {
  affiliatePayoutReport,
  markPayoutPaid,
  PAYOUT_CSV_HEADER,
  payoutCsvRows,
} from '../../affiliates/affiliate-payouts.ts';

const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month: YYYY-MM');

const terms = {
  name: z.string().trim().min(1).max(200),
  email: z.email().nullish(),
  commissionPercent: z
    .number()
    .positive()
    .max(100)
    .multipleOf(0.01)
    .describe('of referred revenue net of refunds, paid once the return window has passed'),
  attributionWindowDays: z.number().int().min(1).max(365).optional().describe('default 30'),
};

const affiliateSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    code: z.string(),
    link: z.string(),
    commissionPercent: z.number(),
    attributionWindowDays: z.number().int(),
    archived: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'Affiliate' });

const payoutSchema = z.object({
  affiliateId: z.string(),
  affiliateName: z.string(),
  period: z.string().describe("the month the orders' return windows ended in (shop's time zone)"),
  closed: z.boolean().describe('the month is over: its commission is due'),
  orders: z.number().int(),
  revenue: money,
  refunds: money.describe('refunds, and cancelled orders whole'),
  netRevenue: money,
  commission: money,
  paid: z
    .object({ at: z.string(), commission: money, reference: z.string().nullable() })
    .nullable(),
  difference: money.nullable().describe('commission now less what was paid (later refunds)'),
});

/** Affiliates: partners and creators paid a commission on the revenue they bring. */
export function affiliateRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const publicUrl = ctx.config.publicUrl;

  r.get(
    '/v1/affiliates',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['affiliates'],
        summary: 'The shop’s affiliates, newest first',
        response: { 200: z.object({ data: z.array(affiliateSchema) }) },
      },
    },
    async (request) => listAffiliates(ctx.db, shopOf(request), publicUrl),
  );

  r.post(
    '/v1/affiliates',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['affiliates'],
        summary: 'Add an affiliate with a code and link (/r/{code}) and a commission rate',
        body: z.object({
          ...terms,
          code: z
            .string()
            .trim()
            .regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,39}$/, '3–40 letters, digits or dashes'),
        }),
        response: { 201: affiliateSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await createAffiliate(ctx.db, shopOf(request), request.body, publicUrl, ctx.clock.now()),
        ),
  );

  r.put(
    '/v1/affiliates/:affiliateId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['affiliates'],
        summary: "Change an affiliate's terms (a new rate counts for new orders) or archive it",
        params: z.object({ affiliateId: z.string() }),
        body: z.object({ ...terms, archived: z.boolean().optional() }),
        response: { 200: affiliateSchema },
      },
    },
    async (request) =>
      updateAffiliate(
        ctx.db,
        shopOf(request),
        request.params.affiliateId,
        request.body,
        publicUrl,
        ctx.clock.now(),
      ),
  );

  r.post(
    '/v1/affiliates/attributions',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['affiliates'],
        summary: 'Tie an order to the affiliate link its buyer came through (lojal_visit)',
        body: z.object({
          orderId: z.string().min(1).max(255).describe("the shop's own order id"),
          visitId: z.string().min(1).max(60).describe('lojal_visit from the affiliate link'),
        }),
        response: {
          404: problemSchema,
          200: z.union([
            z.object({ attributed: z.literal(true), affiliateId: z.string() }),
            z.object({ attributed: z.literal(false), reason: z.string() }),
          ]),
        },
      },
    },
    async (request) =>
      attributeAffiliateOrder(ctx.db, shopOf(request), request.body, ctx.clock.now()),
  );

  r.get(
    '/v1/affiliates/payouts',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['affiliates'],
        summary: 'Payout report per affiliate and month; CSV with Accept: text/csv',
        querystring: z.object({
          affiliateId: z.string().optional(),
          from: period.optional().describe('first month, YYYY-MM'),
          to: period.optional().describe('last month, YYYY-MM'),
        }),
        response: { 200: z.object({ data: z.array(payoutSchema) }) },
      },
    },
    async (request, reply) => {
      const report = await affiliatePayoutReport(
        ctx.db,
        shopOf(request),
        request.query,
        ctx.clock.now(),
      );
      if (!wantsCsv(request.headers.accept)) return report;
      return sendCsv(
        reply as FastifyReply,
        'affiliate-payouts',
        toCsv(PAYOUT_CSV_HEADER, payoutCsvRows(report)),
      );
    },
  );

  r.post(
    '/v1/affiliates/:affiliateId/payouts/:period/paid',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['affiliates'],
        summary: 'Record that a closed month was paid to the affiliate',
        params: z.object({ affiliateId: z.string(), period }),
        body: z
          .object({
            reference: z.string().trim().max(200).nullish().describe('e.g. transfer title'),
          })
          .default({}),
        response: { 200: payoutSchema },
      },
    },
    async (request) =>
      markPayoutPaid(
        ctx.db,
        shopOf(request),
        { ...request.params, reference: request.body.reference },
        ctx.clock.now(),
      ),
  );
}
