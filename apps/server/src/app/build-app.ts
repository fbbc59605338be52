import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { CONNECTORS, platformPolicy } from './connectors.ts';
import type { ConnectionDeps } from '../connections/connection-deps.ts';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { Metrics } from '../shared/metrics.ts';
import type { SecretBox } from '../shared/secrets.ts';
import { Credentials } from '../shops/credentials.ts';
import { StorefrontKeys } from '../storefront/storefront-keys.ts';
import { StorefrontCache } from '../storefront/storefront-cache.ts';
import { InboxWriter } from '../ingest/inbox-writer.ts';
import type { AppContext } from '../http/context.ts';
import { shopDefaults } from './provision-shop.ts';
import { customerPanels } from './customer-panels.ts';
import { registerRoutes } from './routes.ts';
import { RateLimiter } from '../http/rate-limiter.ts';
import { registerProblemHandler, sendFrameworkProblem } from '../http/problem-handler.ts';
import { requestForLog } from '../http/redact-url.ts';
import { registerSecurityHeaders } from '../http/security-headers.ts';
import { acceptJsonBodies } from '../http/json-body.ts';
import { registerAuth } from '../http/auth.ts';
import { registerIdempotency } from '../http/idempotency.ts';
import { openApiTransform, openApiTransformObject } from '../http/openapi.ts';
import { registerAuditTrail } from '../http/audit-trail.ts';
import { ACCOUNT_WINDOW_MS } from '../http/account-throttle.ts';
import { accountMailTransport } from '../accounts/account-mail.ts';
import { RenderPool } from '../messaging/render-pool.ts';

export interface AppDeps {
  db: Db;
  /** The pool behind `db`: for what needs a connection of its own (COPY of an imported file). */
  pool: pg.Pool;
  clock: Clock;
  config: Config;
  box: SecretBox;
  metrics: Metrics;
  /** Called when new inbound events are stored (wakes the event processor). */
  onEventsStored?: () => void;
  logger?: FastifyBaseLogger;
  /** Where template previews and saves render; without it the app starts its own pool. */
  renderPool?: RenderPool;
  /** Sees every route as it is added: the route table (tests check each route of it). */
  onRoute?: (route: RouteOptions) => void;
  /** The platforms that can be connected; tests hand in their own. Default: app/connectors.ts. */
  connectors?: ConnectionDeps['connectors'];
}

// A shop may have two renders running or waiting; the pool's two workers serve every shop. One
// starts with the app, so that the first preview does not wait for a thread to load MJML.
const RENDER_POOL = { size: 2, maxPerOwner: 2, prestart: 1 };

/** Trust the n proxies nearest to Lojal (what Fastify does with a number, in its typed form). */
function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}

/** Builds the HTTP app without listening; tests drive it with inject(). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // Request lines carry the URL with its secrets (link tokens, codes) masked.
    ...(deps.logger
      ? { loggerInstance: deps.logger.child({}, { serializers: { req: requestForLog } }) }
      : { logger: false }),
    bodyLimit: deps.config.bodyLimitBytes,
    // Signed tokens in links (/m/…, /s/…) run to a few hundred characters.
    routerOptions: { maxParamLength: 1000 },
    // Behind a reverse proxy the client address comes from X-Forwarded-For (LOJAL_TRUST_PROXY).
    trustProxy:
      typeof deps.config.trustProxy === 'number'
        ? trustHops(deps.config.trustProxy)
        : deps.config.trustProxy,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    frameworkErrors: sendFrameworkProblem,
    forceCloseConnections: 'idle',
  });
  if (deps.onRoute) app.addHook('onRoute', deps.onRoute);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const renderPool = deps.renderPool ?? new RenderPool(RENDER_POOL);
  // Its own pool goes with the app; one handed in belongs to the caller.
  if (!deps.renderPool) app.addHook('onClose', () => renderPool.close());

  const ctx: AppContext = {
    connections: {
      db: deps.db,
      clock: deps.clock,
      box: deps.box,
      connectors: deps.connectors ?? CONNECTORS,
      policy: platformPolicy(deps.config),
    },
    db: deps.db,
    pool: deps.pool,
    clock: deps.clock,
    config: deps.config,
    box: deps.box,
    metrics: deps.metrics,
    credentials: new Credentials(deps.db, deps.clock, deps.box),
    storefrontKeys: new StorefrontKeys(deps.db, deps.clock, deps.box),
    storefrontCache: new StorefrontCache(deps.db, deps.clock),
    inbox: new InboxWriter(deps.db, deps.onEventsStored),
    rateLimiter: new RateLimiter(),
    publicRateLimiter: new RateLimiter(() => deps.clock.now().getTime(), 60_000),
    renderer: renderPool,
    shopDefaults,
    customerPanels,
    accountLimiter: new RateLimiter(() => deps.clock.now().getTime(), ACCOUNT_WINDOW_MS),
    accountMailer: {
      transport: accountMailTransport(deps.db, deps.clock, deps.config.smtpUrl),
      from: deps.config.mailFrom,
      publicUrl: deps.config.publicUrl,
    },
  };
  app.addHook('onClose', () => ctx.accountMailer.transport.close());

  registerProblemHandler(app, deps.config.bodyLimitBytes);
  registerSecurityHeaders(app);
  acceptJsonBodies(app);
  // While shutting down, answers close their connection, so keep-alive connections that were
  // busy when close() began end after their last response instead of holding the exit.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    deps.metrics.httpRequests.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
      },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Lojal API',
        version: '1',
        description: 'Loyalty, referral and retention engine. Errors are RFC 9457 problem+json.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: "The shop's API key" },
          operatorToken: { type: 'http', scheme: 'bearer', description: 'LOJAL_ADMIN_TOKEN' },
          metricsToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'LOJAL_METRICS_TOKEN (LOJAL_ADMIN_TOKEN when unset)',
          },
          customerToken: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description:
              "A customer token (storefront routes): HS256, signed by the shop's backend with its " +
              'storefront secret (POST /v1/storefront/secret), or by Lojal for the customer portal.',
          },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'lojal_session',
            description:
              'A dashboard sign-in (POST /v1/session). On shop routes with the header ' +
              "`Lojal-Shop: <shop id>`; writes need the instance's own Origin; the role " +
              'must allow the route (403 otherwise).',
          },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: openApiTransform,
    transformObject: openApiTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerAuth(app, ctx);
  registerIdempotency(app, ctx);
  registerAuditTrail(app, ctx);

  await registerRoutes(app, ctx);
  return app;
}
