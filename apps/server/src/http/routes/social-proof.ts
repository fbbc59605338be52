import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { problemSchema } from '../schemas.ts';
import { refuseFutureTimes } from '../../shared/client-time.ts';
import { findCustomerId } from '../../customers/find-customer-id.ts';
import {
  loadSocialProofSettings,
  MIN_CUSTOMERS_FLOOR,
  saveSocialProofSettings,
} from '../../social-proof/social-proof-settings.ts';
import { nameConsentOf, recordNameConsent } from '../../social-proof/name-consent.ts';
import { socialProofCacheFor } from '../../social-proof/show-social-proof.ts';
import { customerParams } from './messaging-schemas.ts';

const tags = ['social proof'];

const settingsSchema = z
  .object({
    enabled: z.boolean().describe('shown on the storefront at all (off until turned on)'),
    minCustomers: z
      .number()
      .int()
      .min(MIN_CUSTOMERS_FLOOR)
      .max(1000)
      .describe('fewer distinct customers than this behind a message and it is not shown'),
    recentDays: z.number().int().min(1).max(90).describe('how far back "recently" reaches'),
    showFirstNames: z
      .boolean()
      .describe('show first names of customers who consented (recent_name); nobody else is named'),
    messages: z
      .array(z.enum(['bought_today', 'recent_city', 'recent_name']))
      .max(3)
      .describe('which messages: bought_today, recent_city, recent_name'),
  })
  .meta({ id: 'SocialProofSettings' });

const consentSchema = z
  .object({
    granted: z.boolean(),
    changedAt: z.string().nullable().describe('null: never answered, which counts as no'),
  })
  .meta({ id: 'SocialProofConsent' });

/** The merchant's social-proof settings and the customer's consent to be named in it. */
export function socialProofRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const cache = socialProofCacheFor(ctx.db);

  r.get(
    '/v1/social-proof/settings',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: 'Social-proof settings: on or off, threshold, which messages, first names',
        response: { 200: settingsSchema },
      },
    },
    async (request) => loadSocialProofSettings(ctx.db, shopOf(request).id),
  );

  r.put(
    '/v1/social-proof/settings',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: 'Change the social-proof settings (fields left out keep their values)',
        description:
          'minCustomers is never below 3: a count of fewer customers could point at one ' +
          'person. First names appear only with showFirstNames, recent_name among the ' +
          "messages, and the customer's own consent (POST /v1/customers/{id}/social-proof-consent).",
        body: settingsSchema.partial(),
        response: { 200: settingsSchema },
      },
    },
    async (request) => {
      const shopId = shopOf(request).id;
      const saved = await saveSocialProofSettings(ctx.db, ctx.clock, { shopId, ...request.body });
      cache.forgetShop(shopId);
      return saved;
    },
  );

  r.get(
    '/v1/customers/:customerId/social-proof-consent',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: 'Whether the customer agreed to have their first name shown in social proof',
        params: customerParams,
        response: { 200: consentSchema, 404: problemSchema },
      },
    },
    async (request) => {
      const shopId = shopOf(request).id;
      const customerId = await findCustomerId(ctx.db, shopId, request.params.customerId);
      return nameConsentOf(ctx.db, shopId, customerId);
    },
  );

  r.post(
    '/v1/customers/:customerId/social-proof-consent',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary:
          "Record the customer's answer to showing their first name in social proof, with the text they saw",
        description:
          'Kept as a consent (channel storefront, purpose social_proof) with its proof in the ' +
          "customer's consent history. Without a recorded yes no name is shown.",
        params: customerParams,
        body: z.object({
          granted: z.boolean(),
          textShown: z.string().trim().min(1).max(5000).describe('the exact text the person saw'),
          clientAddress: z.union([z.ipv4(), z.ipv6()]).optional(),
          userAgent: z.string().max(500).optional(),
          at: z.iso
            .datetime({ offset: true })
            .optional()
            .describe('when the person answered; not in the future (5 minutes of skew allowed)'),
        }),
        response: { 201: consentSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const shopId = shopOf(request).id;
      const body = request.body;
      refuseFutureTimes(ctx.clock.now(), [{ path: 'at', at: body.at }]);
      const answer = await recordNameConsent(ctx.db, ctx.clock, {
        shopId,
        externalId: request.params.customerId,
        granted: body.granted,
        textShown: body.textShown,
        source: 'api',
        clientAddress: body.clientAddress ?? null,
        userAgent: body.userAgent ?? null,
        ...(body.at && { at: new Date(body.at) }),
      });
      // A withdrawal takes effect on this process's next answer, not a minute later.
      cache.forgetShop(shopId);
      return reply.status(201).send(answer);
    },
  );
}
