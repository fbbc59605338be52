import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { problemSchema } from '../schemas.ts';
import { createWebhookEndpoint } from '../../automations/create-webhook-endpoint.ts';
import { disableWebhookEndpoint } from '../../automations/disable-webhook-endpoint.ts';
import { listWebhookEndpoints } from '../../automations/list-webhook-endpoints.ts';
import { publicOutbound } from '../../messaging/outbound-url.ts';
import { rotateWebhookEndpointSecret } from '../../automations/rotate-webhook-endpoint-secret.ts';

const tags = ['messaging'];
const endpointParams = z.object({ id: z.string().max(100) });

const endpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    status: z.enum(['active', 'disabled']),
    createdAt: z.string(),
  })
  .meta({ id: 'WebhookEndpoint' });
const endpointWithSecret = endpointSchema.extend({
  secret: z.string().describe('shown in this answer only'),
});

/** The shop's URLs that flows' webhook steps deliver to, each with its signing secret. */
export function webhookEndpointRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/webhook-endpoints',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary:
          "Register a URL for flows' webhook steps; the signing secret is shown once. Hosts that are not public, and ports other than LOJAL_OUTBOUND_PORTS (80, 443), are refused with 422",
        body: z.object({ url: z.string().max(2000) }),
        response: { 201: endpointWithSecret, 422: problemSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await createWebhookEndpoint(ctx.db, ctx.clock, ctx.box, shopOf(request).id, request.body, {
          policy: publicOutbound(ctx.config.outboundPorts),
        }),
      ),
  );

  r.get(
    '/v1/webhook-endpoints',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: 'The webhook endpoints, without their secrets',
        response: { 200: z.object({ data: z.array(endpointSchema) }) },
      },
    },
    async (request) => ({ data: await listWebhookEndpoints(ctx.db, shopOf(request).id) }),
  );

  r.post(
    '/v1/webhook-endpoints/:id/disable',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary: 'Stop deliveries to an endpoint',
        params: endpointParams,
        response: { 200: endpointSchema },
      },
    },
    async (request) => disableWebhookEndpoint(ctx.db, shopOf(request).id, request.params.id),
  );

  r.post(
    '/v1/webhook-endpoints/:id/rotate-secret',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary: 'A new signing secret, shown once; deliveries use it from now on',
        params: endpointParams,
        response: { 200: endpointWithSecret },
      },
    },
    async (request) =>
      rotateWebhookEndpointSecret(ctx.db, ctx.box, shopOf(request).id, request.params.id),
  );
}
