import { parseJsonLossless } from '../../shared/json.ts';
import {
  PlatformError,
  type ConnectorContext,
  type PlatformResponse,
} from '../../connections/connector.ts';
import { graphqlUrl, type ShopifyCredentials, type ShopifySettings } from './settings.ts';

export type ShopifyContext = ConnectorContext<ShopifyCredentials, ShopifySettings>;
type Obj = Record<string, unknown>;

/** The cost bucket Shopify reports in every answer's `extensions.cost` (GraphQL rate limits). */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

interface Cost {
  requestedQueryCost: number | null;
  throttleStatus: ThrottleStatus | null;
}

function costOf(body: unknown): Cost | null {
  const cost = obj(obj(obj(body)?.extensions)?.cost);
  if (!cost) return null;
  const status = obj(cost.throttleStatus);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const max = num(status?.maximumAvailable);
  const available = num(status?.currentlyAvailable);
  const rate = num(status?.restoreRate);
  return {
    requestedQueryCost: num(cost.requestedQueryCost),
    throttleStatus:
      max !== null && available !== null && rate !== null && rate > 0
        ? { maximumAvailable: max, currentlyAvailable: available, restoreRate: rate }
        : null,
  };
}

/**
 * How long to wait before the next call so the bucket holds what a call like this one needs:
 * (needed − available) / restoreRate. Null when the answer carries no cost (an error page).
 */
export function waitForBucket(cost: Cost | null): number | null {
  const status = cost?.throttleStatus;
  if (!status) return null;
  const needed = Math.min(status.maximumAvailable, Math.max(cost.requestedQueryCost ?? 0, 50));
  const missing = needed - status.currentlyAvailable;
  return missing > 0 ? Math.ceil((missing / status.restoreRate) * 1000) : 0;
}

/** PlatformConnector.throttle: reads the bucket from the answer's body. */
export function shopifyThrottle(response: PlatformResponse): number | null {
  if (!response.text.includes('throttleStatus')) return null;
  try {
    return waitForBucket(costOf(JSON.parse(response.text)));
  } catch {
    return null;
  }
}

/**
 * One GraphQL Admin API call over the connection's PlatformHttp. Errors by kind: THROTTLED →
 * rate-limited (retry when the bucket has refilled), ACCESS_DENIED → auth (a scope is missing),
 * 404 → address (no such shop, or an API version Shopify no longer serves), 402/423 → auth
 * (the shop is frozen or locked: only the merchant can help), anything else unexpected →
 * bad-response. Returns `data`.
 */
export async function shopifyGraphql(
  ctx: ShopifyContext,
  query: string,
  variables: Obj,
  purpose: string,
): Promise<Obj> {
  const response = await ctx.http.request({
    method: 'POST',
    url: graphqlUrl(ctx.settings),
    headers: { 'x-shopify-access-token': ctx.credentials.accessToken },
    json: { query, variables },
    purpose,
  });
  if (response.status === 404) {
    throw new PlatformError(
      'address',
      `${purpose}: ${ctx.settings.shopDomain} has no Admin API ${ctx.settings.apiVersion} (404): check the .myshopify.com address`,
      { status: 404 },
    );
  }
  if (response.status === 402 || response.status === 423) {
    throw new PlatformError(
      'auth',
      `${purpose}: the shop is ${response.status === 402 ? 'frozen (unpaid plan)' : 'locked'} (${response.status})`,
      { status: response.status },
    );
  }
  if (response.status < 200 || response.status >= 300) {
    throw new PlatformError('bad-response', `${purpose}: unexpected status ${response.status}`, {
      status: response.status,
    });
  }
  let body: unknown;
  try {
    body = parseJsonLossless(response.text);
  } catch {
    throw new PlatformError('bad-response', `${purpose}: the answer is not JSON`);
  }
  const errors = Array.isArray(obj(body)?.errors) ? (obj(body)!.errors as unknown[]) : [];
  if (errors.length > 0) {
    const codes = errors.map((e) => String(obj(obj(e)?.extensions)?.code ?? ''));
    const messages = errors
      .map((e) => String(obj(e)?.message ?? ''))
      .filter(Boolean)
      .join('; ')
      .slice(0, 300);
    if (codes.includes('THROTTLED')) {
      const retryAfterMs = waitForBucket(costOf(body)) ?? 1_000;
      throw new PlatformError('rate-limited', `${purpose}: Shopify's cost bucket is empty`, {
        retryAfterMs: Math.max(retryAfterMs, 100),
      });
    }
    if (codes.includes('ACCESS_DENIED')) {
      throw new PlatformError(
        'auth',
        `${purpose}: the app lacks a permission (${messages}); grant the scopes in docs/integrations/shopify.md`,
      );
    }
    if (codes.includes('INTERNAL_SERVER_ERROR')) {
      throw new PlatformError('unavailable', `${purpose}: Shopify failed (${messages})`);
    }
    throw new PlatformError('bad-response', `${purpose}: ${messages || 'GraphQL errors'}`);
  }
  const data = obj(obj(body)?.data);
  if (!data) throw new PlatformError('bad-response', `${purpose}: the answer has no data`);
  return data;
}

export function obj(value: unknown): Obj | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Obj)
    : null;
}

export function list(value: unknown): Obj[] {
  return Array.isArray(value) ? value.map(obj).filter((v): v is Obj => v !== null) : [];
}

/** `userErrors` of a mutation payload, as one message; null when there are none. */
export function userErrorMessage(payload: Obj | null): string | null {
  const errors = list(payload?.userErrors);
  if (errors.length === 0) return null;
  return errors
    .map((e) => {
      const field = Array.isArray(e.field) ? e.field.join('.') : null;
      return `${field ? field + ': ' : ''}${String(e.message ?? e.code ?? 'refused')}`;
    })
    .join('; ');
}

/** True when a userError says the code is taken (a retry after a crash, or another discount). */
export function isCodeTaken(payload: Obj | null): boolean {
  return list(payload?.userErrors).some(
    (e) =>
      e.code === 'TAKEN' ||
      /already (been )?taken|already exists|must be unique/i.test(String(e.message ?? '')),
  );
}
