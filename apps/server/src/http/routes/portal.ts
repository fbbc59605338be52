import { z } from 'zod';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { problemSchema } from '../schemas.ts';
import { sendNotFound } from '../public-page-reply.ts';
import { PORTAL_PAGE_HEADERS } from '../security-headers.ts';
import { storefrontCustomerOf, storefrontShopOf } from '../storefront-auth.ts';
import { takeAttempt } from '../account-throttle.ts';
import { createSignInLink, useSignInLink } from '../../portal/sign-in-links.ts';
import { sendSignInLinkMail, type PortalMailer } from '../../portal/portal-mail.ts';
import { portalPage } from '../../portal/portal-page.ts';
import { exportCustomerData } from '../../customers/export-customer-data.ts';
import {
  customerExportSchema,
  exportFormat,
  exportQuery,
  sendCustomerExport,
} from './customer-export.ts';
import { createPreferencesLink } from '../../automations/create-preferences-link.ts';
import { databaseOutbox } from '../../automations/message-channels.ts';
import { smtpTransport } from '../../messaging/smtp-transport.ts';
import { erasureDelivery } from '../../ingest/api-event.ts';
import { signPortalToken } from '../../storefront/portal-token.ts';
import { localeFromAcceptLanguage } from '../../shared/accept-language.ts';
import { isLocale, type Locale } from '../../shared/i18n.ts';
import { Problem, problems } from '../../shared/errors.ts';

/** How long a portal sign-in lasts (the token the mailed link is exchanged for). */
const PORTAL_SESSION_S = 2 * 60 * 60;

const shopIdParams = z.object({ shopId: z.string().min(1).max(60) });
const tags = ['customer portal'];

/**
 * The customer portal (`/p/{shop}`): sign-in by a link mailed to the customer's address, then
 * the customer's programme full-page, their message preferences, "download my data" and
 * "delete my account". The pages are static HTML and one script; everything personal comes
 * from the storefront API with the portal token, which the page keeps in sessionStorage.
 */
