import { z } from 'zod';
import { parseJsonLossless } from '../../shared/json.ts';
import {
  PlatformError,
  type ConnectorContext,
  type PlatformRequest,
  type PlatformResponse,
} from '../../connections/connector.ts';

export const shoperCredentialsSchema = z.object({
  /** A WebAPI administrator (Konfiguracja → Administracja, system → Administratorzy, type WebAPI). */
  user: z.string().trim().min(1).max(200),
  password: z.string().min(1).max(500),
});
export type ShoperCredentials = z.infer<typeof shoperCredentialsSchema>;

const statusIds = z.array(z.string().regex(/^\d{1,10}$/)).max(200);

export const shoperSettingsSchema = z.object({
  /** The shop's address: https://example.shoparena.pl or the shop's own domain. */
  shopUrl: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) address'),
  /**
   * Which of the shop's status ids mean paid, cancelled, refunded. Absent: read from the shop's
   * /statuses at each pull (type 3 closed → paid; type 4 not completed → refunded when its name
   * says returned/refunded, else cancelled).
   */
  statuses: z
    .object({ paid: statusIds, cancelled: statusIds, refunded: statusIds.default([]) })
    .optional(),
});
export type ShoperSettings = z.infer<typeof shoperSettingsSchema>;

/** Where the access token is kept in `ctx.session` for the rest of a run. */
const SESSION_TOKEN = 'shoper:access-token';

export type ShoperCtx = ConnectorContext<ShoperCredentials, ShoperSettings>;

/** The REST root of the shop: https://shop.example/webapi/rest/ */
export function restRoot(settings: ShoperSettings): string {
  const url = new URL(settings.shopUrl);
  return `${url.origin}/webapi/rest/`;
}

/** Shoper's list answer: `{count, pages, page, list}` (count as a string, the rest numbers). */
export interface ShoperList {
  count: number;
  pages: number;
  page: number;
  list: Array<Record<string, unknown>>;
}

/**
 * One sequence of calls with one access token: `POST /webapi/rest/auth` (HTTP Basic with the
 * WebAPI user) gives a bearer token, which Shoper keeps for a month; a connector keeps no state,
 * so the token lives in the runtime's per-run `ctx.session` (one sign-in per run rather than per
 * page: every call counts against Shoper's bucket), and a new one is taken once if a call
 * answers 401.
 */
export class ShoperSession {
  private token: string | null = null;

  constructor(private readonly ctx: ShoperCtx) {
    const kept = ctx.session?.get(SESSION_TOKEN);
    if (typeof kept === 'string') this.token = kept;
  }

  async authenticate(): Promise<string> {
    const { user, password } = this.ctx.credentials;
    let answer: PlatformResponse;
    try {
      answer = await this.ctx.http.request({
        method: 'POST',
        url: `${restRoot(this.ctx.settings)}auth`,
        headers: {
          authorization: `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`,
        },
        purpose: 'Shoper sign-in (webapi/rest/auth)',
      });
    } catch (error) {
      if (error instanceof PlatformError && error.kind === 'auth') {
        throw new PlatformError(
          'auth',
          'Shoper refused the WebAPI user name or password (Konfiguracja → Administracja, system → Administratorzy: a WebAPI user).',
          error.details,
        );
      }
      throw error;
    }
    if (answer.status === 404) {
      throw new PlatformError(
        'address',
        `${this.ctx.settings.shopUrl} has no Shoper WebAPI (webapi/rest/auth answered 404).`,
        { status: 404 },
      );
    }
    const body = jsonOf(answer, 'Shoper sign-in');
    const token = typeof body.access_token === 'string' ? body.access_token : null;
    if (answer.status !== 200 || !token) {
      throw new PlatformError(
        'address',
        `${this.ctx.settings.shopUrl} did not answer like a Shoper shop (sign-in status ${answer.status}).`,
        { status: answer.status },
      );
    }
    this.token = token;
    this.ctx.session?.set(SESSION_TOKEN, token);
    return token;
  }

  /** A call to `webapi/rest/<path>` with the bearer token, re-signing once on a 401. */
  async call(
    request: Omit<PlatformRequest, 'url' | 'headers'> & { path: string },
  ): Promise<PlatformResponse> {
    const { path, ...rest } = request;
    const send = async (token: string) =>
      this.ctx.http.request({
        ...rest,
        url: `${restRoot(this.ctx.settings)}${path}`,
        headers: { authorization: `Bearer ${token}` },
      });
    const token = this.token ?? (await this.authenticate());
    try {
      return await send(token);
    } catch (error) {
      if (
        !(error instanceof PlatformError) ||
        error.kind !== 'auth' ||
        error.details.status !== 401
      ) {
        throw error;
      }
      // The token expired or was revoked between calls: one new one, then the error stands.
      return send(await this.authenticate());
    }
  }

  /** A page of a list resource. `filters` goes as Shoper's JSON filter; `order` e.g. "date ASC". */
  async list(
    resource: string,
    input: { filters?: unknown; order?: string; page?: number; limit?: number; purpose: string },
  ): Promise<ShoperList> {
    const query: Record<string, string | number> = {
      limit: input.limit ?? SHOPER_PAGE,
      page: input.page ?? 1,
    };
    if (input.filters !== undefined) query.filters = JSON.stringify(input.filters);
    if (input.order) query.order = input.order;
    const answer = await this.call({
      method: 'GET',
      path: resource,
      query,
      purpose: input.purpose,
    });
    if (answer.status !== 200) throw refusalOf(answer, input.purpose);
    const body = jsonOf(answer, input.purpose);
    if (!Array.isArray(body.list)) {
      throw new PlatformError('bad-response', `${input.purpose}: the answer has no list`);
    }
    return {
      count: Number(body.count ?? 0),
      pages: Number(body.pages ?? 0),
      page: Number(body.page ?? 1),
      list: body.list as Array<Record<string, unknown>>,
    };
  }
}

/**
 * Shoper answers at most 50 rows a page, and silently 10 when asked for more (public client
 * notes, live-observed): never ask for more than 50.
 */
export const SHOPER_PAGE = 50;

export function jsonOf(answer: PlatformResponse, what: string): Record<string, unknown> {
  try {
    const body = parseJsonLossless(answer.text);
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      return body as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  throw new PlatformError(
    'bad-response',
    `${what}: the answer (${answer.status}) is not a JSON object`,
    { status: answer.status },
  );
}

/** A 4xx other than 401/403/429: the platform refused this one thing; its own words kept. */
export function refusalOf(answer: PlatformResponse, what: string): PlatformError {
  let reason = answer.text.replace(/\s+/g, ' ').trim().slice(0, 200);
  try {
    const body = parseJsonLossless(answer.text) as Record<string, unknown>;
    const d = body.error_description ?? body.error;
    if (typeof d === 'string') reason = d;
  } catch {
    // keep the text
  }
  return new PlatformError(
    answer.status >= 400 && answer.status < 500 ? 'refused' : 'bad-response',
    `${what}: Shoper answered ${answer.status}${reason ? `: ${reason}` : ''}`,
    { status: answer.status },
  );
}
