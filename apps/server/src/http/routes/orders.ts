import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { problems } from '../../shared/errors.ts';
import { findOrder, orderSchema } from '../../orders/find-order.ts';

export function orderRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/orders/:orderId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['orders'],
        summary: "An order by the shop's own order id, as Lojal normalised it",
        params: z.object({ orderId: z.string() }),
        response: { 200: orderSchema },
      },
    },
    async (request) => {
      const order = await findOrder(ctx.db, shopOf(request).id, request.params.orderId);
      if (!order) throw problems.notFound(`Order ${request.params.orderId}`);
      return order;
    },
  );
}
