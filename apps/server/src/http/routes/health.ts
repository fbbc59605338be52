import { sql } from 'kysely';
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { problems } from '../../shared/errors.ts';

export function healthRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/health',
    {
      // Load balancers and probes call it from one address all day: never rate-limited.
      config: { rateClass: 'none' },
      schema: {
        tags: ['operations'],
        summary: 'Liveness and readiness: 200 once the database is reachable and migrated',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => {
      try {
        await sql`SELECT 1 FROM schema_migrations LIMIT 1`.execute(ctx.db);
      } catch {
        throw problems.unavailable('The database is not reachable.');
      }
      return { status: 'ok' as const };
    },
  );
  r.get(
    '/metrics',
    {
      config: { auth: 'metrics' },
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (text format)',
        description:
          'Authorization: Bearer <LOJAL_METRICS_TOKEN>, or LOJAL_ADMIN_TOKEN when no metrics ' +
          'token is set; with neither set, 401.',
        security: [{ metricsToken: [] }],
      },
    },
    async (_request, reply) => {
      const text = await ctx.metrics.registry.metrics();
      return reply.type(ctx.metrics.registry.contentType).send(text);
    },
  );
}
