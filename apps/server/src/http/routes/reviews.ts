import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { actorOf, shopOf } from '../auth.ts';
import { localeSchema, problemSchema } from '../schemas.ts';
import { Problem, problems } from '../../shared/errors.ts';
import { isLocale } from '../../shared/i18n.ts';
import { findCustomerId } from '../../customers/find-customer-id.ts';
import { createReviewRequest } from '../../reviews/create-review-request.ts';
import { readReviewToken } from '../../reviews/review-links.ts';
import { loadReviewForm } from '../../reviews/load-review-form.ts';
import { readReviewForm } from '../../reviews/read-review-form.ts';
import { reviewPage } from '../../reviews/review-page.ts';
import { readPhotoDataUrl, PHOTO_MAX_BYTES } from '../../reviews/review-photo.ts';
import { REVIEW_BODY_MAX, REVIEW_TITLE_MAX, submitReview } from '../../reviews/submit-review.ts';
import { approveReview, rejectReview } from '../../reviews/moderate-review.ts';
import { replyToReview } from '../../reviews/reply-to-review.ts';
import { authenticateShopMember } from '../session-auth.ts';
import { listProductReviews, listReviews } from '../../reviews/list-reviews.ts';
import { findReviewPhoto } from '../../reviews/find-review-photo.ts';
import { reviewView } from '../../reviews/review-view.ts';
import { formFields, sendNotFound, sendPage } from '../public-page-reply.ts';

// A 2 MB photo is ~2.7 MB as base64, a little more once form-encoded.
const PHOTO_BODY_LIMIT = Math.ceil(PHOTO_MAX_BYTES * 1.5) + 256 * 1024;
const externalId = z.string().min(1).max(255);
const statusSchema = z.enum(['pending', 'approved', 'rejected']);

const reviewSchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    target: z.enum(['product', 'shop']),
    productId: z.string().nullable(),
    rating: z.number().int(),
    title: z.string().nullable(),
    body: z.string().nullable(),
    photoUrl: z.string().nullable(),
    hasPhoto: z.boolean(),
    status: statusSchema,
    moderationNote: z.string().nullable(),
    moderatedAt: z.string().nullable(),
    requestId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    reply: z.string().nullable().describe("the shop's public reply"),
    repliedAt: z.string().nullable(),
  })
  .meta({ id: 'Review' });

// Tokens outgrow the router's 100-character limit on named parameters; a wildcard has none.
const tokenParams = z.object({ '*': z.string().max(2000).describe('the signed token') });
const reviewParams = z.object({ reviewId: z.string().min(1).max(64) });

const newReviewSchema = z
  .object({
    customerId: externalId.describe("the shop's own customer id"),
    productId: externalId.optional().describe("the shop's own product id"),
    target: z.enum(['product', 'shop']).optional().describe('"shop" for a review of the shop'),
    rating: z.number().int().min(1).max(5),
    title: z.string().trim().max(REVIEW_TITLE_MAX).optional(),
    body: z.string().trim().max(REVIEW_BODY_MAX).optional(),
    photoUrl: z
      .url({ protocol: /^https$/, hostname: z.regexes.domain })
      .max(2000)
      .optional()
      .describe('an https address of the photo'),
    photo: z
      .string()
      .optional()
      .describe('an uploaded photo as a data URL: image/jpeg, image/png or image/webp, ≤ 2 MB'),
  })
  .superRefine((body, issue) => {
    const shop = body.target === 'shop';
    if (shop && body.productId !== undefined) {
      issue.addIssue({
        code: 'custom',
        path: ['productId'],
        message: 'must be left out for a review of the shop',
      });
    }
    if (!shop && body.productId === undefined) {
      issue.addIssue({
        code: 'custom',
        path: ['productId'],
        message: 'is required unless target is "shop"',
      });
    }
    if (body.photo !== undefined && body.photoUrl !== undefined) {
      issue.addIssue({
        code: 'custom',
        path: ['photo'],
        message: 'send either photo or photoUrl, not both',
      });
    }
  });

