import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { shopIdParam, problemSchema } from '../schemas.ts';
import { problems } from '../../shared/errors.ts';
import { sha256 } from '../../shared/secrets.ts';
import type { InboundSource } from '../../db/schema.ts';
import { signatureMatches } from '../../ingest/verify-webhook.ts';
import { shoperEnvelope } from '../../ingest/shoper.ts';
import { shoperSignatureMatches } from '../../platforms/shoper/signature.ts';
import { shoperSettingsSchema } from '../../platforms/shoper/webapi.ts';

interface Platform {
  source: Exclude<InboundSource, 'api'>;
  signature: string;
  topic: string;
  deliveryId: string;
  /** Headers kept with the raw delivery. */
  keep: string[];
}

const SHOPIFY: Platform = {
  source: 'shopify',
  signature: 'x-shopify-hmac-sha256',
  topic: 'x-shopify-topic',
  deliveryId: 'x-shopify-webhook-id',
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
          description: `Verified with the shop's webhook secret on the raw body (${platform.signature}), stored, then processed asynchronously. A repeated delivery id has no second effect.`,
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
        if (!signatureMatches(secrets, body, signature)) {
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
        const wait = ctx.rateLimiter.take(`${shopId}:ingest`, ctx.config.ingestRateLimit);
        if (wait > 0) throw problems.rateLimited(wait);
        const stored = await ctx.inbox.write({
          shopId,
          source: platform.source,
          topic,
          // Without a delivery id, identical bytes on the same topic are the same delivery.
          deliveryId:
            header(request, platform.deliveryId) ?? `sha256:${sha256(body).toString('hex')}`,
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
