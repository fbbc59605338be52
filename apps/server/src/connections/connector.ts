import type { z } from 'zod';
import type { DiscountSpec } from '../coupons/coupon-decision.ts';

/**
 * What one shop platform must do for Lojal, whatever it is: prove the merchant's credentials,
 * hand over changed records page by page from a cursor (reconciliation and history backfill),
 * and create, and later disable, the codes Lojal issues so they work at that platform's
 * checkout. Each platform lives in `platforms/<name>/` and exports one `PlatformConnector`;
 * `app/connectors.ts` lists them. The runtime in `connections/` does everything around them:
 * storage of encrypted credentials, scheduling, cursors, backoff, rate limits, status, the queue
 * of codes to create. Facts per platform: ../shared/INTEGRATIONS.md.
 *
 * A connector never touches the database and never keeps state between calls: all it knows
 * comes in through `ConnectorContext`, all it learns goes out in its return value.
 */
export type Platform =
  'shopify' | 'woocommerce' | 'shoper' | 'idosell' | 'prestashop' | 'baselinker' | 'dotykacka';

export const PLATFORMS: readonly Platform[] = [
  'shopify',
  'woocommerce',
  'shoper',
  'idosell',
  'prestashop',
  'baselinker',
  'dotykacka',
];

/** JSON a connector keeps between pages (its cursor): plain data, stored as jsonb. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface ConnectorContext<Credentials = unknown, Settings = unknown> {
  shopId: string;
  connectionId: string;
  credentials: Credentials;
  settings: Settings;
  /** The shop's IANA time zone (Shoper's and IdoSell's zone-less times are local) and currency. */
  shop: { timezone: string; currency: string; publicUrl: string };
  /** Rate-limited HTTP bound to this connection: see PlatformHttp. */
  http: PlatformHttp;
  /** The runtime's clock. */
  now: Date;
  /**
   * Kept by the runtime for one run (a pull run's pages, a push batch) in memory, never stored
   * and never shared with another connection: an access token taken on the first page serves the
   * next ones instead of one sign-in per page. Absent: nothing is kept.
   */
  session?: Map<string, unknown>;
}

export interface PlatformRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute URL. */
  url: string;
  headers?: Record<string, string>;
  /** Added to the URL's query string. */
  query?: Record<string, string | number>;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded (BaseLinker). */
  form?: Record<string, string>;
  /** Sent as is, with its content type (PrestaShop's Webservice takes XML). */
  raw?: { contentType: string; text: string };
  /** What the call is for, in the connection's error list ("create code LOJAL-AB12"). */
  purpose?: string;
}

export interface PlatformResponse {
  status: number;
  headers: Headers;
  /** The body as text; read ids from it with parseJsonLossless (shared/json.ts), never JSON.parse. */
  text: string;
}

/**
 * The HTTP client the runtime hands a connector. It waits so the connector's `rateLimit` is never
 * exceeded (and longer when `throttle` says so), times out after 30 s, refuses private network
 * addresses in production (tests allow loopback), and throws PlatformError:
 * - `unavailable` on a network error, a timeout or a 5xx;
 * - `rate-limited` on a 429, with `retryAfterMs` from Retry-After (or the connector's throttle);
 * - `auth` on 401 and 403.
 * Any other status is returned for the connector to judge.
 */
export interface PlatformHttp {
  request(request: PlatformRequest): Promise<PlatformResponse>;
}

export type PlatformErrorKind =
  /** Credentials wrong, revoked or lacking a permission: nothing works until the merchant acts. */
  | 'auth'
  /** The shop's address is wrong (DNS, not that platform, 404 on the API root). */
  | 'address'
  /** Down, timing out, 5xx: retried with backoff. */
  | 'unavailable'
  /** 429 or the platform's own limit header: retried after `retryAfterMs`. */
  | 'rate-limited'
  /** The platform refused this one thing (a code it will not create): retried later, reported. */
  | 'refused'
  /** An answer Lojal does not understand (a fact in INTEGRATIONS.md that was wrong): reported. */
  | 'bad-response';

export class PlatformError extends Error {
  constructor(
    readonly kind: PlatformErrorKind,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'PlatformError';
  }
}

/**
 * One record read from the platform, stored in the raw event log exactly like a webhook
 * delivery (`inbound_events`, source = the platform) and turned into commands by the platform's
 * adapter in `ingest/<platform>.ts` with `topic`. Storing first means nothing pulled is lost and
 * the processor applies it once.
 */
export interface PulledRecord {
  /** The adapter's topic: e.g. `order.updated` for WooCommerce (the webhook's own shape). */
  topic: string;
  /**
   * This version of this record, stable across pulls: `order:1042@2025-03-01T10:00:00Z` (id and
   * modification time). The runtime stores it as delivery id `pull:<key>`, so pulling the same
   * version twice stores it once, and a newer version is a new delivery.
   */
  key: string;
  /** The record as JSON text, ids as the platform sent them (string or digits, never rounded). */
  body: string;
  /** When the platform says the record changed, if it says. */
  occurredAt?: Date | null;
}

