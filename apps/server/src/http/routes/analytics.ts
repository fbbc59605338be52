import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { sendCsv, wantsCsv } from '../csv-reply.ts';
import { amountSumSchema, problemSchema } from '../schemas.ts';
import {
  SUMMARY_METRICS,
  summarizeOrders,
  type SummaryMetric,
} from '../../analytics/summarize-orders.ts';
import { buildCohorts } from '../../analytics/build-cohorts.ts';
import { fitClv, saveClvModel } from '../../analytics/fit-clv.ts';
import { queueCustomerScoring } from '../../analytics/queue-customer-scoring.ts';
import { predictCustomerValue } from '../../analytics/predict-customer-value.ts';
import { toCsv } from '../../shared/to-csv.ts';
import { measureLift } from '../../analytics/measure-lift.ts';
import {
  buildSeries,
  MAX_SERIES_POINTS,
  SERIES_STEPS,
  seriesSteps,
} from '../../analytics/build-series.ts';

const day = z.iso.date();
const range = z
  .object({ from: day, to: day.describe('exclusive') })
  .refine((r) => r.from < r.to, { message: 'must be after from', path: ['to'] });

const nullableNumber = z.number().nullable();
const periodSummary = z.object({
  from: z.string(),
  to: z.string(),
  currency: z.string(),
  orders: z.number().int().describe('paid, not cancelled orders placed in the range'),
  revenue: amountSumSchema.describe('minor units, refunds deducted'),
  customers: z.number().int().describe('distinct customers with an order in the range'),
  aov: amountSumSchema.describe('minor units'),
  repeatPurchaseRate: z.number().describe('share of the customers with two or more orders'),
  newCustomers: z
    .number()
    .int()
    .describe('customers whose first counted order ever is in the range'),
  returningCustomers: z
    .number()
    .int()
    .describe('customers of the range whose first counted order was before `from`'),
  revenueFromNew: amountSumSchema.describe(
    "minor units, refunds deducted: new customers' orders in the range",
  ),
  revenueFromReturning: amountSumSchema.describe(
    "minor units, refunds deducted: returning customers' orders in the range",
  ),
  revenueFromGuests: amountSumSchema.describe(
    'minor units, refunds deducted: orders without a customer; new + returning + guests = revenue',
  ),
  retention: nullableNumber.describe(
    'of the customers with an order in the previous period, the share with an order in the range; null when the previous period had no customers',
  ),
  churn: nullableNumber.describe('1 − retention; null when the previous period had no customers'),
  medianDaysToSecondOrder: nullableNumber.describe(
    'over customers whose second counted order ever is in the range, the median of the calendar days (shop time zone) between their first and second order; null when there is none',
  ),
  purchaseFrequency: nullableNumber.describe(
    "customers' orders (guest orders left out) per customer; null without customers",
  ),
});
const summaryChange = z
  .object(
    Object.fromEntries(SUMMARY_METRICS.map((metric) => [metric, nullableNumber])) as Record<
      SummaryMetric,
      typeof nullableNumber
    >,
  )
  .describe(
    'relative change of each figure against `previous`: (current − previous) / previous; null where previous is 0 or null',
  );

