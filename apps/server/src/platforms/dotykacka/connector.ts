import { z } from 'zod';
import { idString, parseJsonLossless } from '../../shared/json.ts';
import {
  PlatformError,
  type ConnectorContext,
  type Json,
  type PlatformConnector,
  type PlatformResponse,
  type PullInput,
  type PullPage,
} from '../../connections/connector.ts';
import {
  DOTYKACKA_TOPICS,
  dotykackaTime,
  type DotykackaOrderRecord,
} from '../../ingest/dotykacka.ts';

/** Dotykačka's API v2 (docs.api.dotypos.com). Settings may point elsewhere (tests). */
export const DOTYKACKA_URL = 'https://api.dotykacka.cz';

const credentialsSchema = z.strictObject({
  /**
   * The refresh token Dotykačka hands over when the merchant grants Lojal's client application
   * access to a cloud (admin.dotykacka.cz/client/connect with Lojal's client id and secret).
   */
  refreshToken: z.string().trim().min(10).max(2000),
  /** The cloud the merchant connected (returned with the refresh token). */
  cloudId: z.union([z.string().regex(/^\d{1,20}$/), z.int().positive()]).transform(String),
});

const settingsSchema = z.strictObject({
  apiUrl: z.url({ protocol: /^https?$/ }).default(DOTYKACKA_URL),
});

export type DotykackaCredentials = z.output<typeof credentialsSchema>;
export type DotykackaSettings = z.output<typeof settingsSchema>;
type Ctx = ConnectorContext<DotykackaCredentials, DotykackaSettings>;

/** Dotykačka pages lists by `page` and `limit` (at most 100). */
const LIMIT = 100;

/**
 * Where the read of changed orders stands: orders with versionDate from `from` (ms), minus the
 * ids already taken at exactly `from`; over 100 orders with one versionDate are paged by `page`
 * inside that instant (order ids cannot be filtered by range).
 */
interface Cursor {
  from: number;
  seen: string[];
  samePage: number | null;
}

export const dotykackaConnector: PlatformConnector<DotykackaCredentials, DotykackaSettings> = {
  platform: 'dotykacka',
  name: 'Dotykačka',
  credentialsSchema,
  settingsSchema,
  // Not documented as a number (unverified): 429s are honoured whatever the limit is.
  rateLimit: { requests: 120, perMs: 60_000 },
  // A webhook (POST /v1/hooks/{connectionId}/{token}) wakes the pull at once; this is the fallback.
  pullEveryMs: 5 * 60_000,
  overlapMs: 2 * 60_000,

  async test(ctx) {
    const token = await signIn(ctx);
    const answer = await get(ctx, token, `/v2/clouds/${ctx.credentials.cloudId}`, {});
    const cloud = answer.status === 404 ? null : readJson(answer, 'cloud');
    const name =
      cloud && typeof cloud === 'object' ? (cloud as Record<string, unknown>).name : null;
    return { accountName: typeof name === 'string' ? name : null };
  },

  async pull(ctx, input) {
    return pullOrders(ctx, input);
  },
  // No pushCodes: Dotykačka's discounts (discount groups, customer discounts) are not
  // checkout codes a shopper types; Lojal's codes cannot be created there.
};

async function signIn(ctx: Ctx): Promise<string> {
  let response: PlatformResponse;
  try {
    response = await ctx.http.request({
      method: 'POST',
      url: `${ctx.settings.apiUrl}/v2/signin/token`,
      headers: { authorization: `User ${ctx.credentials.refreshToken}` },
      json: { _cloudId: cloudIdValue(ctx.credentials.cloudId) },
      purpose: 'Dotykačka sign-in',
    });
  } catch (error) {
    if (error instanceof PlatformError && error.kind === 'auth') {
      throw new PlatformError(
        'auth',
        'Dotykačka refused the refresh token or the cloud id: connect the cloud to Lojal again ' +
          `(${error.message})`,
        error.details,
      );
    }
    throw error;
  }
  if (response.status === 404) {
    throw new PlatformError('address', 'Dotykačka: the API address answered 404', { status: 404 });
  }
  if (response.status !== 200 && response.status !== 201) {
    throw new PlatformError(
      'bad-response',
      `Dotykačka sign-in: unexpected HTTP ${response.status}`,
      {
        status: response.status,
      },
    );
  }
  const body = readJson(response, 'sign-in') as Record<string, unknown> | null;
  const token = body?.accessToken;
  if (typeof token !== 'string' || token === '') {
    throw new PlatformError('bad-response', 'Dotykačka sign-in: no accessToken in the answer');
  }
  return token;
}

function cloudIdValue(cloudId: string): number | string {
  const n = Number(cloudId);
  return Number.isSafeInteger(n) ? n : cloudId;
}

function get(ctx: Ctx, token: string, path: string, query: Record<string, string | number>) {
  return ctx.http.request({
    method: 'GET',
    url: `${ctx.settings.apiUrl}${path}`,
    headers: { authorization: `Bearer ${token}` },
    query,
    purpose: `Dotykačka GET ${path.replace(/\/clouds\/\d+/, '/clouds/…')}`,
  });
}

