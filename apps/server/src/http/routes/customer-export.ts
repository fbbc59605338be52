import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { problemSchema } from '../schemas.ts';
import { exportCustomerData } from '../../customers/export-customer-data.ts';

/** What `exportCustomerData` gives, for the OpenAPI description. */
export const customerExportSchema = z
  .object({
    exportedAt: z.string(),
    shop: z.object({ id: z.string(), name: z.string() }),
    customerId: z.string().describe("the shop's own customer id"),
    data: z.array(
      z.object({
        kind: z.string(),
        purpose: z.string(),
        records: z
          .record(z.string(), z.array(z.record(z.string(), z.unknown())))
          .describe('rows by table'),
      }),
    ),
  })
  .meta({ id: 'CustomerExport' });

/**
 * A customer's request for their data (RODO Art. 15 and 20), answered by the shop: the same
 * export the customer downloads themselves from the customer portal.
 */
export function customerExportRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/customers/:customerId/export',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['customers'],
        summary: 'Every personal datum Lojal holds about a customer (RODO Art. 15 and 20)',
        description:
          'Grouped by kind (profile, orders, points, stamps, coupons, referrals, consents, messages, surveys, reviews, notes and tasks, visits), each with its purpose; the customer\'s rows as stored, binary contents listed by size. The customer portal\'s "download my data" gives the same.',
        params: z.object({ customerId: z.string().min(1).max(255) }),
        response: {
          200: customerExportSchema,
          404: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const data = await exportCustomerData(ctx.db, ctx.clock, {
        shopId: shopOf(request).id,
        externalId: request.params.customerId,
      });
      return reply.header('cache-control', 'no-store').send(data);
    },
  );
}
