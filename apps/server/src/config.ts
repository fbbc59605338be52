import path from 'node:path';
import { StartupError } from './shared/startup-error.ts';

/** Everything Lojal reads from the environment. No other module reads process.env. */
export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  adminToken: string | undefined;
  /** Bearer token for GET /metrics; when unset, LOJAL_ADMIN_TOKEN opens it. */
  metricsToken: string | undefined;
  /** 32-byte key that encrypts stored secrets; when unset a key file in dataDir is used. */
  secretKey: string | undefined;
  /**
   * The client secret of a Shopify App Store app: it signs every installed shop's webhooks,
   * accepted for a shop whose Shopify connection names the delivery's shop domain.
   */
  shopifyAppSecret: string | undefined;
  smtpUrl: string | undefined;
  /** The From address of e-mail when a shop has set none of its own. */
  mailFrom: string;
  logLevel: string;
  demo: boolean;
  bodyLimitBytes: number;
  dbPoolSize: number;
  runProcessor: boolean;
  /** Requests per second per shop on ingestion routes (events, webhooks). */
  ingestRateLimit: number;
  /** Requests per second per shop on all other shop routes. */
  apiRateLimit: number;
  /** Coupon validations per second per shop (all its keys), and per client address. */
  couponRateLimit: number;
  couponRateLimitPerAddress: number;
  /**
   * Requests per minute per client address on the public routes (referral links, survey,
   * review and message-link pages, photos, docs); a request that finds nothing counts ten.
   */
  publicRateLimit: number;
  /** Largest file POST /v1/imports reads (streamed, never held whole); larger → 413. */
  importMaxBytes: number;
  /**
   * Storefront API requests (widget, portal) per minute per client address, and per customer
   * (whatever address the customer's token comes from).
   */
  storefrontRateLimit: number;
  storefrontCustomerRateLimit: number;
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (referral visits, rate
   * limits): false (none), true (any), a hop count, or addresses / CIDR ranges.
   */
  trustProxy: boolean | number | string[];
  /** The ports merchants' webhook and web push URLs may use; others are refused. */
  outboundPorts: number[];
  /**
   * Shop platforms on a private network (a PrestaShop in the shop's own LAN, a test's fake on
   * 127.0.0.1) may be connected. Off by default: platform addresses must be public.
   */
  platformPrivateNetworks: boolean;
  /** A dashboard session ends after this many minutes unused, and this many hours after sign-in. */
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  /**
   * Failed sign-ins (and invitation or reset requests) per account and per client address in
   * 15 minutes before 429.
   */
  loginRateLimit: number;
  loginRateLimitPerAddress: number;
}

type Env = Record<string, string | undefined>;

export class ConfigError extends StartupError {}

export function loadConfig(env: Env = process.env): Config {
  const baseDir = env.INIT_CWD ?? process.cwd();
  const port = intVar(env, 'PORT', 3000);
  const databaseUrl = nonEmpty(env.DATABASE_URL);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    publicUrl: (env.LOJAL_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    databaseUrl,
    dataDir: path.resolve(baseDir, env.LOJAL_DATA_DIR ?? '.lojal'),
    adminToken: nonEmpty(env.LOJAL_ADMIN_TOKEN),
    metricsToken: nonEmpty(env.LOJAL_METRICS_TOKEN),
    secretKey: nonEmpty(env.LOJAL_SECRET_KEY),
    shopifyAppSecret: nonEmpty(env.LOJAL_SHOPIFY_APP_SECRET),
    smtpUrl: nonEmpty(env.SMTP_URL),
    mailFrom: env.LOJAL_MAIL_FROM ?? 'no-reply@lojal.invalid',
    logLevel: env.LOG_LEVEL ?? 'info',
    demo: boolVar(env, 'LOJAL_DEMO', databaseUrl === undefined),
    bodyLimitBytes: intVar(env, 'LOJAL_BODY_LIMIT', 1024 * 1024),
    dbPoolSize: intVar(env, 'DATABASE_POOL_SIZE', 20),
    runProcessor: boolVar(env, 'LOJAL_PROCESSOR', true),
    ingestRateLimit: intVar(env, 'LOJAL_INGEST_RATE_LIMIT', 10_000),
    apiRateLimit: intVar(env, 'LOJAL_API_RATE_LIMIT', 1000),
    couponRateLimit: intVar(env, 'LOJAL_COUPON_RATE_LIMIT', 1000),
    couponRateLimitPerAddress: intVar(env, 'LOJAL_COUPON_RATE_LIMIT_PER_ADDRESS', 50),
    publicRateLimit: intVar(env, 'LOJAL_PUBLIC_RATE_LIMIT', 300),
    importMaxBytes: intVar(env, 'LOJAL_IMPORT_MAX_BYTES', 2 * 1024 * 1024 * 1024),
    storefrontRateLimit: intVar(env, 'LOJAL_STOREFRONT_RATE_LIMIT', 600),
    storefrontCustomerRateLimit: intVar(env, 'LOJAL_STOREFRONT_CUSTOMER_RATE_LIMIT', 120),
    trustProxy: trustProxyVar(nonEmpty(env.LOJAL_TRUST_PROXY)),
    outboundPorts: portsVar(env, 'LOJAL_OUTBOUND_PORTS', [80, 443]),
    platformPrivateNetworks: boolVar(env, 'LOJAL_PLATFORM_PRIVATE_NETWORKS', false),
    sessionIdleMinutes: intVar(env, 'LOJAL_SESSION_IDLE_MINUTES', 12 * 60),
    sessionMaxHours: intVar(env, 'LOJAL_SESSION_MAX_HOURS', 7 * 24),
    loginRateLimit: intVar(env, 'LOJAL_LOGIN_RATE_LIMIT', 10),
    loginRateLimitPerAddress: intVar(env, 'LOJAL_LOGIN_RATE_LIMIT_PER_ADDRESS', 50),
  };
}

function trustProxyVar(raw: string | undefined): boolean | number | string[] {
  if (raw === undefined) return false;
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  if (/^\d+$/.test(value)) return Number(value);
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function portsVar(env: Env, name: string, fallback: number[]): number[] {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const ports = raw.split(',').map((part) => Number(part.trim()));
  if (ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
    throw new ConfigError(`${name} must be ports (1-65535) separated by commas, got "${raw}"`);
  }
  return ports;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function intVar(env: Env, name: string, fallback: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new ConfigError(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

function boolVar(env: Env, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env[name])?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}
