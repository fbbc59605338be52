import { z } from 'zod';
import { shopAddressSchema } from '../../connections/shop-address.ts';
import { parseJsonLossless } from '../../shared/json.ts';
import {
  PlatformError,
  type ConnectorContext,
  type PlatformRequest,
  type PlatformResponse,
} from '../../connections/connector.ts';

/**
 * The WooCommerce REST API v3 as Lojal calls it: the shop's address, the consumer key and secret
 * (WooCommerce → Settings → Advanced → REST API) sent as HTTP Basic auth, JSON both ways.
 * Facts: ../shared/INTEGRATIONS.md, "WooCommerce".
 */
export const woocommerceCredentials = z.object({
  consumerKey: z
    .string()
    .trim()
    .regex(/^ck_[A-Za-z0-9]+$/, 'a WooCommerce consumer key starts with ck_'),
  consumerSecret: z
    .string()
    .trim()
    .regex(/^cs_[A-Za-z0-9]+$/, 'a WooCommerce consumer secret starts with cs_'),
});
export type WooCredentials = z.infer<typeof woocommerceCredentials>;

export const woocommerceSettings = z.object({
  /**
   * The WordPress address (https://sklep.pl, or https://example.pl/sklep when WordPress lives in
   * a folder). Basic auth sends the secret with every call, so only https, except to this
   * machine (tests and local development; the outbound policy refuses loopback in production).
   */
  storeUrl: shopAddressSchema('consumer secret'),
});
export type WooSettings = z.infer<typeof woocommerceSettings>;

export type WooContext = ConnectorContext<WooCredentials, WooSettings>;

/** https://sklep.pl + /orders → https://sklep.pl/wp-json/wc/v3/orders */
export function apiUrl(ctx: WooContext, path: string): string {
  return `${ctx.settings.storeUrl}/wp-json/wc/v3${path}`;
}

export function wooRequest(
  ctx: WooContext,
  request: Omit<PlatformRequest, 'url'> & { path: string },
): Promise<PlatformResponse> {
  const { path, headers, ...rest } = request;
  const basic = Buffer.from(
    `${ctx.credentials.consumerKey}:${ctx.credentials.consumerSecret}`,
  ).toString('base64');
  return ctx.http.request({
    ...rest,
    url: apiUrl(ctx, path),
    headers: { ...headers, authorization: `Basic ${basic}` },
  });
}

/** A JSON answer, ids kept exact; anything else is not WooCommerce speaking. */
export function jsonOf(response: PlatformResponse, what: string): unknown {
  try {
    return parseJsonLossless(response.text);
  } catch {
    throw new PlatformError(
      'bad-response',
      `${what}: the answer is not JSON (${response.status}): is this a WooCommerce shop?`,
      { status: response.status },
    );
  }
}

/** WooCommerce's error body: {"code": "woocommerce_rest_…", "message": "…", "data": {"status": 400}}. */
export function wooError(response: PlatformResponse): { code: string | null; message: string } {
  try {
    const body = parseJsonLossless(response.text) as { code?: unknown; message?: unknown };
    return {
      code: typeof body?.code === 'string' ? body.code : null,
      message: typeof body?.message === 'string' ? body.message : response.text.slice(0, 200),
    };
  } catch {
    return { code: null, message: response.text.replace(/\s+/g, ' ').trim().slice(0, 200) };
  }
}

/** A header WooCommerce sends as a count (X-WP-Total), or null. */
export function countHeader(response: PlatformResponse, name: string): number | null {
  const value = response.headers.get(name);
  return value !== null && /^\d+$/.test(value.trim()) ? Number(value.trim()) : null;
}
