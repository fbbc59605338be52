import { z } from 'zod';
import { codeReadyInPlatform } from '../../connections/code-readiness.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { problemSchema } from '../schemas.ts';
import { storefrontCustomerOf, storefrontPreflight, storefrontShopOf } from '../storefront-auth.ts';
import type { Locale } from '../../shared/i18n.ts';
import { localeFromAcceptLanguage } from '../../shared/accept-language.ts';
import { problems } from '../../shared/errors.ts';
import { redeemReward } from '../../rewards/redeem-reward.ts';
import { findCustomerId } from '../../customers/find-customer-id.ts';
import { issueStampQr } from '../../stamps/issue-stamp-qr.ts';
import { rotateStorefrontSecret } from '../../storefront/rotate-storefront-secret.ts';
import { publicProgramme } from '../../storefront/public-programme.ts';
import { customerSummary } from '../../storefront/customer-summary.ts';
import { customerHistory } from '../../storefront/customer-history.ts';
import { checkoutLink } from '../../storefront/checkout-link.ts';
import { qrSvg } from '../../storefront/stamp-qr-svg.ts';

const shopParams = z.object({ shopId: z.string().min(1).max(60).describe("the shop's id") });
const localeQuery = z.object({
  locale: z.enum(['pl', 'en']).optional().describe('else Accept-Language, else the shop’s'),
});
const security = [{ customerToken: [] }];
const auth401 = { 401: problemSchema };

/** The shopper's language: `?locale=`, else Accept-Language (by quality), else the shop's. */
export function shopperLocale(request: FastifyRequest, shopLocale: string): Locale {
  const asked = (request.query as { locale?: string } | undefined)?.locale;
  if (asked === 'pl' || asked === 'en') return asked;
  return (
    localeFromAcceptLanguage(request.headers['accept-language']) ??
    (shopLocale.startsWith('pl') ? 'pl' : 'en')
  );
}

const text = z.string();
const programmeSchema = z
  .object({
    locale: z.enum(['pl', 'en']),
    shop: z.object({
      id: z.string(),
      name: z.string(),
      currency: z.string(),
      locale: z.string(),
      brand: z.object({
        logoUrl: z.string().nullable(),
        primaryColor: z.string().nullable(),
        accentColor: z.string().nullable(),
      }),
      joinUrl: z.string().nullable().describe('where a guest joins the programme'),
      storefrontUrl: z.string().nullable(),
    }),
    earn: z
      .array(
        z.object({
          id: z.string(),
          kind: z.string(),
          text: text.describe('e.g. "1 punkt za każde wydane 1 zł"'),
          multiplier: z.number().describe('a running campaign’s multiplier (2 = double points)'),
        }),
      )
      .describe('the live earning rules, in words'),
    campaigns: z.array(z.object({ name: z.string(), multiplier: z.number(), endsAt: z.string() })),
    expiryMonths: z.number().int().nullable().describe('points expire this long after they arrive'),
    rewards: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        description: z.string().nullable(),
        kind: z.string(),
        pointsCost: z.number().int(),
        minTier: z.string().nullable(),
        amount: z.number().int().nullable(),
        percent: z.number().nullable(),
        minBasket: z.number().int().nullable(),
      }),
    ),
    tiers: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        rank: z.number().int(),
        threshold: text.describe('what reaching it takes, e.g. "1 000,00 zł"'),
        benefits: z.array(text),
      }),
    ),
    tierMetric: z.string().nullable(),
    referral: z
      .object({
        friend: text.nullable().describe("the friend's offer"),
        referrer: text.nullable().describe('what the referrer gets'),
        termsUrl: z.string().nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'StorefrontProgramme' });

const rewardForCustomer = programmeSchema.shape.rewards.element.extend({
  available: z.boolean().describe('the customer can redeem it now'),
  missingPoints: z.number().int().optional(),
  tierRequired: z.boolean().optional(),
  limitReached: z.boolean().optional().describe('the customer has taken it as often as allowed'),
});