export function portalRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Customer mail's own transport: SMTP_URL, or the shop's mail outbox without it.
  const mailer: PortalMailer = {
    transport: ctx.config.smtpUrl
      ? smtpTransport(ctx.config.smtpUrl)
      : databaseOutbox(ctx.db, ctx.clock),
    from: ctx.config.mailFrom,
    publicUrl: ctx.config.publicUrl,
  };
  app.addHook('onClose', async () => mailer.transport.close());

  const findShop = (shop: string) =>
    ctx.db
      .selectFrom('shops')
      .select(['id', 'name', 'slug', 'locale', 'timezone', 'brand_logo_url'])
      .where((eb) => eb.or([eb('slug', '=', shop), eb('id', '=', shop)]))
      .orderBy(({ eb }) => eb('slug', '=', shop), 'desc')
      .executeTakeFirst();

  const page = async (
    reply: FastifyReply,
    shopParam: string,
    acceptLanguage: string | undefined,
    mode: 'home' | 'enter',
  ) => {
    const shop = await findShop(shopParam);
    if (!shop) return sendNotFound(reply);
    const own = shop.locale.slice(0, 2);
    const locale: Locale = localeFromAcceptLanguage(acceptLanguage) ?? (isLocale(own) ? own : 'pl');
    return reply
      .status(200)
      .headers(PORTAL_PAGE_HEADERS)
      .send(
        portalPage({
          locale,
          mode,
          shop: { id: shop.id, name: shop.name, slug: shop.slug, logoUrl: shop.brand_logo_url },
          widget: '/widget.js',
        }),
      );
  };
  const pageParams = z.object({
    shop: z.string().min(1).max(60).describe("the shop's slug (or id)"),
  });

  r.get(
    '/p/:shop',
    {
      config: { auth: 'none', rateClass: 'public' },
      schema: {
        tags: ['public pages'],
        produces: ['text/html'],
        summary: "The customer portal: sign in by e-mail, then the customer's programme",
        description:
          'A static page and one script: the sign-in form (POST …/portal/sign-in-links), or, with a portal token in sessionStorage, the panel built from the storefront API. In the language of Accept-Language, else the shop’s. An unknown shop answers 404.',
        security: [],
        params: pageParams,
      },
    },
    async (request, reply) =>
      page(reply, request.params.shop, request.headers['accept-language'], 'home'),
  );

  r.get(
    '/p/:shop/enter',
    {
      config: { auth: 'none', rateClass: 'public' },
      schema: {
        tags: ['public pages'],
        produces: ['text/html'],
        summary: 'Where a mailed sign-in link opens (the token is in the fragment)',
        description:
          'The script posts the fragment’s token to POST …/portal/sessions, keeps the portal token in sessionStorage and opens the portal; a used, expired or unknown link shows why and a way to ask for a new one. The token never reaches the server in the address, a log or a Referer.',
        security: [],
        params: pageParams,
      },
    },
    async (request, reply) =>
      page(reply, request.params.shop, request.headers['accept-language'], 'enter'),
  );

  r.post(
    '/storefront/v1/shops/:shopId/portal/sign-in-links',
    {
      config: { auth: 'storefront', idempotent: true },
      schema: {
        tags,
        summary: 'Mail a customer a link that signs them in to the customer portal',
        description:
          'Answers 202 with the same body whether or not the address belongs to a customer of the shop, so the answer reveals nobody. A known customer who was not erased gets an e-mail (pl or en) with a link that works once, for 15 minutes. Limited per address and per e-mail (429).',
        security: [],
        params: shopIdParams,
        body: z.object({
          email: z.email().max(254).describe('the address the customer uses at the shop'),
          locale: z
            .enum(['pl', 'en'])
            .optional()
            .describe("the e-mail's language; default the shop's"),
        }),
        response: {
          202: z.object({
            status: z.literal('accepted'),
            message: z.string().describe('the same for every address'),
          }),
          429: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const shop = storefrontShopOf(request);
      const { email } = request.body;
      takeAttempt(ctx, request, `portal-link:${shop.id}`, email);
      const own = shop.locale.slice(0, 2);
      const locale: Locale = request.body.locale ?? (isLocale(own) ? own : 'pl');
      const link = await createSignInLink(ctx.db, ctx.clock, { shopId: shop.id, email, locale });
      if (link) {
        // Sent after the answer, so a known address takes no longer to answer than another.
        setImmediate(() => {
          sendSignInLinkMail(ctx.db, mailer, shop, link).catch((error: unknown) =>
            request.log.error({ err: error, shopId: shop.id }, 'portal sign-in mail not sent'),
          );
        });
      }
      return reply.status(202).send({
        status: 'accepted' as const,
        message:
          'If the address belongs to a customer of the shop, a sign-in link is on its way (valid for 15 minutes, once).',
      });
    },
  );

  r.post(
    '/storefront/v1/shops/:shopId/portal/sessions',
    {
      config: { auth: 'storefront' },
      schema: {
        tags,
        summary: "Exchange a mailed sign-in link's token for a portal token",
        description:
          'Uses the link up: a second use answers 410 `sign-in-link-used`, an expired link 410 `sign-in-link-expired`, an unknown one or one of another shop 404 `sign-in-link-unknown`. The portal token is a Bearer customer token for this shop’s storefront routes (2 hours).',
        security: [],
        params: shopIdParams,
        body: z.object({ token: z.string().min(1).max(200) }),
        response: {
          201: z.object({
            token: z.string().describe('the portal customer token (Authorization: Bearer)'),
            expiresAt: z.string(),
          }),
          404: problemSchema,
          410: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const shop = storefrontShopOf(request);
      const now = ctx.clock.now();
      const { externalId } = await useSignInLink(ctx.db, ctx.clock, {
        shopId: shop.id,
        token: request.body.token,
      });
      const session = await signPortalToken(ctx.box, {
        shopId: shop.id,
        externalId,
        now,
        ttlSeconds: PORTAL_SESSION_S,
      });
      return reply.status(201).send(session);
    },
  );

  r.get(
    '/storefront/v1/shops/:shopId/me/export',
    {
      config: { auth: 'customer' },
      schema: {
        tags,
        summary: "Download the signed-in customer's personal data (RODO Art. 15 and 20)",
        description:
          'Every personal datum Lojal holds about the customer in this shop, grouped by kind with its purpose, as a JSON file (Content-Disposition: attachment).',
        params: shopIdParams,
        querystring: exportQuery,
        response: { 200: customerExportSchema, 401: problemSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const shop = storefrontShopOf(request);
      const customer = storefrontCustomerOf(request);
      const lang = request.query.lang ?? (shop.locale === 'pl' ? 'pl' : 'en');
      const data = await exportCustomerData(ctx.db, ctx.clock, {
        shopId: shop.id,
        externalId: customer.externalId,
        lang,
      });
      const day = ctx.clock.now().toISOString().slice(0, 10);
      const name = `${shop.slug.replace(/[^a-z0-9-]/g, '')}-my-data-${day}`;
      if (exportFormat(request) === 'json') {
        reply.header('content-disposition', `attachment; filename="${name}.json"`);
      }
      return sendCustomerExport(reply, data, exportFormat(request), lang, shop.timezone, name);
    },
  );

  r.get(
    '/storefront/v1/shops/:shopId/me/preferences-link',
    {
      config: { auth: 'customer' },
      schema: {
        tags,
        summary: "A signed link to the signed-in customer's message preferences page",
        params: shopIdParams,
        response: {
          200: z.object({ url: z.string(), expiresAt: z.string() }),
          401: problemSchema,
          404: problemSchema,
        },
      },
    },
    async (request) => {
      const shop = storefrontShopOf(request);
      return createPreferencesLink(
        ctx.db,
        ctx.clock,
        ctx.box,
        ctx.config.publicUrl,
        shop.id,
        storefrontCustomerOf(request).externalId,
      );
    },
  );

  r.post(
    '/storefront/v1/shops/:shopId/me/erasure',
    {
      config: { auth: 'customer', idempotent: true },
      schema: {
        tags,
        summary: 'The signed-in customer deletes their account (RODO Art. 17)',
        description:
          'Only from the customer portal (a portal token: the customer proved the e-mail address); `confirm: true` is the confirmation step. Starts the same erasure as POST /v1/customers/{id}/erasure (a `customer.erased` event, applied in the background); once applied, the portal token no longer works. 202.',
        params: shopIdParams,
        body: z.object({
          confirm: z.literal(true).describe('the customer confirmed the deletion'),
        }),
        response: {
          202: z.object({
            id: z.string().describe('the request, an event'),
            status: z.literal('accepted'),
          }),
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const shop = storefrontShopOf(request);
      const customer = storefrontCustomerOf(request);
      if (customer.via !== 'portal') {
        throw new Problem(
          403,
          'portal-sign-in-required',
          'Sign in to the customer portal',
          'An account is deleted from the customer portal, signed in by a link mailed to the customer.',
        );
      }
      const known = await ctx.db
        .selectFrom('customers')
        .select('id')
        .where('shop_id', '=', shop.id)
        .where('external_id', '=', customer.externalId)
        .where('redacted_at', 'is', null)
        .executeTakeFirst();
      if (!known) throw problems.notFound('The customer');
      const stored = await ctx.inbox.write(
        erasureDelivery(shop.id, customer.externalId, ctx.clock.now(), {
          by: 'customer (portal)',
          basis: 'RODO art. 17: the customer deleted their account in the customer portal',
        }),
      );
      return reply.status(202).send({ id: stored.eventId, status: 'accepted' as const });
    },
  );
}
