import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { problemSchema } from '../schemas.ts';
import { storefrontCustomerOf, storefrontShopOf } from '../storefront-auth.ts';
import { publicAnswer, storefrontLocale, storefrontParams } from './storefront-common.ts';
import { showSocialProof, socialProofCacheFor } from '../../social-proof/show-social-proof.ts';
import { nameConsentOf, recordNameConsent } from '../../social-proof/name-consent.ts';
import { storefrontCustomerId } from '../../storefront/storefront-customer-id.ts';
import { problems } from '../../shared/errors.ts';

const consentSchema = z
  .object({
    granted: z.boolean(),
    changedAt: z.string().nullable().describe('null: never answered, which counts as no'),
  })
  .meta({ id: 'StorefrontSocialProofConsent' });

const noteSchema = z
  .object({
    kind: z.enum(['bought_today', 'recent_city', 'recent_name']),
    text: z.string().describe('the sentence to show, in the language asked for'),
    count: z.number().int().optional().describe('bought_today: distinct customers today'),
    city: z.string().optional().describe('recent_city: the city, as the orders wrote it'),
    firstName: z
      .string()
      .optional()
      .describe('recent_name: only of a customer who consented, only when the shop shows names'),
  })
  .meta({ id: 'SocialProofNote' });

/** Social proof for a product page: aggregates of real orders, nothing that names a person. */
export function storefrontSocialProofRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const cache = socialProofCacheFor(ctx.db);

  r.get(
    '/storefront/v1/shops/:shopId/social-proof',
    {
      config: { auth: 'storefront' },
      schema: {
        tags: ['storefront'],
        summary: "What a product page may say about the product's buyers",
        description:
          'Messages built from paid orders that were not cancelled or refunded in full: how ' +
          "many distinct customers bought the product today (the shop's day, in its time " +
          'zone), the city it was lately bought in; never when fewer customers than the ' +
          "shop's threshold (at least 3) are behind it. A first name only when the shop " +
          'turned names on and that customer consented. Empty when the shop has social ' +
          'proof switched off. Counts are kept for a minute.',
        security: [],
        params: storefrontParams,
        querystring: z.object({
          product: z.string().min(1).max(255).describe("the shop's own product id"),
          locale: z.enum(['pl', 'en']).optional().describe('else Accept-Language, else the shop'),
        }),
        response: {
          200: z.object({ messages: z.array(noteSchema) }),
          404: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const shop = storefrontShopOf(request);
      const messages = await showSocialProof(ctx.db, ctx.clock, {
        shop,
        productId: request.query.product,
        locale: storefrontLocale(request, shop),
        cache,
      });
      publicAnswer(reply);
      return { messages };
    },
  );

  r.get(
    '/storefront/v1/shops/:shopId/me/social-proof-consent',
    {
      config: { auth: 'customer' },
      schema: {
        tags: ['storefront'],
        summary:
          'Whether the signed-in customer lets the shop show their first name in social proof',
        security: [{ customerToken: [] }],
        params: storefrontParams,
        response: { 200: consentSchema, 401: problemSchema },
      },
    },
    async (request) => {
      const shop = storefrontShopOf(request);
      const found = await storefrontCustomerId(
        ctx.db,
        ctx.inbox,
        shop,
        storefrontCustomerOf(request),
        ctx.clock.now(),
      );
      if (found.state !== 'known') return { granted: false, changedAt: null };
      return nameConsentOf(ctx.db, shop.id, found.id);
    },
  );

  r.post(
    '/storefront/v1/shops/:shopId/me/social-proof-consent',
    {
      config: { auth: 'customer', idempotent: true },
      schema: {
        tags: ['storefront'],
        summary: "The signed-in customer's own answer: show my first name in social proof, or not",
        description:
          'Kept with its proof (the text shown, the time, the client address and browser) in ' +
          "the customer's consent history. A withdrawal given here always becomes the current " +
          'answer. 409 while a customer the token introduced is still being created.',
        security: [{ customerToken: [] }],
        params: storefrontParams,
        body: z.strictObject({
          granted: z.boolean(),
          textShown: z.string().trim().min(1).max(2000).describe('the exact text the person saw'),
        }),
        response: { 201: consentSchema, 401: problemSchema, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const shop = storefrontShopOf(request);
      const customer = storefrontCustomerOf(request);
      const found = await storefrontCustomerId(ctx.db, ctx.inbox, shop, customer, ctx.clock.now());
      if (found.state !== 'known') {
        throw problems.conflict('Your account is being created; try again in a moment.');
      }
      const answer = await recordNameConsent(ctx.db, ctx.clock, {
        shopId: shop.id,
        externalId: customer.externalId,
        granted: request.body.granted,
        textShown: request.body.textShown,
        source: 'storefront',
        clientAddress: request.ip,
        userAgent: request.headers['user-agent']?.slice(0, 500) ?? null,
      });
      cache.forgetShop(shop.id);
      return reply.status(201).send(answer);
    },
  );
}
