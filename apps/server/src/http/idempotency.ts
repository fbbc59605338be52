import { sql } from 'kysely';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problems } from '../shared/errors.ts';
import { sha256 } from '../shared/secrets.ts';
import type { AppContext } from './context.ts';
import { clientKey } from './rate-limiter.ts';

const MAX_KEY_LENGTH = 255;
const ABANDONED_AFTER_MS = 60_000;
/** Saved responses are kept at least 24 hours (API.md); older ones are purged. */
const KEEP_MS = 48 * 60 * 60 * 1000;

/**
 * Deletes saved responses past their keeping time; a sweep on the worker's crontab. Measured on the database's
 * clock, which stamped them, so an application server whose clock runs ahead purges nothing early.
 */
export async function purgeIdempotencyKeys(db: AppContext['db']): Promise<number> {
  const result = await db
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${KEEP_MS / 1000})`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Idempotency-Key on POST routes, with Stripe's semantics: the same key and body get the saved
 * first response (status and body); the same key with another body, or while the first is
 * still running, gets 409. Responses of 5xx are not saved, so the client can retry. Saved
 * responses are encrypted, since some hold a secret shown once (a new API key).
 */
export function registerIdempotency(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('idempotency', undefined);

  app.addHook('preHandler', async (request, reply) => {
    if (!request.routeOptions.config.idempotent || request.method !== 'POST') return;
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') return;
    if (key.length > MAX_KEY_LENGTH) {
      throw problems.validation([
        { path: 'headers.idempotency-key', message: `at most ${MAX_KEY_LENGTH} characters` },
      ]);
    }
    const scope = scopeOf(request);
    const path = request.routeOptions.url ?? request.url;
    const requestHash = sha256(`${requestLine(request)}\n${JSON.stringify(request.body ?? null)}`);
    const inserted = await ctx.db
      .insertInto('idempotency_keys')
      .values({ shop_id: scope, key, method: request.method, path, request_hash: requestHash })
      .onConflict((oc) => oc.columns(['shop_id', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) {
      request.idempotency = { scope, key };
      return;
    }
    const saved = await ctx.db
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'status_code', 'response_box'])
      .where('shop_id', '=', scope)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!saved)
      throw problems.conflict('The request with this Idempotency-Key was just abandoned; retry.');
    if (!saved.request_hash.equals(requestHash)) {
      throw problems.conflict('This Idempotency-Key was used with a different request.');
    }
    if (saved.status_code === null || saved.response_box === null) {
      // A first attempt that never finished (its process died) is taken over after a minute,
      // measured on the database's clock, which also stamped the first attempt.
      const takenOver = await ctx.db
        .updateTable('idempotency_keys')
        .set({ created_at: sql<Date>`now()` })
        .where('shop_id', '=', scope)
        .where('key', '=', key)
        .where('status_code', 'is', null)
        .where(
          'created_at',
          '<',
          sql<Date>`now() - make_interval(secs => ${ABANDONED_AFTER_MS / 1000})`,
        )
        .returning('key')
        .executeTakeFirst();
      if (takenOver) {
        request.idempotency = { scope, key };
        return;
      }
      throw problems.conflict('A request with this Idempotency-Key is still in progress.');
    }
    return replay(reply, saved.status_code, ctx.box.open(saved.response_box).toString('utf8'));
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const pending = request.idempotency;
    if (!pending) return payload;
    request.idempotency = undefined;
    const where = ctx.db
      .updateTable('idempotency_keys')
      .where('shop_id', '=', pending.scope)
      .where('key', '=', pending.key);
    if (reply.statusCode >= 500 || typeof payload !== 'string') {
      await ctx.db
        .deleteFrom('idempotency_keys')
        .where('shop_id', '=', pending.scope)
        .where('key', '=', pending.key)
        .execute();
    } else {
      const saved = JSON.stringify({ type: reply.getHeader('content-type'), body: payload });
      await where
        .set({ status_code: reply.statusCode, response_box: ctx.box.seal(saved) })
        .execute();
    }
    return payload;
  });
}

/**
 * Whose keys a key is looked up among: the shop's (API keys and the dashboard share them), or on
 * the storefront one customer's — two shoppers who happen to send the same key never see each
 * other's answers — or, for a guest, one client address's.
 */
function scopeOf(request: FastifyRequest): string {
  const shop = request.shop?.id;
  if (!shop) return '*';
  if (request.storefrontCustomer)
    return `${shop}:customer:${request.storefrontCustomer.externalId}`;
  const { auth } = request.routeOptions.config;
  return auth === 'storefront' || auth === 'customer'
    ? `${shop}:address:${clientKey(request.ip)}`
    : shop;
}

/**
 * What makes two requests the same one: the method and URL; on the storefront the route and its
 * parameters without the query, which Shopify's App Proxy signs afresh on every retry.
 */
function requestLine(request: FastifyRequest): string {
  const { auth } = request.routeOptions.config;
  if (auth !== 'storefront' && auth !== 'customer') return `${request.method} ${request.url}`;
  return `${request.method} ${request.routeOptions.url ?? ''} ${JSON.stringify(request.params ?? {})}`;
}

function replay(reply: FastifyReply, status: number, saved: string) {
  const { type, body } = JSON.parse(saved) as { type: string; body: string };
  return reply
    .status(status)
    .header('content-type', type)
    .header('idempotent-replayed', 'true')
    .send(body);
}
