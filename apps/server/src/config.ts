import path from 'node:path';

/** Everything Lojal reads from the environment. No other module reads process.env. */
export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  adminToken: string | undefined;
  /** 32-byte key that encrypts stored secrets; when unset a key file in dataDir is used. */
  secretKey: string | undefined;
  smtpUrl: string | undefined;
  logLevel: string;
  demo: boolean;
  bodyLimitBytes: number;
  dbPoolSize: number;
  runProcessor: boolean;
  /** Requests per second per shop on ingestion routes (events, webhooks). */
  ingestRateLimit: number;
  /** Requests per second per shop on all other shop routes. */
  apiRateLimit: number;
  /** Coupon validations per second per API key, and per client address (against guessing). */
  couponRateLimit: number;
  couponRateLimitPerAddress: number;
}

type Env = Record<string, string | undefined>;

export class ConfigError extends Error {}

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
    secretKey: nonEmpty(env.LOJAL_SECRET_KEY),
    smtpUrl: nonEmpty(env.SMTP_URL),
    logLevel: env.LOG_LEVEL ?? 'info',
    demo: boolVar(env, 'LOJAL_DEMO', databaseUrl === undefined),
    bodyLimitBytes: intVar(env, 'LOJAL_BODY_LIMIT', 1024 * 1024),
    dbPoolSize: intVar(env, 'DATABASE_POOL_SIZE', 20),
    runProcessor: boolVar(env, 'LOJAL_PROCESSOR', true),
    ingestRateLimit: intVar(env, 'LOJAL_INGEST_RATE_LIMIT', 10_000),
    apiRateLimit: intVar(env, 'LOJAL_API_RATE_LIMIT', 1000),
    couponRateLimit: intVar(env, 'LOJAL_COUPON_RATE_LIMIT', 1000),
    couponRateLimitPerAddress: intVar(env, 'LOJAL_COUPON_RATE_LIMIT_PER_ADDRESS', 50),
  };
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
