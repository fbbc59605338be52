import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problems } from '../shared/errors.ts';
import { safeEqual } from '../shared/secrets.ts';
import { createHmac } from 'node:crypto';
import type { ShopRow } from '../shops/shop.ts';
import {
  refusalDetail,
  verifyCustomerToken,
  type StorefrontCustomer,
} from '../storefront/customer-token.ts';
import type { AppContext } from './context.ts';
import { clientKey } from './rate-limiter.ts';

/**
 * The storefront API's edge (`/storefront/v1/shops/:shopId/...`): the widget, the customer portal
 * and a shop's own pages call it from the shopper's browser, with no API key. Here, in one place:
 * the shop from the path, CORS for the shop's own origins, rate limits per client address and per
 * customer, and who the request speaks for — a customer token signed by the shop's backend, a
 * portal token Lojal signed, or a Shopify App Proxy signature.
 */

/** Shopify's App Proxy signs each forwarded request; older than this, it is not taken. */
const APP_PROXY_MAX_AGE_S = 5 * 60;
const CORS_MAX_AGE_S = 600;
const ALLOWED_HEADERS = 'authorization, content-type, idempotency-key, accept-language';

function originOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Whether a page at `origin` may read the shop's storefront answers. */
export function storefrontOriginAllowed(shop: ShopRow, origin: string, publicUrl: string): boolean {
  return (
    origin === originOf(publicUrl) ||
    origin === originOf(shop.storefront_url) ||
    shop.storefront_origins.includes(origin)
  );
}

function allowOrigin(request: FastifyRequest, reply: FastifyReply, shop: ShopRow, ctx: AppContext) {
  const origin = request.headers.origin;
  reply.header('vary', 'Origin');
  if (origin && storefrontOriginAllowed(shop, origin, ctx.config.publicUrl)) {
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-expose-headers', 'retry-after, x-request-id');
  }
}

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/**
 * Shopify's App Proxy: every query parameter but `signature` as `key=value` (repeated keys
 * joined by commas), sorted, concatenated, HMAC-SHA256 in hex with the app's client secret —
 * the secret Shopify also signs the shop's webhooks with. Null when the request has no
 * signature; 'invalid' when it has one that does not hold.
 */
async function appProxyCustomer(
  request: FastifyRequest,
  shop: ShopRow,
  ctx: AppContext,
): Promise<StorefrontCustomer | 'guest' | 'invalid' | null> {
  const query = new URL(request.url, 'http://x').searchParams;
  const signature = query.get('signature');
  if (signature === null) return null;
  const values = new Map<string, string[]>();
  for (const [key, value] of query) {
    if (key !== 'signature') values.set(key, [...(values.get(key) ?? []), value]);
  }
  // Shopify sorts the `key=value` strings themselves (so "page2=…" sorts before "page=…").
  const message = [...values.keys()]
    .map((key) => `${key}=${values.get(key)!.join(',')}`)
    .sort()
    .join('');
  const timestamp = Number(query.get('timestamp'));
  const age = ctx.clock.now().getTime() / 1000 - timestamp;
  if (!Number.isFinite(timestamp) || Math.abs(age) > APP_PROXY_MAX_AGE_S) return 'invalid';
  const secrets = await ctx.credentials.webhookSecrets(shop.id);
  const signed = secrets.some((secret) =>
    safeEqual(createHmac('sha256', secret).update(message).digest('hex'), signature),
  );
  if (!signed) return 'invalid';
  const id = query.get('logged_in_customer_id') ?? '';
  return id === '' ? 'guest' : { externalId: id, email: null, firstName: null, via: 'app-proxy' };
}

type Shopper = { customer: StorefrontCustomer | null; proxied: boolean };

/**
 * Who the request speaks for. A bad token is a 401 where a customer is required; where one is
 * optional (the programme), the request goes on as a guest's, so a page cached past its token's
 * life still shows the programme.
 */
