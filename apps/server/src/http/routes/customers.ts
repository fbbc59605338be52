import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { actorOf, shopOf } from '../auth.ts';
import { moneySchema as money, problemSchema } from '../schemas.ts';
import { customerView } from '../../customers/customer-view.ts';
import { searchCustomers } from '../../customers/search-customers.ts';
import { listLedger } from '../../points/list-ledger.ts';
import { adjustPoints } from '../../points/adjust-points.ts';
import { redeemReward } from '../../rewards/redeem-reward.ts';
import { tierStandingSchema } from './tiers.ts';

const params = z.object({
  customerId: z.string().min(1).max(255).describe("the shop's own customer id"),
});

const customerSchema = z
  .object({
    id: z.string(),
    lojalId: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    birthday: z.string().nullable(),
    acceptsMarketing: z.object({ email: z.boolean().nullable(), sms: z.boolean().nullable() }),
    tags: z.array(z.string()),
    redacted: z.boolean(),
    points: z.object({
      available: z
        .number()
        .int()
        .describe('spendable now; negative only by a recorded refund debt'),
      pending: z.number().int().describe('earned, available when the return window closes'),
      lifetimeEarned: z.number().int(),
      debt: z.number().int().describe('points owed after a refund took back points already spent'),
      expiringSoon: z
        .array(z.object({ points: z.number().int(), expiresAt: z.string() }))
        .describe('within 30 days'),
    }),
    tier: tierStandingSchema,
    referralCode: z.string().nullable(),
    orders: z.object({
      count: z.number().int(),
      totalSpent: money,
      lastOrderAt: z.string().nullable(),
    }),
    createdAt: z.string(),
  })
  .meta({ id: 'Customer' });

const ruleRef = z
  .object({ id: z.string(), code: z.string().nullable(), version: z.number().int().nullable() })
  .nullable();

const causeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('order'), orderId: z.string().nullable(), rule: ruleRef }),
  z.object({ type: z.literal('rule'), rule: ruleRef }),
  z.object({
    type: z.literal('redemption'),
    redemptionId: z.string().nullable(),
    rewardId: z.string().nullable(),
  }),
  z.object({
    type: z.literal('adjustment'),
    reason: z.string().nullable(),
    actor: z.string().nullable(),
  }),
  z.object({ type: z.literal('expiry'), lotEntryId: z.string().nullable() }),
  z.object({
    type: z.literal('reversal'),
    reversesEntryId: z.string().nullable(),
    reason: z.string().nullable(),
    orderId: z.string().nullable(),
    refundId: z.string().nullable(),
    redemptionId: z.string().nullable(),
    absorbed: z.number().int().describe('points already spent that the shop chose to absorb'),
    alreadyExpired: z
      .number()
      .int()
      .describe('points of the original that had expired: nothing to take'),
  }),
]);

const entrySchema = z
  .object({
    id: z.string(),
    points: z.number().int(),
    kind: z.enum(['earn', 'redeem', 'expire', 'reverse', 'adjust']),
    balanceAfter: z.number().int(),
    createdAt: z.string(),
    availableAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    cause: causeSchema,
  })
  .meta({ id: 'LedgerEntry' });

export const redemptionSchema = z
  .object({
    id: z.string(),
    rewardId: z.string(),
    kind: z.string(),
    pointsSpent: z.number().int(),
    balanceAfter: z.number().int(),
    status: z.enum(['issued']),
    coupon: z
      .object({
        code: z.string(),
        discount: z.unknown(),
        minBasket: z.number().int().nullable(),
        expiresAt: z.string(),
        usageLimit: z.number().int(),
      })
      .nullable()
      .describe('null for a perk that staff fulfil'),
    createdAt: z.string(),
  })
  .meta({ id: 'Redemption' });

const customerListRowSchema = z
  .object({
    id: z.string().describe("the shop's own customer id"),
    email: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    phone: z.string().nullable().describe('E.164'),
    redacted: z.boolean().describe('erased (RODO): personal data removed'),
    pointsAvailable: z.number().int(),
    tier: z
      .object({ id: z.string(), name: z.object({ pl: z.string(), en: z.string() }) })
      .nullable()
      .describe('the tier now, a manual override first'),
    ordersCount: z.number().int().describe('paid, not cancelled orders'),
    lastOrderAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'CustomerListRow' });

export function customerRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/customers',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['customers'],
        summary:
          'Search and list customers, newest first, a page at a time (keyset: pass nextAfter as after)',
        querystring: z.object({
          q: z
            .string()
            .trim()
            .max(200)
            .optional()
            .describe(
              'the shop\'s customer id (exact), the start of an e-mail, a first or last name (no case, Polish letters with or without diacritics), "first last", or a phone number (as people write it)',
            ),
          segment: z
            .string()
            .min(1)
            .max(100)
            .optional()
            .describe('a segment id (saved or built-in): its members now'),
          tier: z.string().min(1).max(40).optional().describe('a tier id: customers in it now'),
          limit: z.coerce.number().int().min(1).max(100).default(50),
          after: z
            .string()
            .regex(/^cus_[0-9a-z]{1,40}$/, 'is not a cursor from nextAfter')
            .optional()
            .describe("the previous page's nextAfter"),
        }),
        response: {
          200: z.object({
            data: z.array(customerListRowSchema),
            nextAfter: z.string().nullable().describe('null on the last page'),
          }),
          // the segment named is not one of the shop's
          404: problemSchema,
        },
      },
    },
    async (request) => searchCustomers(ctx.db, shopOf(request), request.query, ctx.clock.now()),
  );

  r.get(
    '/v1/customers/:customerId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['customers'],
        summary:
          'A customer with points (available, pending, lifetime, expiring soon) and order totals',
        params,
        response: { 200: customerSchema },
      },
    },
    async (request) =>
      customerView(ctx.db, shopOf(request), request.params.customerId, ctx.clock.now()),
  );

  r.get(
    '/v1/customers/:customerId/ledger',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['points'],
        summary: "The customer's points ledger, newest first, every entry with its cause",
        params,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(100),
          before: z.string().optional().describe('the last entry id of the previous page'),
        }),
        response: {
          200: z.object({ data: z.array(entrySchema), nextBefore: z.string().nullable() }),
        },
      },
    },
    async (request) =>
      listLedger(ctx.db, shopOf(request), request.params.customerId, request.query),
  );

  r.post(
    '/v1/customers/:customerId/adjustments',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['points'],
        summary: 'Add or take points by hand, with a reason (the API key is recorded as the actor)',
        params,
        body: z.object({
          points: z
            .number()
            .int()
            .refine((n) => n !== 0, 'must not be 0')
            .refine((n) => Math.abs(n) <= 10_000_000, 'must be at most 10,000,000 either way'),
          reason: z.string().trim().min(1).max(500),
        }),
        // 422: taking more points than the customer has.
        response: { 201: entrySchema, 422: problemSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await adjustPoints(ctx.db, ctx.clock, shopOf(request), {
          customerId: request.params.customerId,
          points: request.body.points,
          reason: request.body.reason,
          actor: actorOf(request),
        }),
      ),
  );

  r.post(
    '/v1/customers/:customerId/redemptions',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['rewards'],
        summary: 'Spend points on a reward; issues its coupon code. 422 when points do not suffice',
        params,
        body: z.object({ rewardId: z.string().min(1).max(100) }),
        response: { 201: redemptionSchema, 422: problemSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await redeemReward(ctx.db, ctx.clock, shopOf(request), {
          customerId: request.params.customerId,
          rewardId: request.body.rewardId,
          actor: actorOf(request),
        }),
      ),
  );
}