export function analyticsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/analytics/summary',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['analytics'],
        summary:
          'Orders, revenue, customers, AOV, repeat rate, new vs returning, retention and time to second order over days in the shop time zone, with the previous period and the change',
        description:
          'Counts paid, not cancelled orders placed in [from, to), days in the shop time zone. The previous period is the same number of days just before `from`.',
        querystring: range,
        response: {
          200: periodSummary.extend({
            previous: periodSummary.describe(
              'the same figures for the previous period: the same number of days just before `from`',
            ),
            change: summaryChange,
          }),
        },
      },
    },
    async (request, reply) => {
      const summary = await summarizeOrders(
        ctx.db,
        shopOf(request),
        request.query.from,
        request.query.to,
      );
      if (!wantsCsv(request.headers.accept)) return summary;
      // One row: the range's figures, then `previous.*` and `change.*`.
      const { previous, change, ...current } = summary;
      const parts = [
        ['', current],
        ['previous.', previous],
        ['change.', change],
      ] as const;
      const header = parts.flatMap(([prefix, part]) => Object.keys(part).map((k) => prefix + k));
      const row = parts.flatMap(([, part]) => Object.values(part));
      return sendCsv(reply, 'summary', toCsv(header, [row]));
    },
  );

  const seriesPoint = z.object({
    from: z
      .string()
      .describe("the step's first day (Monday of a week, 1st of a month), clipped to the range"),
    to: z.string().describe('exclusive, clipped to the range'),
    orders: z.number().int(),
    revenue: amountSumSchema.describe('minor units, refunds deducted, as the summary counts it'),
    membersRevenue: amountSumSchema.describe("the part of revenue from customers' orders"),
    pointsIssued: z.number().int(),
    pointsRedeemed: z.number().int().describe('net of coupons that expired unused'),
    pointsExpired: z.number().int(),
    messagesSent: z.number().int().describe('messages queued in the step that went out'),
    referrals: z
      .number()
      .int()
      .describe('friends referred in the step (link, code or signup), rejected ones left out'),
  });
  r.get(
    '/v1/analytics/series',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['analytics'],
        summary:
          'Orders, revenue, points, messages and referrals per day, week or month of the shop time zone, for charts',
        description: `Each figure counted as the summary, points activity and message results count it, so the steps add up to the period. At most ${MAX_SERIES_POINTS} steps.`,
        querystring: z
          .object({ from: day, to: day.describe('exclusive'), step: z.enum(SERIES_STEPS) })
          .refine((q) => q.from < q.to, { message: 'must be after from', path: ['to'] })
          .refine((q) => seriesSteps(q.from, q.to, q.step) <= MAX_SERIES_POINTS, {
            message: `more than ${MAX_SERIES_POINTS} steps: choose a longer step or a shorter range`,
            path: ['step'],
          }),
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            step: z.enum(SERIES_STEPS),
            currency: z.string(),
            data: z.array(seriesPoint),
          }),
        },
      },
    },
    async (request) => buildSeries(ctx.db, shopOf(request), request.query),
  );

  const difference = z
    .object({
      difference: z.number(),
      relative: z.number().nullable().describe('difference / holdout value'),
      ci95: z.tuple([z.number(), z.number()]),
      pValue: z.number().nullable().describe('two-sided, normal approximation'),
    })
    .nullable();
  const group = z.object({
    customers: z.number().int(),
    revenuePerCustomer: amountSumSchema.describe('minor units, refunds deducted'),
    repeatRate: z.number(),
    retention90: z.number().nullable().describe('second order within 90 days of the first'),
  });
  r.get(
    '/v1/analytics/lift',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['analytics'],
        summary:
          'Programme lift: customers acquired in the range, members against the holdout group, with 95% confidence intervals',
        querystring: range,
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            holdoutPercent: z.number(),
            members: group,
            holdout: group,
            lift: z
              .object({
                revenuePerCustomer: difference,
                repeatRate: difference,
                retention90: difference,
              })
              .nullable(),
            note: z.string().nullable(),
          }),
        },
      },
    },
    async (request) => measureLift(ctx.db, shopOf(request), request.query, ctx.clock.now()),
  );

  r.get(
    '/v1/analytics/cohorts',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['analytics'],
        summary:
          'Monthly acquisition cohorts and the share of each cohort buying in each later month',
        querystring: range.refine((q) => q.to <= shiftYears(q.from, 20), {
          message: 'covers at most 20 years',
          path: ['to'],
        }),
        response: {
          200: z.object({
            cohorts: z.array(
              z.object({
                cohort: z.string(),
                customers: z.number().int(),
                retention: z.array(z.number()),
              }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      const cohorts = await buildCohorts(
        ctx.db,
        shopOf(request),
        request.query.from,
        request.query.to,
      );
      if (!wantsCsv(request.headers.accept)) return { cohorts };
      const months = cohorts[0]?.retention.length ?? 0;
      const header = [
        'cohort',
        'customers',
        ...Array.from({ length: months }, (_, k) => `month_${k}`),
      ];
      const rows = cohorts.map((c) => [
        c.cohort,
        c.customers,
        ...c.retention.map((r) => Number(r.toFixed(6))),
      ]);
      return sendCsv(reply, 'cohorts', toCsv(header, rows));
    },
  );

  r.post(
    '/v1/analytics/clv/fit',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['analytics'],
        summary:
          'Fit BG/NBD and Gamma-Gamma by maximum likelihood on customers up to calibrationEnd',
        body: z
          .object({
            calibrationEnd: day,
            holdoutEnd: day
              .optional()
              .describe('also compare predicted and actual purchases up to this day'),
          })
          .refine((b) => !b.holdoutEnd || b.holdoutEnd > b.calibrationEnd, {
            message: 'must be after calibrationEnd',
            path: ['holdoutEnd'],
          }),
        response: {
          200: z.object({
            calibrationEnd: z.string(),
            customers: z.number().int(),
            bgnbd: z.object({
              r: z.number(),
              alpha: z.number(),
              a: z.number(),
              b: z.number(),
              logLikelihood: z.number(),
            }),
            gammaGamma: z.object({ p: z.number(), q: z.number(), v: z.number() }).nullable(),
            holdout: z
              .object({
                holdoutEnd: z.string(),
                weeks: z.number(),
                predictedPurchases: z.number(),
                actualPurchases: z.number().int(),
              })
              .optional(),
          }),
          422: problemSchema,
        },
      },
    },
    async (request) => {
      const shop = shopOf(request);
      const fit = await fitClv(ctx.db, shop, request.body.calibrationEnd, request.body.holdoutEnd);
      await saveClvModel(ctx.db, shop.id, fit, ctx.clock.now());
      // Segments read the new model's predictions (probability_alive, predicted_clv) once a
      // queued job has scored every buyer (GET /v1/analytics/clv says when).
      await queueCustomerScoring(ctx.db, shop.id);
      return fit;
    },
  );
}

/** Reports answer CSV (for a spreadsheet) when the client asks for text/csv. */
export function customerValueRoute(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/customers/:customerId/value',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['analytics'],
        summary:
          "A customer's historical value and the next 52 weeks predicted by the shop's CLV model",
        params: z.object({ customerId: z.string() }),
        response: {
          409: problemSchema.describe('the shop has no CLV model yet'),
          200: z.object({
            customerId: z.string(),
            currency: z.string(),
            historical: z.object({
              orders: z.number().int(),
              revenue: amountSumSchema,
              firstOrderOn: z.string().nullable(),
              lastOrderOn: z.string().nullable(),
            }),
            predicted: z
              .object({
                horizonWeeks: z.number().int(),
                probabilityAlive: z.number(),
                expectedPurchases: z.number(),
                expectedOrderValue: amountSumSchema.nullable(),
                clv: amountSumSchema.nullable(),
              })
              .nullable(),
            model: z.object({ fittedAt: z.string(), calibrationEnd: z.string() }),
          }),
        },
      },
    },
    async (request) =>
      predictCustomerValue(ctx.db, shopOf(request), request.params.customerId, ctx.clock.now()),
  );
}

function shiftYears(date: string, years: number): string {
  return `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;
}
