import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { localeSchema, problemSchema } from '../schemas.ts';
import { storefrontShopOf } from '../storefront-auth.ts';
import { clientKey } from '../rate-limiter.ts';
import { problems } from '../../shared/errors.ts';
import { sendNotFound, sendPage } from '../public-page-reply.ts';
import { shopperLocale } from './storefront.ts';
import { eligiblePopups } from '../../popups/eligible-popups.ts';
import { recordImpression } from '../../popups/record-impression.ts';
import { recordSignUp } from '../../popups/record-sign-up.ts';
import { confirmSignUp, signUpForLink } from '../../popups/confirm-sign-up.ts';
import { confirmPage } from '../../popups/confirm-page.ts';
import { readConfirmToken } from '../../popups/confirm-links.ts';
import { popupMailTransport, type PopupMailer } from '../../popups/popup-mail.ts';

const tags = ['storefront'];
const visitorId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, '8–64 letters, digits, "-" or "_"')
  .describe("the widget's random id for this browser, kept in localStorage (no cookie)");
const popupParams = z.object({ shopId: z.string(), popupId: z.string().min(1).max(100) });
const contentOut = z.object({
  title: z.string(),
  body: z.string(),
  consentText: z.string(),
  button: z.string(),
});
/**
 * Each sign-up sends an e-mail to an address anyone can type: one client address may sign up
 * this many times a minute (beyond the storefront API's own limit), so the form cannot be used
 * to flood someone's inbox.
 */
export const SIGN_UPS_PER_MINUTE = 10;
// The confirmation page's form posts nothing but the click.
const CONFIRM_BODY_LIMIT = 1024;

const clientOf = (request: FastifyRequest) => ({
  clientAddress: request.ip ?? null,
  userAgent: request.headers['user-agent']?.slice(0, 500) ?? null,
});

/**
 * Pop-ups on the storefront: which ones a visit may see (with the visitor's variant), the
 * impressions for A/B results, the newsletter sign-up (double opt-in) and the page its e-mail's
 * link opens. Registered in a scope that accepts form bodies (app/routes.ts), for that page.
 */
