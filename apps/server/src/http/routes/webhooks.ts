import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopIdParam, problemSchema } from '../schemas.ts';
import { problems } from '../../shared/errors.ts';
import { sha256 } from '../../shared/secrets.ts';
import type { InboundSource } from '../../db/schema.ts';
import { signatureMatches } from '../../ingest/verify-webhook.ts';
import { parseJsonLossless } from '../../shared/json.ts';
import { SHOPIFY_COMPLIANCE_TOPICS, shopifyDomainOf } from '../../platforms/shopify/shop-domain.ts';
import { shoperEnvelope } from '../../ingest/shoper.ts';
import { shoperSignatureMatches } from '../../platforms/shoper/signature.ts';
import { shoperSettingsSchema } from '../../platforms/shoper/webapi.ts';

interface Platform {
  source: Exclude<InboundSource, 'api'>;
  signature: string;
  topic: string;
  deliveryId: string;
  /**
   * The key a repeated delivery is recognised by, from the platform's delivery id header (absent:
   * identical bytes on the same topic are the same delivery).
   */
  deliveryKey: (deliveryId: string | undefined, body: Buffer) => string;
  /** Headers kept with the raw delivery. */
  keep: string[];
}

const SHOPIFY: Platform = {
  source: 'shopify',
  signature: 'x-shopify-hmac-sha256',
  topic: 'x-shopify-topic',
  deliveryId: 'x-shopify-webhook-id',
  deliveryKey: (id, body) => id ?? bodyKey(body),
  keep: [
    'x-shopify-topic',
    'x-shopify-webhook-id',
    'x-shopify-shop-domain',
    'x-shopify-api-version',
    'x-shopify-triggered-at',
    'x-shopify-event-id',
  ],
};

const WOOCOMMERCE: Platform = {
  source: 'woocommerce',
  signature: 'x-wc-webhook-signature',
  topic: 'x-wc-webhook-topic',
  deliveryId: 'x-wc-webhook-delivery-id',
  // WooCommerce's delivery id is wp_hash(webhook id . time()) with one-second resolution: two
  // different deliveries of one webhook in the same second share it. The id plus the body's hash
  // tells them apart, and a true resend (same bytes) is still one delivery.
  deliveryKey: (id, body) => (id ? `${id}:${sha256(body).toString('hex')}` : bodyKey(body)),
  keep: [
    'x-wc-webhook-topic',
    'x-wc-webhook-delivery-id',
    'x-wc-webhook-id',
    'x-wc-webhook-source',
    'x-wc-webhook-resource',
    'x-wc-webhook-event',
  ],
};

const responseSchema = z.object({
  eventId: z.string().optional(),
  status: z.enum(['accepted', 'duplicate', 'ping']),
});

