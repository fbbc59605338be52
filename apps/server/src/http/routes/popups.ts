import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { localeSchema, problemSchema } from '../schemas.ts';
import { isLocale } from '../../shared/i18n.ts';
import { popupChanges, popupInput } from '../../popups/popup-schema.ts';
import { createPopup, findPopup, listPopups, updatePopup } from '../../popups/manage-popups.ts';
import { popupView } from '../../popups/popup-schema.ts';
import { popupResults } from '../../popups/popup-results.ts';

const tags = ['popups'];

const contentOut = z.object({
  title: z.string(),
  body: z.string(),
  consentText: z.string(),
  button: z.string(),
});

const popupSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.literal('newsletter'),
    status: z.enum(['active', 'paused', 'archived']),
    variants: z.array(
      z.object({
        id: z.string(),
        weight: z.number().int(),
        content: z.object({ pl: contentOut.optional(), en: contentOut.optional() }),
      }),
    ),
    triggers: z.object({
      afterSeconds: z.number().int().optional(),
      scrollPercent: z.number().int().optional(),
      exitIntent: z.boolean(),
    }),
    pages: z.object({ include: z.array(z.string()), exclude: z.array(z.string()) }),
    audience: z.object({
      visitors: z.enum(['all', 'new', 'returning']),
      customers: z.enum(['all', 'guests', 'identified']),
      segmentIds: z.array(z.string()),
      cartTotal: z
        .object({ min: z.number().int().optional(), max: z.number().int().optional() })
        .optional(),
    }),
    frequency: z.object({ everyDays: z.number().int(), perSession: z.number().int() }),
    welcomeCoupon: z
      .object({ campaignId: z.string(), validDays: z.number().int().optional() })
      .nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Popup' });

const resultsSchema = z
  .object({
    popupId: z.string(),
    locale: localeSchema,
    variants: z.array(
      z.object({
        variant: z.string(),
        weight: z.number().int(),
        impressions: z.number().int().describe('visitors who saw it, counted once a day'),
        signUps: z.number().int(),
        confirmations: z.number().int().describe('sign-ups confirmed by the e-mail link'),
        couponsIssued: z.number().int(),
        signUpRate: z.number().nullable().describe('sign-ups per impression'),
        confirmationRate: z.number().nullable().describe('confirmations per impression'),
        confirmedShare: z.number().nullable().describe('confirmations per sign-up'),
      }),
    ),
    comparisons: z.array(
      z.object({
        variant: z.string(),
        against: z.string().describe('the first variant, the control'),
        metric: z.literal('signUpRate'),
        difference: z.number().nullable().describe('variant minus control'),
        z: z.number().nullable(),
        pValue: z
          .number()
          .nullable()
          .describe('two-sided, from a pooled two-proportion z-test; null without data'),
        significant: z.boolean().describe('p < 0.05'),
        summary: z.string().describe('the comparison in words'),
      }),
    ),
  })
  .meta({ id: 'PopupResults' });

const params = z.object({ popupId: z.string().min(1).max(100) });

/** Pop-ups: configured by the shop (API key or dashboard session), shown by the widget. */
export function popupRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/popups',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary: 'Create a pop-up: a newsletter sign-up with double opt-in and a welcome coupon',
        description:
          'Variants (A/B, each with its text in Polish and/or English, and a weight), triggers ' +
          '(time on page, scroll depth, exit intent on desktop), page rules, audience (new or ' +
          'returning visitor, guest or signed-in customer, segments, cart value), frequency caps ' +
          'and the welcome coupon campaign. Never shown on cart, checkout or payment pages.',
        body: popupInput,
        response: { 201: popupSchema, 400: problemSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createPopup(ctx.db, ctx.clock, shopOf(request), request.body)),
  );

  r.get(
    '/v1/popups',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: "The shop's pop-ups, newest first",
        querystring: z.object({
          archived: z.enum(['true', 'false']).default('false').describe('include archived pop-ups'),
        }),
        response: { 200: z.object({ data: z.array(popupSchema) }) },
      },
    },
    async (request) => ({
      data: await listPopups(ctx.db, shopOf(request), {
        archived: request.query.archived === 'true',
      }),
    }),
  );

  r.get(
    '/v1/popups/:popupId',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: 'One pop-up',
        params,
        response: { 200: popupSchema, 404: problemSchema },
      },
    },
    async (request) =>
      popupView(await findPopup(ctx.db, shopOf(request).id, request.params.popupId)),
  );

  r.patch(
    '/v1/popups/:popupId',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: 'Change a pop-up: pause, resume, archive, or its texts and rules',
        description:
          '`status`: `paused` stops showing it, `active` resumes, `archived` ends it for good ' +
          '(its results stay). An archived pop-up cannot be changed (409).',
        params,
        body: popupChanges,
        response: { 200: popupSchema, 400: problemSchema, 404: problemSchema, 409: problemSchema },
      },
    },
    async (request) =>
      updatePopup(ctx.db, ctx.clock, shopOf(request), request.params.popupId, request.body),
  );

  r.get(
    '/v1/popups/:popupId/results',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: 'A/B results: impressions, sign-ups, confirmations and rates per variant',
        description:
          "Each variant's sign-up rate against the first variant's, with a two-proportion " +
          "z-test's p-value and a sentence saying what it means (`?locale=`, else the shop's).",
        params,
        querystring: z.object({ locale: localeSchema.optional() }),
        response: { 200: resultsSchema, 404: problemSchema },
      },
    },
    async (request) => {
      const shop = shopOf(request);
      const locale = request.query.locale ?? (isLocale(shop.locale) ? shop.locale : 'pl');
      return popupResults(ctx.db, shop, request.params.popupId, locale);
    },
  );
}