const meSchema = z
  .object({
    customer: z.object({
      id: z.string().describe("the shop's own customer id"),
      firstName: z.string().nullable(),
      joining: z
        .boolean()
        .describe('true while a customer the token introduced is being created (a moment)'),
    }),
    points: z.object({
      available: z.number().int(),
      pending: z.number().int(),
      expiringSoon: z.array(z.object({ points: z.number().int(), expiresAt: z.string() })),
      pendingLots: z.array(z.object({ points: z.number().int(), availableAt: z.string() })),
      lifetimeEarned: z.number().int(),
    }),
    tier: z
      .object({
        current: z
          .object({ id: z.string(), name: z.string(), benefits: z.array(z.string()) })
          .nullable(),
        next: z
          .object({
            id: z.string(),
            name: z.string(),
            needed: z.number().int(),
            progress: z.number(),
            text: z.string().describe('"jeszcze 120,00 zł do poziomu Złoty"'),
          })
          .nullable(),
        metric: z.string(),
      })
      .nullable(),
    rewards: z.array(rewardForCustomer),
    referral: z
      .object({
        code: z.string(),
        link: z.string(),
        discount: z.string().nullable(),
        share: z.array(
          z.object({
            channel: z.string(),
            subject: z.string().nullable(),
            text: z.string(),
            url: z.string().nullable(),
          }),
        ),
      })
      .nullable(),
    stampCards: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        stamps: z.number().int(),
        stampsRequired: z.number().int(),
        completedCards: z.number().int(),
        stampsToday: z.number().int(),
        dailyLimit: z.number().int().nullable(),
        reward: z.unknown(),
      }),
    ),
    coupons: z.array(
      z.object({
        code: z.string(),
        source: z.string(),
        discount: z.unknown(),
        expiresAt: z.string().nullable(),
        createdAt: z.string(),
        ready: z
          .boolean()
          .describe('false while the code is still being created in the shop’s platform'),
        applyUrl: z.string().nullable().describe('opens the shop’s checkout with the code applied'),
      }),
    ),
  })
  .meta({ id: 'StorefrontMe' });

const redemptionSchema = z
  .object({
    id: z.string(),
    rewardId: z.string(),
    kind: z.string(),
    pointsSpent: z.number().int(),
    balanceAfter: z.number().int(),
    status: z.enum(['issued']),
    coupon: z
      .object({
        code: z.string(),
        discount: z.unknown(),
        minBasket: z.number().int().nullable(),
        expiresAt: z.string(),
        usageLimit: z.number().int(),
        ready: z
          .boolean()
          .describe('false while the code is still being created in the shop’s platform'),
        applyUrl: z.string().nullable(),
      })
      .nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'StorefrontRedemption' });

/**
 * The storefront API (API.md "Storefront"): what the widget, the customer portal and a shop's own
 * pages read and do for a shopper. No API key: a customer token, the portal's token or Shopify's
 * App Proxy signature says who the shopper is (http/storefront-auth.ts, with CORS and limits).
 */