function readJson(response: PlatformResponse, what: string): unknown {
  if (response.status !== 200 && response.status !== 201) {
    throw new PlatformError(
      'bad-response',
      `Dotykačka ${what}: unexpected HTTP ${response.status}`,
      {
        status: response.status,
      },
    );
  }
  try {
    // Dotykačka ids exceed 2^53: read them as their exact digits
    return parseJsonLossless(response.text);
  } catch {
    throw new PlatformError('bad-response', `Dotykačka ${what}: the answer is not JSON`);
  }
}

/**
 * A list answer: the documented paging wrapper `{data: [...]}` or a bare array (both appear in
 * the docs); 404 is an empty list (the answer before the BC1 change).
 */
function listOf(response: PlatformResponse, what: string): Record<string, unknown>[] {
  if (response.status === 404) return [];
  const body = readJson(response, what);
  const list = Array.isArray(body)
    ? body
    : body && typeof body === 'object' && Array.isArray((body as { data?: unknown }).data)
      ? (body as { data: unknown[] }).data
      : null;
  if (!list) throw new PlatformError('bad-response', `Dotykačka ${what}: not a list`);
  return list.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null);
}

async function pullOrders(ctx: Ctx, input: PullInput): Promise<PullPage> {
  const cursor: Cursor = (input.cursor as unknown as Cursor | null) ?? {
    from: input.since.getTime(),
    seen: [],
    samePage: null,
  };
  const until = input.mode === 'backfill' && input.until ? input.until.getTime() : null;
  const token = await signIn(ctx);
  const cloud = ctx.credentials.cloudId;
  // versionDate filter values in epoch milliseconds (unverified: the docs give no example)
  const filter =
    cursor.samePage !== null
      ? `versionDate|eq|${cursor.from}`
      : `versionDate|gteq|${cursor.from}` + (until !== null ? `;versionDate|lt|${until}` : '');
  const response = await get(ctx, token, `/v2/clouds/${cloud}/orders`, {
    filter,
    sort: 'versionDate',
    limit: LIMIT,
    page: cursor.samePage ?? 1,
    include: 'orderItems',
  });
  const orders = listOf(response, 'orders');
  const versionOf = (o: Record<string, unknown>) => {
    const at = dotykackaTime(o.versionDate);
    if (!at) {
      throw new PlatformError(
        'bad-response',
        `Dotykačka orders: an order without a readable versionDate (${String(o.versionDate)})`,
      );
    }
    return at.getTime();
  };
  const seen = new Set(cursor.seen);
  // the ids already taken are those at exactly `from`; the same order changed later is new
  const fresh = orders.filter(
    (o) => !(versionOf(o) === cursor.from && seen.has(String(idString(o.id)))),
  );

  // the customers attached to this page's orders, in one call
  const customerIds = [
    ...new Set(fresh.map((o) => idString(o._customerId)).filter((id): id is string => !!id)),
  ];
  const customers = new Map<string, Record<string, unknown>>();
  if (customerIds.length > 0) {
    const answer = await get(ctx, token, `/v2/clouds/${cloud}/customers`, {
      filter: `id|in|${customerIds.join(',')}`,
      limit: LIMIT,
    });
    for (const c of listOf(answer, 'customers')) customers.set(String(idString(c.id)), c);
  }
  const records = fresh.map((o) => {
    const id = String(idString(o.id));
    const version = versionOf(o);
    const body: DotykackaOrderRecord = {
      order: o,
      customer: customers.get(String(idString(o._customerId))) ?? null,
    };
    return {
      topic: DOTYKACKA_TOPICS.order,
      key: `order:${id}@${new Date(version).toISOString()}`,
      body: JSON.stringify(body),
      occurredAt: new Date(version),
    };
  });

  const full = orders.length >= LIMIT;
  let next: Cursor;
  let done = false;
  if (cursor.samePage !== null) {
    next = full
      ? { ...cursor, samePage: cursor.samePage + 1 }
      : { from: cursor.from + 1, seen: [], samePage: null };
  } else if (!full) {
    const last = orders.length ? Math.max(...orders.map(versionOf)) : cursor.from;
    next =
      last === cursor.from
        ? {
            from: last,
            seen: [...new Set([...cursor.seen, ...orders.map((o) => String(idString(o.id)))])],
            samePage: null,
          }
        : {
            from: last,
            seen: orders.filter((o) => versionOf(o) === last).map((o) => String(idString(o.id))),
            samePage: null,
          };
    done = true;
  } else {
    const last = Math.max(...orders.map(versionOf));
    next =
      last === cursor.from
        ? { from: last, seen: [], samePage: 2 } // 100 changes in one instant
        : {
            from: last,
            seen: orders.filter((o) => versionOf(o) === last).map((o) => String(idString(o.id))),
            samePage: null,
          };
  }
  const newest = orders.length ? new Date(Math.max(...orders.map(versionOf))) : null;
  return {
    records,
    cursor: next as unknown as Json,
    done,
    reachedAt: done && input.mode === 'sync' ? ctx.now : newest,
  };
}
