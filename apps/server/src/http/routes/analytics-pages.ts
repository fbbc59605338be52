import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { amountSumSchema, problemSchema } from '../schemas.ts';
import { localDay } from '../../shared/zoned-time.ts';
import { gridRfm } from '../../analytics/grid-rfm.ts';
import { describeRepeatPurchases } from '../../analytics/describe-repeat-purchases.ts';
import { CLV_LIST, CLV_LIST_MAX, overviewClv } from '../../analytics/overview-clv.ts';
import { measureBenefits } from '../../analytics/measure-benefits.ts';
import { findSegmentRules } from '../../segments/manage-segments.ts';
import { pointsBalanceOverTime } from '../../analytics/points-balance-over-time.ts';

const day = z.iso.date();
const range = { from: day, to: day.describe('exclusive') };
const afterFrom = (q: { from: string; to: string }) => q.from < q.to;
const rate = z.number().nullable();
const difference = z
  .object({
    difference: z.number(),
    relative: z.number().nullable().describe('difference / holdout value'),
    ci95: z.tuple([z.number(), z.number()]),
    pValue: z.number().nullable().describe('two-sided, normal approximation'),
  })
  .nullable();
const customerValue = z.object({
  customerId: z.string().describe("the shop's id of the customer"),
  email: z.string().nullable(),
  probabilityAlive: z.number(),
  expectedPurchases: z.number().describe('in the next 52 weeks'),
  predictedClv: amountSumSchema.nullable().describe('minor units, next 52 weeks'),
  historicalRevenue: amountSumSchema.describe('minor units, refunds deducted'),
  lastOrderOn: z.string().nullable(),
});
/** `variant:amount,variant:amount` — minor units per benefit taken up. */
const costsParam = z
  .string()
  .regex(/^[a-z0-9_-]{1,20}:\d{1,12}(,[a-z0-9_-]{1,20}:\d{1,12}){0,19}$/, {
    message: 'must be variant:amount pairs separated by commas, e.g. gift:2500,premium:9000',
  })
  .describe("merchant-entered cost of one benefit taken up, per variant: 'gift:2500,premium:9000'");