async function shopperOf(
  request: FastifyRequest,
  shop: ShopRow,
  ctx: AppContext,
): Promise<Shopper> {
  const required = request.routeOptions.config.auth === 'customer';
  const token = bearer(request);
  if (token) {
    const result = await verifyCustomerToken(
      token,
      {
        shopId: shop.id,
        secrets: (fresh) => ctx.storefrontKeys.shopSecrets(shop.id, { fresh }),
        portalKey: ctx.storefrontKeys.portalKey(shop.id),
      },
      ctx.clock.now(),
    );
    if (typeof result !== 'string') return { customer: result, proxied: false };
    if (required) throw problems.unauthorized(refusalDetail(result));
    return { customer: null, proxied: false };
  }
  const proxied = await appProxyCustomer(request, shop, ctx);
  if (proxied === 'invalid') {
    throw problems.unauthorized('The Shopify App Proxy signature does not hold for this shop.');
  }
  if (proxied === null) return { customer: null, proxied: false };
  return { customer: proxied === 'guest' ? null : proxied, proxied: true };
}

function limit(ctx: AppContext, key: string, allowance: number): void {
  const wait = ctx.publicRateLimiter.take(key, allowance);
  if (wait > 0) throw problems.rateLimited(wait);
}

/** The onRequest step of storefront routes (`auth: 'storefront' | 'customer'`). */
export async function authenticateStorefront(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: AppContext,
): Promise<void> {
  const address = clientKey(request.ip);
  const { shopId } = request.params as { shopId?: string };
  const shop = shopId ? (await ctx.storefrontCache.shop(shopId))?.shop : undefined;
  if (!shop) {
    // Guessing shop ids costs like a miss on the other public routes.
    limit(ctx, `storefront:${address}`, ctx.config.storefrontRateLimit);
    ctx.publicRateLimiter.take(`storefront:${address}`, Infinity, 9);
    throw problems.notFound(`Shop ${shopId ?? ''}`.trim());
  }
  request.shop = shop;
  // First, so that even a 401 or a 429 can be read by the shop's page.
  allowOrigin(request, reply, shop, ctx);
  const { customer, proxied } = await shopperOf(request, shop, ctx);
  // Calls through Shopify's App Proxy all come from Shopify's servers: those are counted per
  // customer only. Others per shop and address: one shop's crowd never uses up another's.
  if (!proxied) limit(ctx, `storefront:${shop.id}:${address}`, ctx.config.storefrontRateLimit);
  else if (!customer) {
    // Guests through the proxy: one allowance for the shop, a hundred addresses' worth.
    limit(ctx, `storefront:${shop.id}:proxy`, ctx.config.storefrontRateLimit * 100);
  }
  if (customer) {
    limit(
      ctx,
      `storefront:${shop.id}:customer:${customer.externalId}`,
      ctx.config.storefrontCustomerRateLimit,
    );
    // A shopper's own data is never kept by a shared cache.
    reply.header('cache-control', 'private, no-store');
  } else if (request.routeOptions.config.auth === 'customer') {
    throw problems.unauthorized(
      'Sign the customer in: send "Authorization: Bearer <customer token>" (a JWT signed with ' +
        "the shop's storefront secret).",
    );
  }
  request.storefrontCustomer = customer;
}

/** The shop of a storefront route. */
export function storefrontShopOf(request: FastifyRequest): ShopRow {
  if (!request.shop) throw problems.notFound('Shop');
  return request.shop;
}

/** The signed-in customer of a storefront route; 401 for a guest. */
export function storefrontCustomerOf(request: FastifyRequest): StorefrontCustomer {
  if (!request.storefrontCustomer) throw problems.unauthorized('A customer token is required.');
  return request.storefrontCustomer;
}

/**
 * Browsers ask before a cross-origin call with a token (a preflight OPTIONS): answered for every
 * storefront path, allowing the shop's own origins only.
 */
export function storefrontPreflight(app: FastifyInstance, ctx: AppContext): void {
  app.options(
    '/storefront/v1/shops/:shopId/*',
    { config: { auth: 'none', rateClass: 'public' }, schema: { hide: true } },
    async (request, reply) => {
      const { shopId } = request.params as { shopId: string };
      const shop = (await ctx.storefrontCache.shop(shopId))?.shop;
      if (shop) {
        allowOrigin(request, reply, shop, ctx);
        if (reply.hasHeader('access-control-allow-origin')) {
          reply.header('access-control-allow-methods', 'GET, POST, DELETE');
          reply.header('access-control-allow-headers', ALLOWED_HEADERS);
          reply.header('access-control-max-age', String(CORS_MAX_AGE_S));
        }
      }
      return reply.code(204).send();
    },
  );
}
