import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { problemSchema } from '../schemas.ts';
import { listAuditLog } from '../../audit/list-audit-log.ts';

const entrySchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.object({
      type: z.enum(['user', 'api_key', 'staff', 'system']),
      id: z.string().nullable(),
      name: z.string().nullable(),
    }),
    action: z.string().describe('the route that wrote, e.g. "PUT /v1/rewards/:rewardId"'),
    target: z.object({ type: z.string().nullable(), id: z.string().nullable() }),
    before: z.unknown().optional().describe('configuration writes: the state before'),
    after: z.unknown().optional().describe('configuration writes: the state after'),
    unconfirmed: z
      .literal(true)
      .optional()
      .describe(
        'the write was announced but its answer never seen (a crash, the database lost): it may or may not have taken effect',
      ),
  })
  .meta({ id: 'AuditEntry' });

export function auditLogRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/audit-log',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['merchant accounts'],
        summary: 'Every write in the shop by a person, a key, staff or the system, newest first',
        description:
          "Entries are append-only. Page with `before` = the previous page's `nextBefore`.",
        querystring: z.object({
          from: z.iso.datetime({ offset: true }).optional().describe('at or after'),
          to: z.iso.datetime({ offset: true }).optional().describe('before'),
          actor: z
            .string()
            .max(100)
            .optional()
            .describe('an actor id (usr_…, key_…, stf_…) or a kind: user, api_key, staff, system'),
          action: z.string().max(300).optional().describe('e.g. "POST /v1/rewards"'),
          before: z
            .string()
            .regex(/^\d{1,18}$/, 'an entry id')
            .optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({ data: z.array(entrySchema), nextBefore: z.string().nullable() }),
          403: problemSchema,
        },
      },
    },
    async (request) => {
      const q = request.query;
      return listAuditLog(ctx.db, shopOf(request).id, {
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        actor: q.actor,
        action: q.action,
        before: q.before === undefined ? undefined : Number(q.before),
        limit: q.limit,
      });
    },
  );
}
