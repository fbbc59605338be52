import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { problemSchema } from '../schemas.ts';
import { problems } from '../../shared/errors.ts';
import { createConnection, createConnectionSchema } from '../../connections/create-connection.ts';
import { connectionStatuses } from '../../connections/connection-status.ts';
import { updateConnection, updateConnectionSchema } from '../../connections/update-connection.ts';
import { removeConnection } from '../../connections/remove-connection.ts';
import { scheduleConnectionJob } from '../../connections/schedule-connection-job.ts';
import { wakeConnection } from '../../connections/wake-connection.ts';

const tags = ['connections'];
const idParams = z.object({ id: z.string().max(100) });

const statusSchema = z
  .object({
    id: z.string(),
    platform: z.string(),
    name: z.string(),
    accountName: z.string().nullable(),
    state: z.enum(['active', 'paused', 'error', 'alert', 'retrying']),
    attention: z.string().nullable().describe('what the merchant must fix when state is error'),
    settings: z.record(z.string(), z.unknown()),
    pushCodes: z.boolean(),
    pull: z.object({
      lastAt: z.string().nullable(),
      lastOkAt: z.string().nullable(),
      nextAt: z.string().nullable(),
      lagSeconds: z.number().nullable(),
      failuresInARow: z.number(),
      recordsPulled: z.number(),
    }),
    push: z.object({
      lastAt: z.string().nullable(),
      lastOkAt: z.string().nullable(),
      failuresInARow: z.number(),
      codes: z.object({
        pending: z.number(),
        created: z.number(),
        disabled: z.number(),
        failing: z.number(),
      }),
    }),
    backfill: z
      .object({
        from: z.string(),
        until: z.string().nullable(),
        earnPoints: z.boolean(),
        imported: z.number(),
        total: z.number().nullable(),
        doneAt: z.string().nullable(),
      })
      .nullable(),
    errors: z.array(
      z.object({ at: z.string(), direction: z.string(), kind: z.string(), message: z.string() }),
    ),
    createdAt: z.string(),
  })
  .meta({ id: 'Connection' });

/** A shop's connections to its platforms (connections/), and the platforms' wake-up URL. */
export function connectionRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = ctx.connections;
  const statusOf = async (shopId: string, id: string) => {
    const [status] = await connectionStatuses(deps, shopId, id);
    if (!status) throw problems.notFound(`Connection ${id}`);
    return status;
  };

  r.post(
    '/v1/connections',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary:
          'Connect a shop platform: the credentials are tested with the platform at once (422 with its reason when refused), stored encrypted and never returned; history is imported from `backfill.months` back',
        body: createConnectionSchema,
        response: {
          201: statusSchema.extend({
            hookUrl: z
              .string()
              .describe('the wake-up URL for the platform’s webhook, shown in this answer only'),
          }),
          409: problemSchema,
          422: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const shopId = shopOf(request).id;
      const { id, hookToken } = await createConnection(deps, shopId, request.body);
      await scheduleConnectionJob(ctx.db, 'connection-pull', shopId, id);
      await scheduleConnectionJob(ctx.db, 'connection-push', shopId, id);
      const status = await statusOf(shopId, id);
      return reply
        .status(201)
        .send({ ...status, hookUrl: `${ctx.config.publicUrl}/v1/hooks/${id}/${hookToken}` });
    },
  );

  r.get(
    '/v1/connections',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: "The shop's connections with their status",
        response: { 200: z.object({ data: z.array(statusSchema) }) },
      },
    },
    async (request) => ({ data: await connectionStatuses(deps, shopOf(request).id) }),
  );

  r.get(
    '/v1/connections/:id',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary:
          'A connection’s status: last successful pull and push, lag, backfill progress, codes by state, the last errors with their time',
        params: idParams,
        response: { 200: statusSchema, 404: problemSchema },
      },
    },
    async (request) => statusOf(shopOf(request).id, request.params.id),
  );

  r.patch(
    '/v1/connections/:id',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary:
          'Pause or resume a connection, or change its credentials (tested first), settings or code pushing',
        params: idParams,
        body: updateConnectionSchema,
        response: { 200: statusSchema, 404: problemSchema, 422: problemSchema },
      },
    },
    async (request) => {
      const shopId = shopOf(request).id;
      const found = await updateConnection(deps, shopId, request.params.id, request.body);
      if (!found) throw problems.notFound(`Connection ${request.params.id}`);
      await scheduleConnectionJob(ctx.db, 'connection-pull', shopId, request.params.id);
      await scheduleConnectionJob(ctx.db, 'connection-push', shopId, request.params.id);
      return statusOf(shopId, request.params.id);
    },
  );

  r.delete(
    '/v1/connections/:id',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary:
          'Remove a connection with its credentials; codes already created in the platform stay there',
        params: idParams,
        response: { 204: z.null(), 404: problemSchema },
      },
    },
    async (request, reply) => {
      const removed = await removeConnection(ctx.db, shopOf(request).id, request.params.id);
      if (!removed) throw problems.notFound(`Connection ${request.params.id}`);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/v1/connections/:id/sync',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary: 'Pull changes from the platform now, and send the codes waiting for it',
        params: idParams,
        response: { 202: statusSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const shopId = shopOf(request).id;
      const status = await statusOf(shopId, request.params.id);
      await ctx.db
        .updateTable('connections')
        .set({ next_pull_at: ctx.clock.now() })
        .where('shop_id', '=', shopId)
        .where('id', '=', request.params.id)
        .execute();
      await scheduleConnectionJob(ctx.db, 'connection-pull', shopId, status.id);
      await scheduleConnectionJob(ctx.db, 'connection-push', shopId, status.id);
      return reply.status(202).send(await statusOf(shopId, status.id));
    },
  );

  r.post(
    '/v1/hooks/:connectionId/:token',
    {
      config: { auth: 'none', rateClass: 'public' },
      bodyLimit: 64 * 1024,
      schema: {
        tags,
        summary:
          "A platform's unsigned webhook (Dotykačka) at the connection's secret URL: never trusted, it only makes the connection pull now",
        params: z.object({ connectionId: z.string().max(100), token: z.string().max(200) }),
        response: { 202: z.object({ status: z.literal('scheduled') }), 404: problemSchema },
      },
    },
    async (request, reply) => {
      const woken = await wakeConnection(
        ctx.db,
        request.params.connectionId,
        request.params.token,
        ctx.clock.now(),
      );
      if (!woken) throw problems.notFound('This hook');
      await scheduleConnectionJob(
        ctx.db,
        'connection-pull',
        woken.shopId,
        request.params.connectionId,
      );
      return reply.status(202).send({ status: 'scheduled' as const });
    },
  );
}
