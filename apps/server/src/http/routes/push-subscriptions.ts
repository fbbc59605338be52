import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { revokePushSubscription } from '../../automations/revoke-push-subscription.ts';
import { savePushSubscription } from '../../automations/save-push-subscription.ts';
import { publicOutbound } from '../../messaging/outbound-url.ts';
import { customerParams } from './messaging-schemas.ts';

const tags = ['messaging'];

const base64url = (bytes: number, what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'URL-safe base64')
    .refine((v) => Buffer.from(v, 'base64url').length === bytes, `${what} of ${bytes} bytes`);

/** The browsers a customer allowed to receive the shop's web push. */
export function pushSubscriptionRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/customers/:customerId/push-subscriptions',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary:
          "Record a browser's push subscription (PushSubscription.toJSON()); the same endpoint again updates it and makes it live",
        params: customerParams,
        body: z.object({
          endpoint: z.url({ protocol: /^https$/, hostname: z.regexes.domain }).max(2000),
          keys: z.object({
            p256dh: base64url(65, 'a P-256 public key'),
            auth: base64url(16, 'an auth secret'),
          }),
          userAgent: z.string().max(500).optional(),
        }),
        response: {
          201: z.object({
            id: z.string(),
            customerId: z.string(),
            endpoint: z.string(),
            createdAt: z.string(),
          }),
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await savePushSubscription(
            ctx.db,
            ctx.clock,
            shopOf(request).id,
            request.params.customerId,
            request.body,
            publicOutbound(ctx.config.outboundPorts),
          ),
        ),
  );

  r.delete(
    '/v1/customers/:customerId/push-subscriptions',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: 'Stop push to one browser of the customer',
        params: customerParams,
        querystring: z.object({ endpoint: z.string().min(1).max(2000) }),
        response: {
          200: z.object({
            id: z.string(),
            customerId: z.string(),
            endpoint: z.string(),
            revokedAt: z.string(),
          }),
        },
      },
    },
    async (request) =>
      revokePushSubscription(
        ctx.db,
        ctx.clock,
        shopOf(request).id,
        request.params.customerId,
        request.query.endpoint,
      ),
  );
}
