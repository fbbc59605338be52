import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { problemSchema } from '../schemas.ts';
import { storefrontLocale, storefrontParams, storefrontShop } from './storefront-common.ts';
import { showSocialProof, socialProofCacheFor } from '../../social-proof/show-social-proof.ts';

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
      config: { auth: 'none', rateClass: 'public' },
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
      const shop = await storefrontShop(ctx, request);
      const messages = await showSocialProof(ctx.db, ctx.clock, {
        shop,
        productId: request.query.product,
        locale: storefrontLocale(request, shop),
        cache,
      });
      // The same for every visitor: shared caches may keep it as long as Lojal does.
      reply.header('cache-control', 'public, max-age=60');
      reply.header('vary', 'Accept-Language');
      return { messages };
    },
  );
}
