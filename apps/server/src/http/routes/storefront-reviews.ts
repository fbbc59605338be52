import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { problemSchema } from '../schemas.ts';
import { storefrontShopOf } from '../storefront-auth.ts';
import { publicAnswer, storefrontLocale, storefrontParams } from './storefront-common.ts';
import { REVIEW_SORTS, showProductReviews } from '../../reviews/show-product-reviews.ts';

const ratingSchema = z
  .object({
    average: z.number().nullable().describe('rounded to two decimals; null without reviews'),
    count: z.number().int(),
    histogram: z.object({
      '1': z.number().int(),
      '2': z.number().int(),
      '3': z.number().int(),
      '4': z.number().int(),
      '5': z.number().int(),
    }),
  })
  .meta({ id: 'RatingSummary' });

const shownReviewSchema = z
  .object({
    id: z.string(),
    rating: z.number().int().min(1).max(5),
    title: z.string().nullable(),
    body: z.string().nullable(),
    author: z.string().nullable().describe('first name and initial ("Anna K."); null if erased'),
    date: z.string().describe('the day it was published, YYYY-MM-DD'),
    photoUrls: z.array(z.string()),
  })
  .meta({ id: 'StorefrontReview' });

/** The reviews block of a product page, and the JSON-LD that gives search results stars. */
export function storefrontReviewRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/storefront/v1/shops/:shopId/reviews',
    {
      config: { auth: 'storefront' },
      schema: {
        tags: ['storefront'],
        summary: "A product's approved reviews with its rating and the shop's, and their JSON-LD",
        description:
          'Approved reviews only, a page at a time: newest first, highest or lowest rating ' +
          'first, or those with photos first. Without product, the reviews of the shop itself. ' +
          'jsonLd is a schema.org Product with AggregateRating and the Reviews of the page, ' +
          'for a <script type="application/ld+json">.',
        security: [],
        params: storefrontParams,
        querystring: z.object({
          product: z.string().min(1).max(255).optional().describe("the shop's own product id"),
          sort: z.enum(REVIEW_SORTS as ['newest', 'highest', 'lowest', 'photos']).default('newest'),
          page: z.coerce.number().int().min(1).max(1000).default(1),
          pageSize: z.coerce.number().int().min(1).max(50).default(10),
          locale: z.enum(['pl', 'en']).optional().describe('else Accept-Language, else the shop'),
        }),
        response: {
          200: z.object({
            product: z
              .object({ id: z.string(), name: z.string().nullable(), rating: ratingSchema })
              .nullable(),
            shop: z.object({ id: z.string(), name: z.string(), rating: ratingSchema }),
            reviews: z.array(shownReviewSchema),
            page: z.number().int(),
            pageSize: z.number().int(),
            total: z.number().int(),
            totalPages: z.number().int(),
            jsonLd: z.record(z.string(), z.unknown()).nullable(),
          }),
          404: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const shop = storefrontShopOf(request);
      const q = request.query;
      const shown = await showProductReviews(ctx.db, {
        shopId: shop.id,
        shopName: shop.name,
        productId: q.product ?? null,
        sort: q.sort,
        page: q.page,
        pageSize: q.pageSize,
        publicUrl: ctx.config.publicUrl,
        locale: storefrontLocale(request, shop),
      });
      publicAnswer(reply);
      return shown;
    },
  );
}
