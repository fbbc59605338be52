import type pg from 'pg';
import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { Metrics } from '../shared/metrics.ts';
import type { SecretBox } from '../shared/secrets.ts';
import type { Credentials } from '../shops/credentials.ts';
import type { StorefrontKeys } from '../storefront/storefront-keys.ts';
import type { StorefrontCache } from '../storefront/storefront-cache.ts';
import type { StorefrontCustomer } from '../storefront/customer-token.ts';
import type { InboxWriter } from '../ingest/inbox-writer.ts';
import type { TemplateRenderer } from '../messaging/template-renderer.ts';
import type { ShopRow } from '../shops/shop.ts';
import type { ShopDefault } from '../shops/create-shop.ts';
import type { CustomerPanel } from '../customers/customer-360.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { AccountMailer } from '../accounts/account-mail.ts';
import type { MemberRole } from '../accounts/roles.ts';
import type { ConnectionDeps } from '../connections/connection-deps.ts';

/** What route handlers may use; built once per app. */
export interface AppContext {
  db: Db;
  /** The pool behind `db`: a connection of its own for a COPY (an imported file streamed in). */
  pool: pg.Pool;
  clock: Clock;
  config: Config;
  box: SecretBox;
  metrics: Metrics;
  credentials: Credentials;
  /** The keys that verify customer tokens on the storefront API. */
  storefrontKeys: StorefrontKeys;
  /** A shop's storefront settings, catalogue and programme, kept a few seconds. */
  storefrontCache: StorefrontCache;
  inbox: InboxWriter;
  rateLimiter: RateLimiter;
  /** Per client address on the public routes, in one-minute windows. */
  publicRateLimiter: RateLimiter;
  /** Renders merchants' templates off the event loop (the app's render pool). */
  renderer: TemplateRenderer;
  /** Composed in app/: what a new shop starts with, and the parts of the customer 360. */
  shopDefaults: readonly ShopDefault[];
  customerPanels: readonly CustomerPanel[];
  /** Sign-in, invitation and reset attempts per account and per address, in 15-minute windows. */
  accountLimiter: RateLimiter;
  /** Where invitation and password reset e-mails go (SMTP_URL, or the account_mail table). */
  accountMailer: AccountMailer;
  /** Shop platforms: the connectors (app/connectors.ts) and where their calls may go. */
  connections: ConnectionDeps;
}

/** A person signed in with the session cookie; `role` in the shop named by Lojal-Shop. */
export interface SignedInMember {
  sessionId: string;
  userId: string;
  email: string;
  name: string;
  role: MemberRole | null;
}

/** Per-route settings read by the auth, rate-limit and idempotency hooks. */
export interface RouteConfig {
  /**
   * `metrics`: LOJAL_METRICS_TOKEN, or LOJAL_ADMIN_TOKEN when that is unset. `user`: a signed-in
   * person (the session cookie) without a shop, e.g. GET /v1/me. `storefront`: the storefront
   * API, a customer token optional; `customer`: one required (http/storefront-auth.ts).
   */
  auth?: 'shop' | 'operator' | 'metrics' | 'user' | 'storefront' | 'customer' | 'none';
  /**
   * Ingestion routes get the high limit (API.md: never below 5,000/s per shop). Routes without
   * a shop or operator credential are `public` (per client address) unless they say otherwise:
   * signed webhooks are counted as ingestion per shop, and `none` (health checks) not at all.
   */
  rateClass?: 'ingest' | 'api' | 'coupon' | 'public' | 'none';
  /** Stripe-style Idempotency-Key handling by the generic hook (POST routes). */
  idempotent?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    shop: ShopRow | null;
    operator: boolean;
    /** Set when the session cookie authenticated the request (http/session-auth.ts). */
    member: SignedInMember | null;
    /** Set on storefront routes: the customer the request speaks for, or null for a guest. */
    storefrontCustomer: StorefrontCustomer | null;
    rawBody: string | undefined;
    idempotency: { scope: string; key: string } | undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  interface FastifyContextConfig extends RouteConfig {}
}
