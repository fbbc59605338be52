import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopOf } from '../auth.ts';
import { localeSchema, problemSchema, shopIdParam, timeZoneSchema } from '../schemas.ts';
import { currencySchema } from '../../shared/bounds.ts';
import { createShop } from '../../shops/create-shop.ts';
import { issueApiKey } from '../../shops/issue-api-key.ts';
import { listApiKeys, revokeApiKey } from '../../shops/api-keys.ts';
import { rotateWebhookSecret } from '../../shops/rotate-webhook-secret.ts';
import { shopView } from '../../shops/shop.ts';
import { SHOP_SLUG_PATTERN } from '../../shops/shop-slug.ts';
import { problems } from '../../shared/errors.ts';
import { updateShop } from '../../shops/update-shop.ts';
import { outboundUrlRefusal, publicOutbound } from '../../messaging/outbound-url.ts';

const shopSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string().describe('the shop in its referral links: /r/{slug}/{code}'),
    currency: z.string(),
    timezone: z.string(),
    locale: z.string(),
    returnWindowDays: z.number().int(),
    storefrontUrl: z.string().nullable().describe('where referral links send visitors'),
    storefrontOrigins: z
      .array(z.string())
      .describe("origins whose pages may call the storefront API (besides storefrontUrl's)"),
    storefrontJoinUrl: z.string().nullable().describe('where a guest joins the programme'),
    brand: z
      .object({
        logoUrl: z.string().nullable(),
        primaryColor: z.string().nullable().describe('#rrggbb'),
        accentColor: z.string().nullable().describe('#rrggbb'),
      })
      .describe('the brand kit: the widget and the e-mail header'),
    createdAt: z.string(),
  })
  .meta({ id: 'Shop' });

/**
 * An https address on a public host (as outbound URLs are judged: no credentials, no local
 * names, no private or reserved addresses), since customers' browsers and mail clients open it.
 */
const publicHttpsUrl = z
  .string()
  .trim()
  .max(2000)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a full address such as https://sklep.pl' });
      return;
    }
    if (url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: 'must start with https://' });
      return;
    }
    const refusal = outboundUrlRefusal(url, publicOutbound([443]));
    if (refusal) ctx.addIssue({ code: 'custom', message: refusal.en });
  });

const colourSchema = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour in the form #rrggbb, e.g. #0b7285')
  .transform((c) => c.toLowerCase());

/**
 * A page origin the storefront API answers (CORS): https, or http on this machine for a shop
 * being built locally. Just the origin — no path, no credentials.
 */
const storefrontOrigin = z
  .string()
  .trim()
  .max(300)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an origin such as https://sklep.pl' });
      return;
    }
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
      ctx.addIssue({
        code: 'custom',
        message: 'must start with https:// (http:// only for localhost)',
      });
    } else if (url.origin !== value.replace(/\/$/, '')) {
      ctx.addIssue({
        code: 'custom',
        message: `must be only the origin (scheme, host and port): ${url.origin}`,
      });
    }
  })
  .transform((value) => new URL(value).origin);

const shopSettingsSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  currency: currencySchema
    .optional()
    .describe('ISO 4217; only before the first order (409 currency-locked afterwards)'),
  timezone: timeZoneSchema.optional(),
  locale: localeSchema.optional(),
  returnWindowDays: z
    .number()
    .int()
    .min(0)
    .max(365)
    .optional()
    .describe('days before earned points become available; applies to orders from now on'),
  storefrontUrl: publicHttpsUrl.nullable().optional(),
  storefrontOrigins: z
    .array(storefrontOrigin)
    .max(20)
    .optional()
    .describe("pages of these origins may call the storefront API (the widget's calls)"),
  storefrontJoinUrl: publicHttpsUrl.nullable().optional(),
  brand: z
    .strictObject({
      logoUrl: publicHttpsUrl.nullable().optional(),
      primaryColor: colourSchema.nullable().optional(),
      accentColor: colourSchema.nullable().optional(),
    })
    .optional(),
});

/** Where the shop's platform sends its deliveries, from the instance's public URL. */
const connectionSchema = z.object({
  shopifyWebhookUrl: z.string(),
  woocommerceWebhookUrl: z.string(),
  shoperWebhookUrl: z.string(),
  eventsUrl: z.string(),
});

const apiKeySchema = z.object({
  id: z.string(),
  hint: z.string(),
  label: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});

const newApiKeySchema = z.object({
  id: z.string(),
  apiKey: z.string().describe('Shown once; store it now.'),
  hint: z.string(),
  label: z.string().nullable(),
  createdAt: z.string(),
});

const rotatedSecretSchema = z.object({
  webhookSecret: z.string().describe('Shown once; set it in the platform now.'),
  previousSecretsValidUntil: z.string(),
});

