import type { FastifyInstance, FastifyRequest } from 'fastify';
import { problems } from '../shared/errors.ts';
import { safeEqual, sha256 } from '../shared/secrets.ts';
import type { AppContext } from './context.ts';
import { clientKey } from './rate-limiter.ts';
import { sendPage } from './public-page-reply.ts';
import { tooManyRequestsPage } from '../surveys/public-page.ts';
import { authenticateShopMember, authenticateUser } from './session-auth.ts';
import { authenticateStorefront } from './storefront-auth.ts';

/** A public request that finds nothing (a guessed code or token) counts as this many. */
const PUBLIC_MISS_COST = 10;

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/** Routes anyone may call: counted per client address (LOJAL_PUBLIC_RATE_LIMIT a minute). */
function isPublic(request: FastifyRequest): boolean {
  const { auth, rateClass } = request.routeOptions.config ?? {};
  const keyed =
    auth === 'shop' ||
    auth === 'operator' ||
    auth === 'metrics' ||
    auth === 'user' ||
    auth === 'storefront' ||
    auth === 'customer';
  return !keyed && (rateClass ?? 'public') === 'public';
}

/** A bearer token against the configured one, in constant time whatever their lengths. */
function tokenMatches(token: string | null, expected: string): boolean {
  return (
    token !== null && safeEqual(sha256(token).toString('hex'), sha256(expected).toString('hex'))
  );
}

/**
 * Shop routes need a shop's API key, operator routes LOJAL_ADMIN_TOKEN. Runs before the body
 * is read, so an unauthenticated request costs nothing more. Rate limits are per shop, and on
 * public routes per client address.
 */
export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('shop', null);
  app.decorateRequest('operator', false);
  app.decorateRequest('member', null);
  app.decorateRequest('storefrontCustomer', null);
  app.addHook('onRequest', async (request, reply) => {
    const { auth, rateClass } = request.routeOptions.config;
    if (isPublic(request)) {
      const wait = ctx.publicRateLimiter.take(
        `public:${clientKey(request.ip)}`,
        ctx.config.publicRateLimit,
      );
      if (wait === 0) return;
      // People following a link from an e-mail see a page, programs a problem.
      if (!/\btext\/html\b/.test(request.headers.accept ?? '')) throw problems.rateLimited(wait);
      return sendPage(reply.header('retry-after', String(wait)), 429, tooManyRequestsPage());
    }
    if (auth === 'operator') {
      const token = bearer(request);
      if (!ctx.config.adminToken) {
        throw problems.unauthorized('Operator routes are disabled: LOJAL_ADMIN_TOKEN is not set.');
      }
      if (!tokenMatches(token, ctx.config.adminToken)) {
        throw problems.unauthorized('A valid operator token is required.');
      }
      request.operator = true;
      return;
    }
    if (auth === 'metrics') {
      const expected = ctx.config.metricsToken ?? ctx.config.adminToken;
      if (!expected) {
        throw problems.unauthorized(
          'Metrics are disabled: set LOJAL_METRICS_TOKEN (or LOJAL_ADMIN_TOKEN) and scrape with it.',
        );
      }
      if (!tokenMatches(bearer(request), expected)) {
        throw problems.unauthorized(
          'Send the metrics token as "Authorization: Bearer <LOJAL_METRICS_TOKEN>".',
        );
      }
      return;
    }
    // The storefront API: a shop's shoppers, with a customer token or as guests.
    if (auth === 'storefront' || auth === 'customer') {
      return authenticateStorefront(request, reply, ctx);
    }
    // Merchant accounts: a signed-in person, with or without a shop (http/session-auth.ts).
    if (auth === 'user') return authenticateUser(request, ctx);
    if (auth === 'shop' && !bearer(request) && (await authenticateShopMember(request, ctx))) {
      const wait = ctx.rateLimiter.take(`${request.shop!.id}:api`, ctx.config.apiRateLimit);
      if (wait > 0) throw problems.rateLimited(wait);
      return;
    }
    if (auth !== 'shop') return;
    const token = bearer(request);
    if (!token)
      throw problems.unauthorized('Send the shop\'s API key as "Authorization: Bearer <key>".');
    const shop = await ctx.credentials.shopForApiKey(token);
    if (!shop) throw problems.unauthorized('The API key is not valid or was revoked.');
    request.shop = shop;
    if (rateClass === 'coupon') {
      // Guessing codes is throttled per shop (not per key: a shop may make any number of
      // keys) and per client address, apart from other traffic.
      const wait = Math.max(
        ctx.rateLimiter.take(`coupon:${shop.id}`, ctx.config.couponRateLimit),
        ctx.rateLimiter.take(
          `coupon:${shop.id}:${request.ip}`,
          ctx.config.couponRateLimitPerAddress,
        ),
      );
      if (wait > 0) throw problems.rateLimited(wait);
      return;
    }
    const limit = rateClass === 'ingest' ? ctx.config.ingestRateLimit : ctx.config.apiRateLimit;
    const wait = ctx.rateLimiter.take(`${shop.id}:${rateClass ?? 'api'}`, limit);
    if (wait > 0) throw problems.rateLimited(wait);
  });
  // Guessing codes or tokens mostly finds nothing: such answers use up the allowance faster.
  // Only on a route's own 404 (a code or token it did not find), not for unknown paths.
  app.addHook('onResponse', async (request, reply) => {
    // A change to the shop (its settings, catalogue, tiers, campaigns…) shows on its storefront
    // at once in this process.
    if (request.shop && request.method !== 'GET' && request.method !== 'HEAD') {
      const { auth, rateClass } = request.routeOptions.config;
      // Not on ingestion: events change customers, not what the storefront cache holds.
      if (auth === 'shop' && rateClass !== 'ingest' && reply.statusCode < 400) {
        ctx.storefrontCache.forget(request.shop.id);
      }
    }
    if (reply.statusCode === 404 && request.routeOptions.url && isPublic(request)) {
      ctx.publicRateLimiter.take(`public:${clientKey(request.ip)}`, Infinity, PUBLIC_MISS_COST - 1);
    }
  });
}

/** Who acted, for audit trails: the signed-in user's id, or the API key's id. */
export function actorOf(request: FastifyRequest): string {
  if (request.member) return `user:${request.member.userId}`;
  const shop = shopOf(request) as { api_key_id?: string };
  return shop.api_key_id ? `api_key:${shop.api_key_id}` : 'api_key';
}

/** The authenticated shop; only call on routes with `auth: 'shop'`. */
export function shopOf(request: FastifyRequest) {
  if (!request.shop) throw problems.unauthorized('This route needs a shop API key or a session.');
  return request.shop;
}