export function reviewRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const view = (row: Parameters<typeof reviewView>[0], customerId: string) =>
    reviewView(row, customerId, ctx.config.publicUrl);

  r.post(
    '/v1/review-requests',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['reviews'],
        summary: 'Ask a customer to review products and the shop: one signed link to a form page',
        description: 'Without productIds, the products of orderId are asked about.',
        body: z.object({
          customerId: externalId,
          orderId: externalId.optional(),
          productIds: z.array(externalId).max(50).optional(),
          locale: localeSchema.optional(),
        }),
        response: {
          404: problemSchema,
          201: z.object({
            requestId: z.string(),
            url: z.string(),
            productIds: z.array(z.string()),
            expiresAt: z.string(),
          }),
        },
      },
    },
    async (request, reply) => {
      const shop = shopOf(request);
      const { customerId, orderId, productIds, locale } = request.body;
      const made = await createReviewRequest(ctx.db, ctx.clock, ctx.box, {
        shopId: shop.id,
        customerId: await findCustomerId(ctx.db, shop.id, customerId),
        publicUrl: ctx.config.publicUrl,
        locale: locale ?? (isLocale(shop.locale) ? shop.locale : 'pl'),
        ...(orderId !== undefined && { orderId }),
        ...(productIds !== undefined && { productIds }),
      });
      return reply.status(201).send({ ...made, expiresAt: made.expiresAt.toISOString() });
    },
  );

  r.post(
    '/v1/reviews',
    {
      config: { auth: 'shop', idempotent: true },
      bodyLimit: PHOTO_BODY_LIMIT,
      schema: {
        tags: ['reviews'],
        summary: 'A review written on the storefront; it waits for moderation',
        body: newReviewSchema,
        response: { 201: reviewSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const shop = shopOf(request);
      const body = request.body;
      let photo = null;
      if (body.photo !== undefined) {
        const check = readPhotoDataUrl(body.photo);
        if (!check.ok) throw problems.validation([{ path: 'photo', message: check.message }]);
        photo = check.photo;
      }
      const row = await submitReview(ctx.db, ctx.clock, {
        shopId: shop.id,
        customerId: await findCustomerId(ctx.db, shop.id, body.customerId),
        productId: body.target === 'shop' ? null : body.productId!,
        rating: body.rating,
        title: body.title ?? null,
        body: body.body ?? null,
        photoUrl: body.photoUrl ?? null,
        photo,
      });
      return reply.status(201).send(view(row, body.customerId));
    },
  );

  r.get(
    '/v1/reviews',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['reviews'],
        summary: 'Reviews by status for moderation; pending oldest first, others newest first',
        querystring: z.object({
          status: statusSchema.default('pending'),
          productId: externalId.optional(),
          cursor: z.string().max(64).optional().describe('nextCursor of the previous page'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({ data: z.array(reviewSchema), nextCursor: z.string().nullable() }),
        },
      },
    },
    async (request) =>
      listReviews(ctx.db, {
        shopId: shopOf(request).id,
        ...request.query,
        publicUrl: ctx.config.publicUrl,
      }),
  );

  r.get(
    '/v1/reviews/:reviewId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['reviews'],
        summary: 'One review',
        params: reviewParams,
        response: { 200: reviewSchema },
      },
    },
    async (request) => {
      const row = await ctx.db
        .selectFrom('reviews as r')
        .innerJoin('customers as c', (j) =>
          j.onRef('c.shop_id', '=', 'r.shop_id').onRef('c.id', '=', 'r.customer_id'),
        )
        .selectAll('r')
        .select('c.external_id')
        .where('r.shop_id', '=', shopOf(request).id)
        .where('r.id', '=', request.params.reviewId)
        .executeTakeFirst();
      if (!row) throw problems.notFound(`Review ${request.params.reviewId}`);
      return view(row, row.external_id);
    },
  );

  r.post(
    '/v1/reviews/:reviewId/approve',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['reviews'],
        summary: 'Publish a review (also a rejected one); the review rule gives its points once',
        params: reviewParams,
        response: { 200: reviewSchema.extend({ eventId: z.string() }) },
      },
    },
    async (request) => {
      const done = await approveReview(ctx.db, ctx.clock, ctx.inbox, {
        shopId: shopOf(request).id,
        reviewId: request.params.reviewId,
        by: actorOf(request),
      });
      return { ...view(done.review, done.customerId), eventId: done.eventId };
    },
  );

  r.post(
    '/v1/reviews/:reviewId/reject',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['reviews'],
        summary: 'Keep a review from being shown; no points',
        params: reviewParams,
        body: z.object({ note: z.string().trim().max(1000).optional() }).default({}),
        response: { 200: reviewSchema },
      },
    },
    async (request) => {
      const done = await rejectReview(ctx.db, ctx.clock, {
        shopId: shopOf(request).id,
        reviewId: request.params.reviewId,
        by: actorOf(request),
        note: request.body.note || null,
      });
      return view(done.review, done.customerId);
    },
  );

  r.post(
    '/v1/reviews/:reviewId/reply',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['reviews'],
        summary: "The shop's public reply to a review (an empty text removes it)",
        params: reviewParams,
        body: z.object({ reply: z.string().max(2000) }),
        response: { 200: reviewSchema },
      },
    },
    async (request) => {
      const done = await replyToReview(ctx.db, ctx.clock, {
        shopId: shopOf(request).id,
        reviewId: request.params.reviewId,
        by: actorOf(request),
        reply: request.body.reply,
      });
      return view(done.review, done.customerId);
    },
  );

  r.get(
    '/v1/products/:productId/reviews',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['reviews'],
        summary: "A product's approved reviews, newest first, with their count and average rating",
        params: z.object({ productId: externalId }),
        querystring: z.object({
          cursor: z.string().max(64).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
        response: { 200: z.record(z.string(), z.unknown()) },
      },
    },
    async (request) =>
      listProductReviews(ctx.db, {
        shopId: shopOf(request).id,
        productId: request.params.productId,
        ...request.query,
        publicUrl: ctx.config.publicUrl,
      }),
  );

  r.get(
    '/v1/reviews/:reviewId/photo',
    {
      config: { auth: 'none', rateClass: 'public' },
      schema: {
        tags: ['reviews'],
        summary:
          "A review's uploaded photo: public once approved, before that only with the api key " +
          '(or the session cookie with Lojal-Shop, for the moderation screen)',
        params: reviewParams,
        produces: ['image/jpeg', 'image/png', 'image/webp'],
      },
    },
    async (request, reply) => {
      // Optional auth: an <img> on the storefront sends no key, the moderation screen does.
      const token = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
      const shop = token ? await ctx.credentials.shopForApiKey(token) : null;
      if (token && !shop) throw problems.unauthorized('The API key is not valid or was revoked.');
      // The dashboard fetches pending photos with the cookie, naming its shop in Lojal-Shop.
      const member =
        !token &&
        request.headers['lojal-shop'] !== undefined &&
        (await authenticateShopMember(request, ctx));
      const photo = await findReviewPhoto(ctx.db, {
        reviewId: request.params.reviewId,
        shopId: shop?.id ?? (member ? request.shop!.id : null),
      });
      if (!photo) throw problems.notFound(`The photo of review ${request.params.reviewId}`);
      return reply
        .headers({
          'content-type': photo.contentType,
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'",
          'cache-control':
            photo.status === 'approved' ? 'public, max-age=86400' : 'private, no-store',
        })
        .send(photo.bytes);
    },
  );

  r.get(
    '/rv/*',
    {
      config: { auth: 'none', rateClass: 'public' },
      schema: {
        tags: ['public pages'],
        produces: ['text/html'],
        summary: 'A review request page: a form per product plus one for the shop',
        security: [],
        params: tokenParams,
      },
    },
    async (request, reply) => {
      const link = readReviewToken(ctx.box, request.params['*'], ctx.clock.now());
      const form = link && (await loadReviewForm(ctx.db, ctx.clock, link));
      if (!form) return sendNotFound(reply);
      return sendPage(reply, 200, reviewPage(form));
    },
  );

  r.post(
    '/rv/*',
    {
      config: { auth: 'none', rateClass: 'public' },
      bodyLimit: PHOTO_BODY_LIMIT,
      // The token is checked before the body (up to a photo's size) is read.
      onRequest: async (request, reply) => {
        const token = (request.params as { '*': string })['*'];
        if (!readReviewToken(ctx.box, token, ctx.clock.now())) return sendNotFound(reply);
      },
      schema: {
        tags: ['public pages'],
        produces: ['text/html'],
        summary:
          'One review from the request page (form-encoded: target, rating, title, body, photo as a data URL)',
        security: [],
        params: tokenParams,
      },
    },
    async (request, reply) => {
      const link = readReviewToken(ctx.box, request.params['*'], ctx.clock.now());
      const form = link && (await loadReviewForm(ctx.db, ctx.clock, link));
      if (!form) return sendNotFound(reply);
      const fields = formFields(request.body);
      const result = readReviewForm(form, fields);
      if (!result.ok) {
        const values = { rating: fields.rating, title: fields.title, body: fields.body };
        return sendPage(
          reply,
          422,
          reviewPage(form, { productId: result.productId, errors: result.errors, values }),
        );
      }
      try {
        await submitReview(ctx.db, ctx.clock, {
          shopId: form.shop.id,
          customerId: form.customerId,
          requestId: form.requestId,
          ...result.input,
        });
      } catch (error) {
        // Already moderated: the page shows its state in place of the form.
        if (!(error instanceof Problem && error.status === 409)) throw error;
        const again = (await loadReviewForm(ctx.db, ctx.clock, link))!;
        return sendPage(reply, 409, reviewPage(again));
      }
      const saved = (await loadReviewForm(ctx.db, ctx.clock, link))!;
      return sendPage(reply, 200, reviewPage(saved, { productId: result.productId, saved: true }));
    },
  );
}