export function shopRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const operator = { auth: 'operator' as const, idempotent: true };
  const shop = { auth: 'shop' as const, idempotent: true };

  r.post(
    '/v1/shops',
    {
      config: operator,
      schema: {
        tags: ['shops'],
        summary: 'Create a shop (instance operator); returns its API key and webhook secret once',
        security: [{ operatorToken: [] }],
        body: z.object({
          name: z.string().trim().min(1).max(200),
          currency: currencySchema.default('PLN'),
          timezone: timeZoneSchema.default('Europe/Warsaw'),
          locale: localeSchema.default('pl'),
          returnWindowDays: z.number().int().min(0).max(365).optional(),
          slug: z
            .string()
            .regex(SHOP_SLUG_PATTERN, 'lower-case letters, digits and dashes, at most 40')
            .optional()
            .describe(
              'the shop in its referral links (/r/{slug}/{code}), fixed for good; from the name when left out, one another shop has → 409',
            ),
        }),
        response: {
          201: shopSchema.extend({
            apiKey: z.string(),
            apiKeyId: z.string(),
            webhookSecret: z.string(),
          }),
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createShop(ctx.db, ctx.clock, ctx.box, request.body, ctx.shopDefaults)),
  );

  r.get(
    '/v1/shops/:shopId',
    {
      config: { auth: 'operator' },
      schema: {
        tags: ['shops'],
        summary: 'A shop (instance operator)',
        security: [{ operatorToken: [] }],
        params: z.object({ shopId: z.string() }),
        response: { 200: shopSchema },
      },
    },
    async (request) => {
      const parsed = shopIdParam.safeParse(request.params.shopId);
      const row = parsed.success
        ? await ctx.db
            .selectFrom('shops')
            .selectAll()
            .where('id', '=', parsed.data)
            .executeTakeFirst()
        : undefined;
      if (!row) throw problems.notFound(`Shop ${request.params.shopId}`);
      return shopView(row);
    },
  );

  r.post(
    '/v1/shops/:shopId/api-keys',
    {
      config: operator,
      schema: {
        tags: ['shops'],
        summary: 'Issue an API key for a shop (instance operator), e.g. when its keys are lost',
        security: [{ operatorToken: [] }],
        params: z.object({ shopId: z.string() }),
        body: z.object({ label: z.string().max(100).optional() }).nullish(),
        response: { 201: newApiKeySchema },
      },
    },
    async (request, reply) => {
      const found = await ctx.db
        .selectFrom('shops')
        .select('id')
        .where('id', '=', request.params.shopId)
        .executeTakeFirst();
      if (!found) throw problems.notFound(`Shop ${request.params.shopId}`);
      const key = await issueApiKey(ctx.db, found.id, request.body?.label ?? null);
      return reply.status(201).send({ ...key });
    },
  );

  r.get(
    '/v1/shop',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['shops'],
        summary: 'The shop this API key belongs to',
        description:
          '`connection` holds the addresses its platform sends to, built from the instance public URL.',
        response: { 200: shopSchema.extend({ connection: connectionSchema }) },
      },
    },
    async (request) => {
      const shop = shopOf(request);
      const base = ctx.config.publicUrl;
      return {
        ...shopView(shop),
        connection: {
          shopifyWebhookUrl: `${base}/v1/webhooks/shopify/${shop.id}`,
          woocommerceWebhookUrl: `${base}/v1/webhooks/woocommerce/${shop.id}`,
          shoperWebhookUrl: `${base}/v1/webhooks/shoper/${shop.id}`,
          eventsUrl: `${base}/v1/events`,
        },
      };
    },
  );

  r.patch(
    '/v1/shop',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['shops'],
        summary: "Change the shop's own settings: name, currency, time zone, language, brand kit",
        description:
          'Only the fields sent change. `storefrontUrl` and `brand.logoUrl` must be https on a ' +
          'public host; colours `#rrggbb`. The currency cannot change once the shop has an ' +
          'order (409 `currency-locked`): every amount is kept in minor units of it.',
        body: shopSettingsSchema,
        response: { 200: shopSchema, 400: problemSchema, 409: problemSchema },
      },
    },
    async (request) => {
      const shop = shopOf(request);
      const row = await updateShop(ctx.db, ctx.clock, shop.id, request.body);
      // API keys keep their shop row for a few seconds: the next request sees the change.
      ctx.credentials.forget(shop.id);
      return shopView(row);
    },
  );

  r.get(
    '/v1/api-keys',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['shops'],
        summary: "The shop's API keys (hints only; tokens are never shown again)",
        response: { 200: z.object({ data: z.array(apiKeySchema) }) },
      },
    },
    async (request) => ({ data: await listApiKeys(ctx.db, shopOf(request).id) }),
  );

  r.post(
    '/v1/api-keys',
    {
      config: shop,
      schema: {
        tags: ['shops'],
        summary: 'Create another API key (rotation: create the new key, switch, revoke the old)',
        body: z.object({ label: z.string().max(100).optional() }).nullish(),
        response: { 201: newApiKeySchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await issueApiKey(ctx.db, shopOf(request).id, request.body?.label ?? null)),
  );

  r.delete(
    '/v1/api-keys/:keyId',
    {
      config: { auth: 'shop' },
      schema: {
        tags: ['shops'],
        summary: 'Revoke an API key at once',
        params: z.object({ keyId: z.string() }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await revokeApiKey(ctx.db, ctx.clock, shopOf(request).id, request.params.keyId);
      ctx.credentials.forget();
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/v1/webhook-secret/rotate',
    {
      config: shop,
      schema: {
        tags: ['shops'],
        summary: 'Switch to a new webhook secret; the previous one keeps verifying for one hour',
        description:
          'Without a body Lojal makes the secret. With {"secret"} it uses the one the platform ' +
          "signs with (Shopify: the app's client secret or the shop's webhook signing key).",
        body: z.object({ secret: z.string().min(16).max(512).optional() }).nullish(),
        response: { 201: rotatedSecretSchema },
      },
    },
    async (request, reply) => {
      const shopId = shopOf(request).id;
      const rotated = await rotateWebhookSecret(
        ctx.db,
        ctx.clock,
        ctx.box,
        shopId,
        request.body?.secret,
      );
      ctx.credentials.forget(shopId);
      return reply.status(201).send(rotated);
    },
  );
}