export function webhookRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Signatures are checked on the exact bytes received, so nothing parses the body here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  const r = app.withTypeProvider<ZodTypeProvider>();

  for (const platform of [SHOPIFY, WOOCOMMERCE]) {
    r.post(
      `/v1/webhooks/${platform.source}/:shopId`,
      {
        config: { auth: 'none', rateClass: 'ingest' },
        schema: {
          tags: ['ingestion'],
          summary: `Receive a ${platform.source === 'shopify' ? 'Shopify' : 'WooCommerce'} webhook delivery`,
          description: `Verified with the shop's webhook secret on the raw body (${platform.signature}), stored, then processed asynchronously. ${platform.source === 'shopify' ? 'A repeated delivery id has no second effect.' : 'A repeated delivery (same delivery id and same body) has no second effect; two different bodies under one delivery id are two deliveries.'}`,
          params: z.object({ shopId: z.string() }),
          response: { 200: responseSchema, 401: problemSchema },
        },
      },
      async (request, reply) => {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const shopId = await knownShop(ctx, request.params.shopId);
        const signature = header(request, platform.signature);
        if (platform === WOOCOMMERCE && !signature && isWooPing(body)) {
          // WooCommerce activates a webhook only after its unsigned ping gets a 200.
          return { status: 'ping' as const };
        }
        const secrets = await ctx.credentials.webhookSecrets(shopId);
        const verified =
          signatureMatches(secrets, body, signature) ||
          (platform === SHOPIFY &&
            (await signedByShopifyApp(ctx, request, shopId, body, signature)));
        if (!verified) {
          ctx.metrics.deliveriesAccepted.inc({ source: platform.source, result: 'bad_signature' });
          throw problems.unauthorized(
            `The ${platform.signature} signature does not match this shop's webhook secret.`,
          );
        }
        const topic = header(request, platform.topic);
        if (!topic) {
          throw problems.validation([
            { path: `headers.${platform.topic}`, message: 'is required' },
          ]);
        }
        if (platform === SHOPIFY && SHOPIFY_COMPLIANCE_TOPICS.has(topic)) {
          const reason = await complianceShopMismatch(ctx, request, shopId, topic, body);
          if (reason) {
            ctx.metrics.deliveriesAccepted.inc({
              source: platform.source,
              result: 'bad_signature',
            });
            throw problems.unauthorized(reason);
          }
        }
        const wait = ctx.rateLimiter.take(`${shopId}:ingest`, ctx.config.ingestRateLimit);
        if (wait > 0) throw problems.rateLimited(wait);
        const stored = await ctx.inbox.write({
          shopId,
          source: platform.source,
          topic,
          deliveryId: platform.deliveryKey(header(request, platform.deliveryId), body),
          idempotencyKey: null,
          requestHash: null,
          verified: true,
          headers: Object.fromEntries(
            platform.keep.flatMap((name) => {
              const value = header(request, name);
              return value ? [[name, value]] : [];
            }),
          ),
          body,
          occurredAt: null,
        });
        const status = stored.duplicate ? ('duplicate' as const) : ('accepted' as const);
        ctx.metrics.deliveriesAccepted.inc({ source: platform.source, result: status });
        return reply.status(200).send({ eventId: stored.eventId, status });
      },
    );
  }

  r.post(
    '/v1/webhooks/shoper/:shopId',
    {
      config: { auth: 'none', rateClass: 'ingest' },
      schema: {
        tags: ['ingestion'],
        summary: 'Receive a Shoper webhook delivery',
        description:
          "Verified on the raw body: X-Webhook-SHA1 = hex(SHA-1(X-Webhook-Id + ':' + key + ':' + body)), the key " +
          'being the shop\'s webhook secret pasted as the webhook\'s "Klucz" in the Shoper panel. JSON format only: ' +
          "a webhook set to XML is refused with 415. Stored with the shop's time zone and currency (Shoper times " +
          'have no zone, its amounts no currency code), then processed asynchronously. Shoper sends no delivery id: ' +
          'the same body on the same event (X-Webhook-Name) is the same delivery and has no second effect.',
        params: z.object({ shopId: z.string() }),
        response: {
          200: responseSchema,
          400: problemSchema,
          401: problemSchema,
          415: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const shopId = await knownShop(ctx, request.params.shopId);
      const secrets = await ctx.credentials.webhookSecrets(shopId);
      if (
        !shoperSignatureMatches(
          secrets,
          header(request, 'x-webhook-id'),
          body,
          header(request, 'x-webhook-sha1'),
        )
      ) {
        ctx.metrics.deliveriesAccepted.inc({ source: 'shoper', result: 'bad_signature' });
        throw problems.unauthorized(
          "The X-Webhook-SHA1 signature does not match this shop's webhook secret (the webhook's Klucz).",
        );
      }
      const type = header(request, 'content-type') ?? '';
      const text = body.toString('utf8');
      if (/xml/i.test(type) || text.trimStart().startsWith('<')) {
        throw problems.unsupportedMediaType(
          "Lojal reads Shoper webhooks in JSON only: set the webhook's format to JSON in the Shoper panel.",
        );
      }
      const topic = header(request, 'x-webhook-name');
      if (!topic) {
        throw problems.validation([{ path: 'headers.x-webhook-name', message: 'is required' }]);
      }
      try {
        JSON.parse(text);
      } catch {
        throw problems.badRequest('The body is not valid JSON.');
      }
      const wait = ctx.rateLimiter.take(`${shopId}:ingest`, ctx.config.ingestRateLimit);
      if (wait > 0) throw problems.rateLimited(wait);
      const shop = await ctx.db
        .selectFrom('shops')
        .select(['timezone', 'currency'])
        .where('id', '=', shopId)
        .executeTakeFirstOrThrow();
      const stored = await ctx.inbox.write({
        shopId,
        source: 'shoper',
        topic,
        // X-Webhook-Id names the webhook, not the delivery: the event and the body are the delivery.
        deliveryId: `sha256:${sha256(`${topic}\n${text}`).toString('hex')}`,
        idempotencyKey: null,
        requestHash: null,
        verified: true,
        headers: Object.fromEntries(
          ['x-webhook-name', 'x-webhook-id', 'x-shop-domain', 'x-shop-license'].flatMap((name) => {
            const value = header(request, name);
            return value ? [[name, value]] : [];
          }),
        ),
        // The merchant's status map of the shop's Shoper connection, if it has one; else null,
        // and the adapter reads the order's own status type (ingest/shoper.ts).
        body: Buffer.from(
          shoperEnvelope(
            {
              timezone: shop.timezone,
              currency: shop.currency,
              statuses: await shoperStatusMap(ctx, shopId),
            },
            text,
          ),
          'utf8',
        ),
        occurredAt: null,
      });
      const status = stored.duplicate ? ('duplicate' as const) : ('accepted' as const);
      ctx.metrics.deliveriesAccepted.inc({ source: 'shoper', result: status });
      return reply.status(200).send({ eventId: stored.eventId, status });
    },
  );
}

/**
 * App Store mode (LOJAL_SHOPIFY_APP_SECRET): one client secret signs every installed shop's
 * deliveries, so the signature alone does not say which Lojal shop a delivery is for. It is
 * accepted only when X-Shopify-Shop-Domain names the shop of this Lojal shop's Shopify
 * connection. A shop's own webhook secret (a custom app) needs no such binding.
 */
async function signedByShopifyApp(
  ctx: AppContext,
  request: FastifyRequest,
  shopId: string,
  body: Buffer,
  signature: string | undefined,
): Promise<boolean> {
  const appSecret = ctx.config.shopifyAppSecret;
  const domain = header(request, 'x-shopify-shop-domain')?.toLowerCase();
  if (!appSecret || !domain || !signatureMatches([appSecret], body, signature)) return false;
  return (await shopifyDomainOf(ctx.db, shopId)) === domain;
}

/**
 * A privacy delivery (customers/data_request, customers/redact, shop/redact) names its shop in
 * its signed body (shop/redact must): it must be the shop the delivery says it is for, and this
 * Lojal shop's Shopify shop where a connection names one. Otherwise a genuine delivery for another shop,
 * replayed to this shop's address, could erase this shop's data. Returns why not, or null.
 */
async function complianceShopMismatch(
  ctx: AppContext,
  request: FastifyRequest,
  shopId: string,
  topic: string,
  body: Buffer,
): Promise<string | null> {
  let named: unknown;
  try {
    named = (parseJsonLossless(body.toString('utf8')) as { shop_domain?: unknown }).shop_domain;
  } catch {
    return 'The privacy delivery is not JSON.';
  }
  if (typeof named !== 'string' || named === '') {
    // Erasing a whole shop needs the shop named; the others act on the customer they name.
    return topic === 'shop/redact' ? 'The shop/redact delivery names no shop_domain.' : null;
  }
  const domain = named.toLowerCase();
  const sentFor = header(request, 'x-shopify-shop-domain')?.toLowerCase();
  const connected = await shopifyDomainOf(ctx.db, shopId);
  if ((sentFor && sentFor !== domain) || (connected && connected !== domain)) {
    return `The privacy delivery is for ${named}, not for this shop's Shopify shop.`;
  }
  return null;
}

function bodyKey(body: Buffer): string {
  return `sha256:${sha256(body).toString('hex')}`;
}

/** The status map in the settings of the shop's Shoper connection; null without one. */
async function shoperStatusMap(ctx: AppContext, shopId: string) {
  const connection = await ctx.db
    .selectFrom('connections')
    .select('settings')
    .where('shop_id', '=', shopId)
    .where('platform', '=', 'shoper')
    .executeTakeFirst();
  if (!connection) return null;
  const settings = shoperSettingsSchema.safeParse(connection.settings);
  return settings.success ? (settings.data.statuses ?? null) : null;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isWooPing(body: Buffer): boolean {
  return /^webhook_id=\d+$/.test(body.toString('utf8').trim());
}

async function knownShop(ctx: AppContext, shopId: string): Promise<string> {
  if (!shopIdParam.safeParse(shopId).success) throw problems.notFound(`Shop ${shopId}`);
  const secrets = await ctx.credentials.webhookSecrets(shopId);
  if (secrets.length > 0) return shopId;
  const shop = await ctx.db
    .selectFrom('shops')
    .select('id')
    .where('id', '=', shopId)
    .executeTakeFirst();
  if (!shop) throw problems.notFound(`Shop ${shopId}`);
  return shopId;
}