export interface PullInput {
  /** What the previous page returned; null on the first call of a run from `since`. */
  cursor: Json;
  /** `sync`: changes since `since`, forever. `backfill`: history between `since` and `until`. */
  mode: 'sync' | 'backfill';
  since: Date;
  /** Backfill only: where history ends (the connection's start; sync takes over from there). */
  until: Date | null;
}

export interface PullPage {
  records: PulledRecord[];
  /** Handed back on the next call. */
  cursor: Json;
  /** No more pages now: the runtime waits for the next interval (sync) or marks backfill done. */
  done: boolean;
  /** Backfill: how many records the platform says there are in all (X-WP-Total…), if it says. */
  total?: number;
  /** The newest change time seen so far: the runtime reports lag as now minus this. */
  reachedAt?: Date | null;
}

/** A code Lojal issued, with every term the platform should enforce. Money in minor units. */
export interface CodeToPush {
  couponId: string;
  code: string;
  discount: DiscountSpec;
  currency: string;
  minBasket: number | null;
  startsAt: Date | null;
  expiresAt: Date | null;
  /** Uses in all (1 for a customer's code). */
  usageLimit: number | null;
  /** Uses per customer where the platform has it. */
  usageLimitPerCustomer: number | null;
  /** Restrict to this customer where the platform can (WooCommerce email_restrictions…). */
  customerEmail: string | null;
  /** The customer's id on the platform, where the platform restricts by customer id. */
  customerExternalId: string | null;
  productIds: string[];
  categoryIds: string[];
  excludeProductIds: string[];
  excludeCategoryIds: string[];
  /** Codes of one campaign: a platform with bulk codes puts them under one discount. */
  campaign: { id: string; name: string } | null;
  /** For the platform's admin: "Lojal: Kawa gratis (nagroda)". */
  title: string;
}

export type PushResult =
  | { couponId: string; ok: true; ref: string }
  | { couponId: string; ok: false; error: PlatformError };

export interface PlatformConnector<Credentials = unknown, Settings = unknown> {
  platform: Platform;
  /** "Shoper", "IdoSell": for people. */
  name: string;
  /** Validated at POST /v1/connections; stored encrypted; never returned. */
  credentialsSchema: z.ZodType<Credentials>;
  /** Not secret: the shop's address, status mappings, options. Returned in the status. */
  settingsSchema: z.ZodType<Settings>;
  /** The most calls allowed: e.g. BaseLinker `{ requests: 100, perMs: 60_000 }`. */
  rateLimit: { requests: number; perMs: number };
  /**
   * After each answer: how long to wait before the next call, read from the platform's own
   * headers (Shoper's X-Shop-Api-Calls, Shopify's throttleStatus…). Null: only rateLimit.
   */
  throttle?(response: PlatformResponse): number | null;
  /** How often sync pulls run when nothing wakes them (IdoSell: sparingly, metered calls). */
  pullEveryMs: number;
  /** How far back each sync run re-reads, to catch changes written late (a few minutes). */
  overlapMs: number;
  /**
   * Whether orders pulled with these settings earn Lojal points. False when the platform keeps
   * its own points (IdoSell's `pointsOwner: 'idosell'`): every record is then stored as history
   * that earns none (it still counts for analytics and tiers), in sync as in backfill. Absent:
   * they earn, as the shop's rules say.
   */
  earnsPoints?(settings: Settings): boolean;
  /** The platform forgets changes older than this (BaseLinker's journal: 3 days): lag past it alerts. */
  retentionMs?: number;
  /**
   * One cheap call that proves the address and credentials; throws PlatformError (`auth`,
   * `address`) with a message a merchant can act on. Returns what to show ("Kawa Shop").
   */
  test(ctx: ConnectorContext<Credentials, Settings>): Promise<{ accountName: string | null }>;
  pull(ctx: ConnectorContext<Credentials, Settings>, input: PullInput): Promise<PullPage>;
  /**
   * Create codes in the platform. Idempotent: a code that already exists there (a retry after a
   * crash) is found and its ref returned, never created twice. One result per code, in order.
   * Absent: the platform cannot take codes (the docs say so).
   */
  pushCodes?(
    ctx: ConnectorContext<Credentials, Settings>,
    codes: CodeToPush[],
  ): Promise<PushResult[]>;
  /** Make a code unusable there (used or expired in Lojal). Already gone counts as done. */
  disableCode?(
    ctx: ConnectorContext<Credentials, Settings>,
    code: CodeToPush,
    ref: string,
  ): Promise<void>;
}