export function storefrontRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  storefrontPreflight(app, ctx);
  /** The customer's Lojal id; 404 for one not created yet or erased (their token may live on). */
  const activeCustomerId = (shopId: string, externalId: string) =>
    findCustomerId(ctx.db, shopId, externalId, { allowRedacted: false });
  /** The shop's cached storefront settings (the auth step has just read them). */
  const storefrontEntry = async (request: FastifyRequest) => {
    const entry = await ctx.storefrontCache.shop(storefrontShopOf(request).id);
    if (!entry) throw problems.notFound('Shop');
    return entry;
  };

  r.post(
    '/v1/storefront/secret',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags: ['storefront'],
        summary: "Make the shop's storefront secret (shown once); a new call rotates it",
        description:
          "The shop's backend signs customer tokens with it: a JWT (HS256) with `sub` = the " +
          "shop's customer id, `iat`, `exp` at most 24 hours later, optionally `email` and " +
          '`firstName`. After a rotation, tokens signed with the previous secret keep working ' +
          'for one hour.',
        response: {
          201: z.object({
            secret: z.string().describe('Shown once; keep it on the shop’s server only.'),
            createdAt: z.string(),
            previousSecretsValidUntil: z.string(),
          }),
        },
      },
    },
    async (request, reply) => {
      const shop = shopOf(request);
      const made = await rotateStorefrontSecret(ctx.db, ctx.clock, ctx.box, shop.id);
      ctx.storefrontKeys.forget(shop.id);
      return reply.status(201).send(made);
    },
  );

  r.get(
    '/storefront/v1/shops/:shopId/programme',
    {
      config: { auth: 'storefront' },
      schema: {
        tags: ['storefront'],
        summary: 'The public programme: how to earn, rewards, tiers, the referral offer',
        security: [],
        params: shopParams,
        querystring: localeQuery,
        response: { 200: programmeSchema },
      },
    },
    async (request) => {
      const entry = await storefrontEntry(request);
      return publicProgramme(entry, shopperLocale(request, entry.shop.locale), ctx.clock.now());
    },
  );

  r.get(
    '/storefront/v1/shops/:shopId/me',
    {
      config: { auth: 'customer' },
      schema: {
        tags: ['storefront'],
        summary: 'The signed-in shopper: points, tier, rewards they can take, referral link, cards',
        description:
          'A token naming a customer Lojal does not know yet creates the customer (as a ' +
          '`customer.created` event); until it is applied, `customer.joining` is true and the ' +
          'balance is 0. 401 for a missing, expired, tampered token or one of another shop.',
        security,
        params: shopParams,
        querystring: localeQuery,
        response: { 200: meSchema, ...auth401 },
      },
    },
    async (request) => {
      const entry = await storefrontEntry(request);
      return customerSummary(ctx.db, ctx.inbox, {
        entry,
        customer: storefrontCustomerOf(request),
        locale: shopperLocale(request, entry.shop.locale),
        publicUrl: ctx.config.publicUrl,
        now: ctx.clock.now(),
      });
    },
  );

  r.post(
    '/storefront/v1/shops/:shopId/me/redemptions',
    {
      config: { auth: 'customer', idempotent: true },
      schema: {
        tags: ['storefront'],
        summary: 'Spend points on a reward; the coupon code comes back (send an Idempotency-Key)',
        description:
          'As the admin route: never spends more than the available points, however many ' +
          'arrive at once (422 `insufficient-points`). `coupon.applyUrl` applies the code at ' +
          'the shop’s checkout where the platform has such a link.',
        security,
        params: shopParams,
        headers: z.object({
          'idempotency-key': z.string().min(1).max(255).optional().describe('required'),
        }),
        body: z.strictObject({ rewardId: z.string().min(1).max(100) }),
        response: { 201: redemptionSchema, 400: problemSchema, 422: problemSchema, ...auth401 },
      },
    },
    async (request, reply) => {
      const shop = storefrontShopOf(request);
      const customer = storefrontCustomerOf(request);
      // API.md: with an Idempotency-Key, so a double click or a retry never spends twice.
      if (!request.headers['idempotency-key']) {
        throw problems.validation([
          { path: 'headers.idempotency-key', message: 'is required: one key per redemption' },
        ]);
      }
      await activeCustomerId(shop.id, customer.externalId);
      const redemption = await redeemReward(ctx.db, ctx.clock, shop, {
        customerId: customer.externalId,
        rewardId: request.body.rewardId,
        actor: `customer:${customer.externalId}`,
      });
      const ready = redemption.coupon
        ? await codeReadyInPlatform(ctx.db, shop.id, redemption.coupon.code)
        : true;
      return reply.status(201).send({
        ...redemption,
        coupon: redemption.coupon && {
          ...redemption.coupon,
          ready,
          applyUrl: ready ? checkoutLink(shop, redemption.coupon.code) : null,
        },
      });
    },
  );

  r.get(
    '/storefront/v1/shops/:shopId/me/history',
    {
      config: { auth: 'customer' },
      schema: {
        tags: ['storefront'],
        summary: "The shopper's points history, newest first, each entry in words",
        security,
        params: shopParams,
        querystring: localeQuery.extend({
          limit: z.coerce.number().int().min(1).max(100).default(20),
          before: z.string().max(60).optional().describe('the last id of the previous page'),
        }),
        response: {
          200: z.object({
            data: z.array(
              z.object({
                id: z.string(),
                points: z.number().int(),
                kind: z.string(),
                text: z.string(),
                at: z.string(),
                availableAt: z.string().nullable(),
                expiresAt: z.string().nullable(),
              }),
            ),
            nextBefore: z.string().nullable(),
          }),
          ...auth401,
        },
      },
    },
    async (request) => {
      const shop = storefrontShopOf(request);
      const customer = storefrontCustomerOf(request);
      await activeCustomerId(shop.id, customer.externalId);
      const { limit, before } = request.query;
      return customerHistory(
        ctx.db,
        shop,
        customer.externalId,
        { limit, ...(before !== undefined && { before }) },
        shopperLocale(request, shop.locale),
      );
    },
  );

  r.get(
    '/storefront/v1/shops/:shopId/me/stamp-qr',
    {
      config: { auth: 'customer' },
      schema: {
        tags: ['storefront'],
        summary: 'The QR code the shopper shows at the counter for stamps and points',
        description:
          'Signed, short-lived, naming no personal data; `svg` draws it with a quiet zone.',
        security,
        params: shopParams,
        response: {
          200: z.object({
            payload: z.string(),
            svg: z.string(),
            expiresAt: z.string(),
            ttlSeconds: z.number().int(),
          }),
          ...auth401,
        },
      },
    },
    async (request) => {
      const shop = storefrontShopOf(request);
      const customer = storefrontCustomerOf(request);
      const qr = await issueStampQr(ctx.db, ctx.clock, ctx.box, shop, customer.externalId).catch(
        (error: unknown) => {
          if (error instanceof Error && 'status' in error && error.status === 404) {
            throw problems.notFound('Customer (not created yet, or the account was deleted)');
          }
          throw error;
        },
      );
      return { ...qr, svg: await qrSvg(qr.payload) };
    },
  );
}
