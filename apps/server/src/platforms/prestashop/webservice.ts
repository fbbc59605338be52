import { z } from 'zod';
import { shopAddressSchema } from '../../connections/shop-address.ts';
import { parseJsonLossless } from '../../shared/json.ts';
import { localParts, zonedTime } from '../../shared/zoned-time.ts';
import {
  PlatformError,
  type ConnectorContext,
  type PlatformRequest,
  type PlatformResponse,
} from '../../connections/connector.ts';

/**
 * PrestaShop's Webservice (/api/…): HTTP Basic with the 32-character key as the user name and
 * an empty password; JSON out with output_format=JSON, XML in. Times are the shop's local wall
 * clock without a zone. Facts: ../shared/INTEGRATIONS.md, "PrestaShop".
 */
export const prestashopCredentials = z.object({
  webserviceKey: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{32}$/, 'a PrestaShop webservice key is 32 letters and digits'),
});
export type PsCredentials = z.infer<typeof prestashopCredentials>;

export const prestashopSettings = z.object({
  /** The shop's address (https://sklep.pl, or https://example.pl/sklep in a folder). */
  shopUrl: shopAddressSchema('webservice key'),
  /** Order states that mean cancelled (PS_OS_CANCELED is 6 in a fresh install). */
  cancelledStateIds: z.array(z.string().regex(/^\d+$/)).max(20).default(['6']),
});
export type PsSettings = z.input<typeof prestashopSettings>;
export type PsSettingsParsed = z.output<typeof prestashopSettings>;

export type PsContext = ConnectorContext<PsCredentials, PsSettingsParsed>;

export function psRequest(
  ctx: PsContext,
  request: Omit<PlatformRequest, 'url'> & { path: string; json?: never },
): Promise<PlatformResponse> {
  const { path, headers, query, ...rest } = request;
  const basic = Buffer.from(`${ctx.credentials.webserviceKey}:`).toString('base64');
  return ctx.http.request({
    ...rest,
    url: `${ctx.settings.shopUrl}/api${path}`,
    query: { output_format: 'JSON', ...query },
    headers: { ...headers, authorization: `Basic ${basic}` },
  });
}

/** The answer as JSON, ids exact; a non-2xx answer is an error with PrestaShop's own message. */
export function psJson(response: PlatformResponse, what: string): unknown {
  if (response.status === 404) {
    throw new PlatformError(
      'address',
      `${what}: PrestaShop answered 404 ${psErrorText(response)}`,
      {
        status: 404,
      },
    );
  }
  if (response.status < 200 || response.status >= 300) {
    throw new PlatformError(
      response.status === 400 ? 'refused' : 'bad-response',
      `${what}: PrestaShop answered ${response.status} ${psErrorText(response)}`,
      { status: response.status },
    );
  }
  try {
    return parseJsonLossless(response.text);
  } catch {
    throw new PlatformError('bad-response', `${what}: the answer is not JSON`, {
      status: response.status,
    });
  }
}

/**
 * A list from `GET /api/<resource>?display=…`: {"orders": [...]}. An empty list comes back as
 * a bare `[]` (or `{}`), not as {"orders": []}.
 */
export function psList(body: unknown, node: string): Array<Record<string, unknown>> {
  if (Array.isArray(body)) return [];
  if (typeof body !== 'object' || body === null) return [];
  const list = (body as Record<string, unknown>)[node];
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    throw new PlatformError('bad-response', `the answer's "${node}" is not a list`);
  }
  return list.filter((item): item is Record<string, unknown> => typeof item === 'object' && !!item);
}

/** PrestaShop's error text from {"errors":[{"code":…,"message":…}]} (or the XML equivalent). */
export function psErrorText(response: PlatformResponse): string {
  try {
    const body = JSON.parse(response.text) as { errors?: Array<{ message?: string }> };
    const messages = (body.errors ?? []).map((e) => e.message).filter(Boolean);
    if (messages.length) return messages.join('; ');
  } catch {
    // XML or HTML
  }
  const cdata = /<message><!\[CDATA\[(.*?)\]\]><\/message>/s.exec(response.text);
  return (cdata?.[1] ?? response.text).replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** Text safe inside an XML element. */
export function xmlText(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** PrestaShop's zone-less wall-clock time ('2026-03-02 11:00:00') in the shop's time zone. */
export function localWall(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/** The instant of a zone-less wall-clock time in the shop's zone; null for PrestaShop's zero date. */
export function fromWall(text: unknown, timeZone: string): Date | null {
  if (typeof text !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m || m[1] === '0000') return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(zonedTime(timeZone, y!, mo!, d!, h!, mi!).getTime() + s! * 1000);
}

/** A wall-clock time moved by `ms` (through the instant, so across a clock change too). */
export function wallPlus(text: string, ms: number, timeZone: string): string {
  return localWall(new Date(fromWall(text, timeZone)!.getTime() + ms), timeZone);
}
