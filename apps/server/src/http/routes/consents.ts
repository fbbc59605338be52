import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { refuseFutureTimes } from '../../shared/client-time.ts';
import { findCustomerId } from '../../customers/find-customer-id.ts';
import { createPreferencesLink } from '../../automations/create-preferences-link.ts';
import { customerConsents, recordConsents } from '../../automations/manage-consents.ts';
import { channel, customerParams } from './messaging-schemas.ts';

const tags = ['messaging'];
const purpose = z.enum(['marketing', 'loyalty', 'feedback']);

const consentsSchema = z
  .object({
    consents: z.array(
      z.object({
        channel,
        purpose,
        granted: z.boolean(),
        source: z.enum(['recorded', 'default']),
        changedAt: z.string().nullable(),
      }),
    ),
    history: z.array(
      z.object({
        id: z.string(),
        channel: z.string(),
        purpose: z.string(),
        granted: z.boolean(),
        source: z.string(),
        textShown: z.string().nullable(),
        clientAddress: z.string().nullable(),
        userAgent: z.string().nullable(),
        messageId: z.string().nullable(),
        page: z.string().nullable().describe('where it was given (a pop-up: the page address)'),
        occurredAt: z.string(),
      }),
    ),
  })
  .meta({ id: 'CustomerConsents' });

/** A customer's consent per channel and purpose, and the link to their preferences page. */
export function consentRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/customers/:customerId/consents',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary:
          'Consent per channel and purpose (the recorded answer or the default) and the history with its proof',
        params: customerParams,
        response: { 200: consentsSchema },
      },
    },
    async (request) => {
      const shopId = shopOf(request).id;
      const customerId = await findCustomerId(ctx.db, shopId, request.params.customerId);
      return customerConsents(ctx.db, shopId, customerId);
    },
  );

  r.post(
    '/v1/customers/:customerId/consents',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary:
          'Record consent answers given in the shop (a checkout checkbox, a POS) with their proof: the exact text the person saw',
        params: customerParams,
        body: z.object({
          changes: z
            .array(
              z.object({
                channel,
                purpose,
                granted: z.boolean(),
                textShown: z.string().trim().min(1).max(5000),
                clientAddress: z.union([z.ipv4(), z.ipv6()]).optional(),
                userAgent: z.string().max(500).optional(),
                at: z.iso
                  .datetime({ offset: true })
                  .optional()
                  .describe(
                    'when the person answered; not in the future (5 minutes of clock skew allowed)',
                  ),
              }),
            )
            .min(1)
            .max(20),
        }),
        response: { 201: consentsSchema },
      },
    },
    async (request, reply) => {
      const shopId = shopOf(request).id;
      refuseFutureTimes(
        ctx.clock.now(),
        request.body.changes.map((c, i) => ({ path: `changes.${i}.at`, at: c.at })),
      );
      const customerId = await recordConsents(
        ctx.db,
        ctx.clock,
        shopId,
        request.params.customerId,
        request.body.changes.map((c) => ({
          channel: c.channel,
          purpose: c.purpose,
          granted: c.granted,
          source: 'api' as const,
          textShown: c.textShown,
          clientAddress: c.clientAddress ?? null,
          userAgent: c.userAgent ?? null,
          ...(c.at ? { at: new Date(c.at) } : {}),
        })),
      );
      return reply.status(201).send(await customerConsents(ctx.db, shopId, customerId));
    },
  );

  r.get(
    '/v1/customers/:customerId/preferences-link',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary:
          "A signed link to the customer's preferences page, for the shop's own e-mails (valid for a year)",
        params: customerParams,
        response: {
          200: z.object({ url: z.string(), expiresAt: z.string() }),
        },
      },
    },
    async (request) =>
      createPreferencesLink(
        ctx.db,
        ctx.clock,
        ctx.box,
        ctx.config.publicUrl,
        shopOf(request).id,
        request.params.customerId,
      ),
  );
}