export function storefrontPopupRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const mailer: PopupMailer = {
    transport: popupMailTransport(ctx.db, ctx.clock, ctx.config.smtpUrl),
    from: ctx.config.mailFrom,
  };
  app.addHook('onClose', () => mailer.transport.close());

  r.get(
    '/storefront/v1/shops/:shopId/popups',
    {
      config: { auth: 'storefront' },
      schema: {
        tags,
        summary: 'The pop-ups this visit may see, each with the visitor’s variant',
        description:
          'Never on cart, checkout or payment pages (an empty list). Filtered by the pop-ups’ ' +
          'page rules and audience and by earlier impressions within `frequency.everyDays`; ' +
          'the widget keeps the per-session cap. The variant is the same for the same ' +
          '`visitorId`. A customer token, when sent, makes the visitor an identified customer.',
        security: [],
        params: z.object({ shopId: z.string() }),
        querystring: z.object({
          path: z.string().min(1).max(2000).describe('location.pathname (and search)'),
          visitor: z.enum(['new', 'returning']),
          visitorId,
          cartTotal: z.coerce
            .number()
            .int()
            .min(0)
            .max(1_000_000_000_000)
            .optional()
            .describe("the cart's value in minor units of the shop's currency"),
          locale: localeSchema.optional().describe('else Accept-Language, else the shop’s'),
        }),
        response: {
          200: z.object({
            data: z.array(
              z.object({
                id: z.string(),
                kind: z.literal('newsletter'),
                variant: z.string(),
                locale: localeSchema.describe('the language of `content`'),
                content: contentOut,
                triggers: z.object({
                  afterSeconds: z.number().int().optional(),
                  scrollPercent: z.number().int().optional(),
                  exitIntent: z.boolean(),
                }),
                frequency: z.object({ everyDays: z.number().int(), perSession: z.number().int() }),
                pages: z.object({ include: z.array(z.string()), exclude: z.array(z.string()) }),
                hasCoupon: z.boolean().describe('a welcome code follows the confirmation'),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const shop = storefrontShopOf(request);
      const q = request.query;
      const data = await eligiblePopups(ctx.db, ctx.clock, shop, {
        path: q.path,
        visitor: q.visitor,
        visitorId: q.visitorId,
        cartTotal: q.cartTotal ?? null,
        customerExternalId: request.storefrontCustomer?.externalId ?? null,
        locale: shopperLocale(request, shop.locale),
      });
      return { data };
    },
  );

  r.post(
    '/storefront/v1/shops/:shopId/popups/:popupId/impressions',
    {
      config: { auth: 'storefront' },
      schema: {
        tags,
        summary: 'A visitor saw a pop-up (for A/B results)',
        description: 'Counted once per visitor, pop-up and day: repeats answer `recorded: false`.',
        security: [],
        params: popupParams,
        body: z.object({ visitorId, variant: z.string().min(1).max(20) }),
        response: {
          202: z.object({ recorded: z.boolean() }),
          400: problemSchema,
          404: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const shop = storefrontShopOf(request);
      const result = await recordImpression(
        ctx.db,
        ctx.clock,
        shop,
        request.params.popupId,
        request.body,
      );
      return reply.status(202).send(result);
    },
  );

  r.post(
    '/storefront/v1/shops/:shopId/popups/:popupId/sign-ups',
    {
      config: { auth: 'storefront', idempotent: true },
      schema: {
        tags,
        summary: 'Sign up to the newsletter through a pop-up (double opt-in)',
        description:
          'Keeps the sign-up as pending with its proof — the consent text exactly as shown ' +
          "(it must be the variant's), the page, the time, the client address — and e-mails a " +
          'signed, single-use confirmation link. The answer is the same for a new, pending or ' +
          'confirmed address. 503 when the e-mail could not be sent (retry with the same ' +
          `Idempotency-Key). At most ${SIGN_UPS_PER_MINUTE} sign-ups a minute from one client ` +
          'address (429).',
        security: [],
        params: popupParams,
        body: z.object({
          email: z.email().max(254),
          variant: z.string().min(1).max(20),
          consentText: z
            .string()
            .min(1)
            .max(2000)
            .describe("the checkbox's text exactly as the visitor saw it"),
          page: z.string().min(1).max(2000).describe('the address of the page it was shown on'),
          locale: localeSchema,
          visitorId: visitorId.optional(),
        }),
        response: {
          202: z.object({
            status: z
              .literal('check-inbox')
              .describe('a confirmation link was sent, or the address needs none'),
          }),
          400: problemSchema,
          404: problemSchema,
          409: problemSchema,
          429: problemSchema,
          503: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const shop = storefrontShopOf(request);
      const wait = ctx.publicRateLimiter.take(
        `popup-sign-up:${clientKey(request.ip)}`,
        SIGN_UPS_PER_MINUTE,
      );
      if (wait > 0) throw problems.rateLimited(wait);
      const b = request.body;
      await recordSignUp(
        {
          db: ctx.db,
          clock: ctx.clock,
          box: ctx.box,
          mailer,
          publicUrl: ctx.config.publicUrl,
        },
        shop,
        request.params.popupId,
        {
          email: b.email,
          variant: b.variant,
          consentText: b.consentText,
          page: b.page,
          locale: b.locale,
          visitorId: b.visitorId ?? null,
          ...clientOf(request),
        },
      );
      return reply.status(202).send({ status: 'check-inbox' as const });
    },
  );

  const tokenParams = z.object({ token: z.string().max(1000).describe('the signed token') });

  r.get(
    '/popups/confirm/:token',
    {
      config: { auth: 'none', rateClass: 'public' },
      schema: {
        tags: ['public pages'],
        produces: ['text/html'],
        summary: 'The double opt-in link: the page with the button that confirms the sign-up',
        description:
          'Changes nothing (mail scanners follow links; consent is the person’s click): the ' +
          'button posts the confirmation. A confirmed sign-up shows its welcome code. A bad ' +
          'or expired link answers 404.',
        security: [],
        params: tokenParams,
      },
    },
    async (request, reply) => {
      const state = await signUpForLink(ctx, request.params.token);
      const page = confirmPage(state);
      return sendPage(reply, page.status, page.html);
    },
  );

  r.post(
    '/popups/confirm/:token',
    {
      config: { auth: 'none', rateClass: 'public' },
      bodyLimit: CONFIRM_BODY_LIMIT,
      // The token is checked before the body is read.
      onRequest: async (request, reply) => {
        const { token } = request.params as { token: string };
        if (!readConfirmToken(ctx.box, token, ctx.clock.now())) return sendNotFound(reply);
      },
      schema: {
        tags: ['public pages'],
        produces: ['text/html'],
        summary: 'Confirm a pop-up sign-up: consent recorded, the welcome code issued once',
        description:
          'The first confirmation records the consent to e-mail marketing with its proof, ' +
          'finds or creates the customer by e-mail, issues the welcome coupon and e-mails it; ' +
          'any later one (a double click, a replay) shows the same code and changes nothing.',
        security: [],
        params: tokenParams,
      },
    },
    async (request, reply) => {
      const result = await confirmSignUp(
        { ...ctx, mailer, logger: request.log },
        request.params.token,
      );
      const page = confirmPage(result);
      return sendPage(reply, page.status, page.html);
    },
  );
}