/** The figures of the analytics pages that /v1/analytics/summary, cohorts and lift do not give. */
export function analyticsPagesRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/analytics/rfm',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['analytics'],
        summary:
          'Customers by recency and frequency (fixed bounds), with their revenue: the RFM grid today',
        description:
          'recency r: days since the last purchase day ≤ 30, ≤ 90, ≤ 180, ≤ 365, more (0–4); frequency f: counted orders 1, 2, 3, 4–5, 6+ (0–4). Only customers with a counted order.',
        response: {
          200: z.object({
            asOf: z.string().describe("today in the shop's time zone"),
            currency: z.string(),
            recencyBounds: z.array(z.number().int()),
            frequencyBounds: z.array(z.number().int()),
            cells: z.array(
              z.object({
                recency: z.number().int(),
                frequency: z.number().int(),
                customers: z.number().int(),
                revenue: amountSumSchema.describe('minor units, refunds deducted, all time'),
                revenuePerCustomer: amountSumSchema,
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const shop = shopOf(request);
      return gridRfm(ctx.db, shop, localDay(ctx.clock.now(), shop.timezone));
    },
  );

  r.get(
    '/v1/analytics/repeat',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['analytics'],
        summary:
          'Customers acquired in the range: time to the second order, the repeat curve and the monthly retention curve',
        querystring: z
          .object(range)
          .refine(afterFrom, { message: 'must be after from', path: ['to'] }),
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            asOf: z.string(),
            customers: z.number().int().describe('first counted order in the range'),
            medianDaysToSecondOrder: z.number().nullable(),
            timeToSecondOrder: z.array(
              z.object({
                upToDays: z.number().int().nullable().describe('null: more than the last bound'),
                customers: z.number().int(),
              }),
            ),
            repeatCurve: z.array(
              z.object({
                days: z.number().int(),
                eligible: z
                  .number()
                  .int()
                  .describe('customers whose first order is at least `days` old'),
                repeaters: z.number().int(),
                rate: rate,
              }),
            ),
            retentionCurve: z.array(
              z.object({
                month: z.number().int().describe('months after the first order'),
                cohortCustomers: z.number().int(),
                active: z.number().int(),
                rate: rate,
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const shop = shopOf(request);
      return describeRepeatPurchases(
        ctx.db,
        shop,
        request.query,
        localDay(ctx.clock.now(), shop.timezone),
      );
    },
  );

  r.get(
    '/v1/analytics/points-balance',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['analytics'],
        summary:
          'Points owed to members at the end of each month, in points and in money at the current point value',
        description:
          "Months of the shop's time zone; the last month ends at `to`. Points are the accounts' balances (Σ of their ledger entries, debt deducted) at each month's end.",
        querystring: z
          .object(range)
          .refine(afterFrom, { message: 'must be after from', path: ['to'] })
          .refine((q) => monthsApart(q.from, q.to) <= 120, {
            message: 'covers at most 120 months',
            path: ['to'],
          }),
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            currency: z.string(),
            pointValue: z.number().describe('minor units per point, today'),
            data: z.array(
              z.object({
                month: z.string().describe('YYYY-MM'),
                end: z
                  .string()
                  .describe(
                    'the day the balance is taken at (its start), exclusive end of the month',
                  ),
                points: z.number().int(),
                value: amountSumSchema.describe('minor units: points × pointValue'),
              }),
            ),
          }),
        },
      },
    },
    async (request) => pointsBalanceOverTime(ctx.db, shopOf(request), request.query),
  );

  r.get(
    '/v1/analytics/clv',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['analytics'],
        summary:
          'The CLV model, the distribution of predicted value, top customers by value and by P(alive), and those at risk',
        querystring: z.object({
          limit: z.coerce
            .number()
            .int()
            .min(1)
            .max(CLV_LIST_MAX)
            .default(CLV_LIST)
            .describe('customers per list (a page)'),
          offset: z.coerce
            .number()
            .int()
            .min(0)
            .max(10_000)
            .default(0)
            .describe('customers of each list to skip: the page from there'),
        }),
        response: {
          200: z.object({
            currency: z.string(),
            model: z
              .object({
                fittedAt: z.string(),
                predictionsScoredAt: z
                  .string()
                  .nullable()
                  .describe('when the customers were last scored under a model'),
                predictionsPending: z
                  .boolean()
                  .describe('the scoring after the latest fit has not finished yet'),
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
              })
              .nullable()
              .describe('null until the first fit (POST /v1/analytics/clv/fit)'),
            distribution: z
              .array(
                z.object({
                  upTo: amountSumSchema.nullable().describe('exclusive, minor units; null: above'),
                  customers: z.number().int(),
                  value: amountSumSchema,
                }),
              )
              .optional(),
            topByValue: z.array(customerValue).optional(),
            topByProbabilityAlive: z.array(customerValue).optional(),
            atRisk: z
              .array(customerValue)
              .optional()
              .describe('buyers with P(alive) below 0.5, the most valuable so far first'),
          }),
        },
      },
    },
    async (request) => overviewClv(ctx.db, shopOf(request), request.query),
  );

  r.get(
    '/v1/analytics/benefits',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['analytics'],
        summary:
          'Which after-purchase benefit pays: per flow variant its cost, uptake, next order and net margin against the holdout',
        description:
          "Runs started in [from, to), shop days. A run's next order is the customer's first counted order within `days` of the run's start, other than the order that started it.",
        querystring: z
          .object({
            ...range,
            days: z.coerce.number().int().min(1).max(365).default(90),
            flowId: z.string().min(1).max(100).optional(),
            category: z
              .string()
              .min(1)
              .max(200)
              .optional()
              .describe('only runs whose triggering order has a line in this category'),
            segment: z
              .string()
              .min(1)
              .max(100)
              .optional()
              .describe(
                "only the runs of customers in this segment (a built-in segment's slug or the shop's segment id), as it selects them today",
              ),
            margin: z.coerce
              .number()
              .min(0)
              .max(100)
              .optional()
              .describe('margin on revenue in percent, for the net margin per customer'),
            costs: costsParam.optional(),
          })
          .refine(afterFrom, { message: 'must be after from', path: ['to'] }),
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            days: z.number().int(),
            currency: z.string(),
            marginPercent: z.number().nullable(),
            flows: z.array(
              z.object({
                flowId: z.string(),
                name: z.string(),
                variants: z.array(
                  z.object({
                    variant: z
                      .string()
                      .describe("the A/B branch; 'holdout' got nothing; 'all' without a split"),
                    benefit: z
                      .string()
                      .nullable()
                      .describe('what its grant steps gave: points, coupon, reward'),
                    runs: z.number().int(),
                    granted: z.number().int(),
                    pointsGranted: z.number(),
                    uptake: rate.describe('coupons used / runs given a coupon'),
                    unitCost: amountSumSchema.nullable().describe('cost per benefit taken up'),
                    costPerCustomer: amountSumSchema,
                    discountGiven: amountSumSchema,
                    secondPurchases: z.number().int(),
                    secondPurchaseRate: rate,
                    medianDaysToSecondOrder: z.number().nullable(),
                    aov: amountSumSchema.nullable().describe('mean value of the next order'),
                    revenuePerCustomer: amountSumSchema.describe('within `days`'),
                    netMarginPerCustomer: amountSumSchema
                      .nullable()
                      .describe(
                        'margin × revenue within `days` − benefit cost; null without margin',
                      ),
                    againstHoldout: z
                      .object({
                        secondPurchaseRate: difference,
                        aov: difference,
                        netMarginPerCustomer: difference,
                      })
                      .nullable(),
                  }),
                ),
              }),
            ),
          }),
          404: problemSchema.describe('no segment with this id'),
        },
      },
    },
    async (request) => {
      const { costs, margin, segment, ...q } = request.query;
      const shop = shopOf(request);
      return measureBenefits(ctx.db, shop, {
        ...q,
        segment: segment
          ? { rules: await findSegmentRules(ctx.db, shop, segment), now: ctx.clock.now() }
          : undefined,
        marginPercent: margin,
        costs: Object.fromEntries(
          (costs ?? '')
            .split(',')
            .filter(Boolean)
            .map((pair) => {
              const [variant, amount] = pair.split(':') as [string, string];
              return [variant, Number(amount)];
            }),
        ),
      });
    },
  );
}

function monthsApart(from: string, to: string): number {
  const index = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7));
  return index(to) - index(from) + 1;
}
