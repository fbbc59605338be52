import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { actorOf, shopOf } from '../auth.ts';
import { problems } from '../../shared/errors.ts';
import { erasureDelivery } from '../../ingest/api-event.ts';

/**
 * A person's request to erase a customer (RODO Art. 17), from the dashboard or an integration.
 * It goes through the event log as a `customer.erased` event, so it is ordered with the
 * customer's other events and applied by the same redaction as a platform's own request
 * (Shopify `customers/redact`): personal fields cleared, raw deliveries scrubbed, messages held
 * back, orders and points kept without the person. Who asked, and why, is in the audit log.
 */
export function customerErasureRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/customers/:customerId/erasure',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['customers'],
        summary: "Erase a customer's personal data (RODO Art. 17); applied in the background",
        description:
          'Answers 202 once the request is stored; `GET /v1/events/{id}` shows when it is applied. Orders and points stay, without the person.',
        params: z.object({ customerId: z.string().min(1).max(255) }),
        body: z.object({
          reason: z
            .string()
            .trim()
            .min(3)
            .max(500)
            .describe(
              'why, for the audit log, which keeps it for good: say how the request came ("asked by e-mail on 3 Dec"), never who the person is',
            ),
        }),
        response: {
          202: z.object({
            id: z
              .string()
              .describe('the request, an event: GET /v1/events/{id} shows when it is applied'),
            status: z.literal('accepted'),
            customerId: z.string(),
            reason: z.string().describe('as given: kept in the audit log'),
          }),
        },
      },
    },
    async (request, reply) => {
      const shop = shopOf(request);
      const { customerId } = request.params;
      const known = await ctx.db
        .selectFrom('customers')
        .select('id')
        .where('shop_id', '=', shop.id)
        .where('external_id', '=', customerId)
        .executeTakeFirst();
      if (!known) throw problems.notFound('The customer');
      const stored = await ctx.inbox.write(
        erasureDelivery(shop.id, customerId, ctx.clock.now(), {
          by: actorOf(request),
          basis: 'RODO art. 17 request',
          reason: request.body.reason,
        }),
      );
      return reply.status(202).send({
        id: stored.eventId,
        status: 'accepted' as const,
        customerId,
        reason: request.body.reason,
      });
    },
  );
}
