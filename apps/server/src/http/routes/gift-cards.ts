import { z } from 'zod';
import { amountSchema, currencySchema as currency } from '../../shared/bounds.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { actorOf, shopOf } from '../auth.ts';
import { moneySchema as money, problemSchema } from '../schemas.ts';
import { issueGiftCard } from '../../gift-cards/issue-gift-card.ts';
import {
  findGiftCard,
  giftCardTransactions,
  giftCardView,
} from '../../gift-cards/gift-card-view.ts';
import { listGiftCards } from '../../gift-cards/list-gift-cards.ts';
import { refundGiftCardSpend, spendGiftCard } from '../../gift-cards/spend-gift-card.ts';
import { newId } from '../../shared/ids.ts';

const amount = amountSchema.min(1).describe('minor units');
const params = z.object({ code: z.string().min(1).max(100) });

const cardSchema = z
  .object({
    id: z.string(),
    code: z
      .string()
      .optional()
      .describe('the full code: only in the answer to the issue, never again (it is kept hashed)'),
    pin: z
      .string()
      .optional()
      .describe('the six-digit PIN for the balance page: only in the answer to the issue'),
    maskedCode: z.string().describe('the code’s last four characters, e.g. "…7KQ2"'),
    currency: z.string(),
    balance: money,
    initialAmount: money,
    expiresAt: z.string().nullable(),
    customerId: z.string().nullable(),
    status: z.enum(['active', 'expired', 'disabled']),
  })
  .meta({ id: 'GiftCard' });

export function giftCardRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/gift-cards',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['gift cards'],
        summary:
          'Issue a gift card: value, currency, expiry; a generated code unless you bring one. The answer is the only one that shows the full code',
        body: z.object({
          amount,
          currency,
          expiresAt: z.iso.datetime({ offset: true }).optional(),
          customerId: z.string().min(1).max(255).optional(),
          code: z
            .string()
            .trim()
            .regex(/^[A-Za-z0-9-]{6,40}$/)
            .optional(),
        }),
        response: { 201: cardSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await issueGiftCard(ctx.db, ctx.clock, shopOf(request), {
          ...request.body,
          actor: actorOf(request),
        }),
      ),
  );

  r.get(
    '/v1/gift-cards',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['gift cards'],
        summary: 'The shop’s gift cards, newest first, with their balances (never the codes)',
        description:
          'Codes are kept hashed: each card shows only `maskedCode`, its last four characters. ' +
          "Page with `before` = the previous page's `nextBefore`.",
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          before: z.string().max(100).optional().describe('a card id: return cards older than it'),
        }),
        response: {
          200: z.object({
            data: z.array(
              cardSchema.omit({ code: true, pin: true }).extend({ createdAt: z.string() }),
            ),
            nextBefore: z.string().nullable(),
          }),
        },
      },
    },
    async (request) => listGiftCards(ctx.db, shopOf(request).id, request.query, ctx.clock.now()),
  );

  r.get(
    '/v1/gift-cards/:code',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['gift cards'],
        summary: 'A gift card and its balance now',
        params,
        response: { 200: cardSchema },
      },
    },
    async (request) =>
      giftCardView(ctx.db, shopOf(request).id, request.params.code, ctx.clock.now()),
  );

  r.get(
    '/v1/gift-cards/:code/transactions',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['gift cards'],
        summary: 'The card’s movements, newest first',
        params,
        response: {
          200: z.object({
            data: z.array(
              z.object({
                id: z.string(),
                type: z.string(),
                amount: money,
                balanceAfter: money,
                orderId: z.string().nullable(),
                refundOf: z.string().nullable(),
                actor: z.string().nullable(),
                createdAt: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      data: await giftCardTransactions(ctx.db, shopOf(request).id, request.params.code),
    }),
  );

  r.post(
    '/v1/gift-cards/:code/spends',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['gift cards'],
        summary: 'Spend from the card (422 when the balance does not cover it); once per orderId',
        params,
        body: z.object({ amount, currency, orderId: z.string().min(1).max(255).optional() }),
        response: {
          201: z.object({
            spendId: z.string(),
            amount: z.number().int(),
            balanceAfter: z.number().int(),
            currency: z.string(),
          }),
          422: problemSchema,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await spendGiftCard(ctx.db, ctx.clock, shopOf(request), {
          code: request.params.code,
          ...request.body,
          actor: actorOf(request),
        }),
      ),
  );

  r.post(
    '/v1/gift-cards/:code/refunds',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['gift cards'],
        summary: 'Credit a spend back to the card, in full or in part (a returned order)',
        params,
        body: z.object({ spendId: z.string(), amount: amount.optional() }),
        response: {
          201: z.object({
            refundId: z.string(),
            amount: z.number().int(),
            balanceAfter: z.number().int(),
          }),
          422: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const shop = shopOf(request);
      const entry = await ctx.db.transaction().execute(async (tx) => {
        const card = await findGiftCard(tx, shop.id, request.params.code); // 404 when unknown
        return refundGiftCardSpend(
          tx,
          shop.id,
          request.body.spendId,
          request.body.amount ?? null,
          `refund:${newId('led')}`,
          ctx.clock.now(),
          { giftCardId: card.id },
        );
      });
      if (!entry) {
        return reply.status(422).type('application/problem+json').send({
          type: '/problems/refund-too-large',
          title: 'Nothing left to refund',
          status: 422,
          detail: 'The spend has been refunded in full already.',
        });
      }
      return reply
        .status(201)
        .send({ refundId: entry.id, amount: entry.points, balanceAfter: entry.balanceAfter });
    },
  );
}
