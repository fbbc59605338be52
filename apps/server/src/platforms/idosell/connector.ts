import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseJsonLossless } from '../../shared/json.ts';
import { wallClockInstant, wallClockText } from '../../shared/zoned-time.ts';
import {
  DEFAULT_IDOSELL_STATUSES,
  idosellEnvelope,
  idosellOrderKey,
} from '../../ingest/idosell.ts';
import {
  PlatformError,
  type ConnectorContext,
  type Json,
  type PlatformConnector,
  type PlatformResponse,
  type PulledRecord,
} from '../../connections/connector.ts';

export const idosellCredentialsSchema = z.object({
  /** An API key from the IdoSell panel (Administracja → API → Klucze API), orders read access. */
  apiKey: z.string().trim().min(10).max(500),
});
export type IdoSellCredentials = z.infer<typeof idosellCredentialsSchema>;

const statusNames = z.array(z.string().regex(/^[a-z_]{1,40}$/)).max(50);

export const idosellSettingsSchema = z.object({
  /** The shop's panel address: https://client12345.idosell.com or the shop's own domain. */
  shopUrl: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) address'),
  /** The admin API version the shop serves ("v6"). */
  apiVersion: z
    .string()
    .regex(/^v\d{1,2}$/)
    .default('v6'),
  /** Which IdoSell order statuses mean paid, cancelled, refunded (defaults: ingest/idosell.ts). */
  statuses: z
    .object({ paid: statusNames, cancelled: statusNames, refunded: statusNames })
    .optional(),
  /**
   * Which system keeps the customers' points. `lojal`: Lojal awards points for IdoSell orders and
   * the merchant switches IdoSell's own programme (profitpoints) off. `idosell`: IdoSell keeps
   * them; `earnsPoints` tells the runtime, which stores every pulled order as history: it counts
   * for tiers and analytics and earns no points (nor stamps, achievements, referral rewards or
   * flow messages, which history never triggers).
   */
  pointsOwner: z.enum(['lojal', 'idosell']).default('lojal'),
});
export type IdoSellSettings = z.infer<typeof idosellSettingsSchema>;

type Ctx = ConnectorContext<IdoSellCredentials, IdoSellSettings>;

/** IdoSell's largest page. */
const PAGE = 100;

/**
 * A run reads one fixed window of modification times [begin, end] page by page. A page number
 * over a list that changes is unsafe: an order modified again while the window is read leaves it
 * (its new time is after `end`) and the rows behind it move one place up. `resultsNumberAll`
 * tells: when it drops between pages, the previous page is read again (duplicates are harmless:
 * a record's key is its version).
 */
interface Cursor {
  begin: string;
  end: string;
  page: number;
  total: number | null;
}

export const idosellConnector: PlatformConnector<IdoSellCredentials, IdoSellSettings> = {
  platform: 'idosell',
  name: 'IdoSell',
  credentialsSchema: idosellCredentialsSchema,
  settingsSchema: idosellSettingsSchema,
  rateLimit: { requests: 2, perMs: 1000 },
  // Calls are metered (and billed to the merchant) on IdoSell's cloud plan: a pull every 15
  // minutes costs one call when nothing changed, and one per 100 changed orders otherwise.
  pullEveryMs: 15 * 60_000,
  overlapMs: 3 * 60_000,
  // IdoSell's own programme keeps the points: its orders earn none in Lojal (stored as history).
  earnsPoints: (settings) => settings.pointsOwner !== 'idosell',

  async test(ctx) {
    // The cheapest proof: the last minute's changes, one page of one.
    const end = wallClockText(ctx.now, ctx.shop.timezone);
    const begin = wallClockText(new Date(ctx.now.getTime() - 60_000), ctx.shop.timezone);
    await search(ctx, { begin, end, page: 0, limit: 1 });
    return { accountName: new URL(ctx.settings.shopUrl).host };
  },

  async pull(ctx, input) {
    const zone = ctx.shop.timezone;
    const cursor: Cursor = input.cursor
      ? readCursor(input.cursor)
      : {
          begin: wallClockText(input.since, zone),
          // Backfill: history up to the connection's start; sync: up to now, fixed for the run.
          end: wallClockText(
            input.mode === 'backfill' && input.until
              ? new Date(input.until.getTime() - 1000)
              : ctx.now,
            zone,
          ),
          page: 0,
          total: null,
        };
    const answer = await search(ctx, { ...cursor, limit: PAGE });
    const context = {
      timezone: zone,
      statuses: ctx.settings.statuses ?? DEFAULT_IDOSELL_STATUSES,
    };
    const records: PulledRecord[] = [];
    let reachedAt: Date | null = null;
    for (const order of answer.orders) {
      const id = idosellOrderKey(order);
      if (!id) {
        throw new PlatformError(
          'bad-response',
          'orders/orders/search: an order without orderSerialNumber',
        );
      }
      const details = (order.orderDetails ?? {}) as Record<string, unknown>;
      const changed = typeof details.orderChangeDate === 'string' ? details.orderChangeDate : '';
      const json = JSON.stringify(order);
      const occurredAt = changed ? wallClockInstant(changed, zone) : null;
      if (occurredAt && (!reachedAt || occurredAt > reachedAt)) reachedAt = occurredAt;
      records.push({
        topic: 'order',
        key: `order:${id}@${changed}#${createHash('sha256').update(json).digest('hex').slice(0, 12)}`,
        body: idosellEnvelope(context, json),
        occurredAt,
      });
    }
    if (cursor.total !== null && answer.total < cursor.total && cursor.page > 0) {
      // Rows moved up while the window was read: read again from far enough back to see them.
      const back = Math.ceil((cursor.total - answer.total) / PAGE);
      return {
        records,
        cursor: {
          ...cursor,
          page: Math.max(0, cursor.page - back),
          total: answer.total,
        } as unknown as Json,
        done: false,
        total: answer.total,
        reachedAt,
      };
    }
    const done = answer.orders.length < PAGE || (cursor.page + 1) * PAGE >= answer.total;
    return {
      records,
      cursor: { ...cursor, page: cursor.page + 1, total: answer.total } as unknown as Json,
      done,
      total: answer.total,
      reachedAt: reachedAt ?? (done ? wallClockInstant(cursor.end, zone) : null),
    };
  },
};

async function search(
  ctx: Ctx,
  input: { begin: string; end: string; page: number; limit: number },
): Promise<{ orders: Array<Record<string, unknown>>; total: number }> {
  const origin = new URL(ctx.settings.shopUrl).origin;
  const answer = await ctx.http.request({
    method: 'POST',
    url: `${origin}/api/admin/${ctx.settings.apiVersion}/orders/orders/search`,
    headers: { 'x-api-key': ctx.credentials.apiKey },
    json: {
      params: {
        ordersRange: {
          ordersDateRange: {
            ordersDateType: 'modified',
            ordersDateBegin: input.begin,
            ordersDateEnd: input.end,
          },
        },
        resultsPage: input.page,
        resultsLimit: input.limit,
      },
    },
    purpose: `read orders modified ${input.begin} – ${input.end} (page ${input.page})`,
  });
  // IdoSell answers 207 with an error note when the search finds nothing.
  if (answer.status === 207) return { orders: [], total: 0 };
  if (answer.status === 404) {
    throw new PlatformError(
      'address',
      `${ctx.settings.shopUrl} has no IdoSell admin API ${ctx.settings.apiVersion} (404).`,
      { status: 404 },
    );
  }
  if (answer.status !== 200) {
    throw new PlatformError(
      answer.status >= 400 && answer.status < 500 ? 'refused' : 'bad-response',
      `orders/orders/search answered ${answer.status}`,
      { status: answer.status },
    );
  }
  const body = jsonObject(answer);
  const results = body.Results ?? body.results;
  if (!Array.isArray(results)) {
    throw new PlatformError('bad-response', 'orders/orders/search: the answer has no Results');
  }
  return {
    orders: results as Array<Record<string, unknown>>,
    total: Number(body.resultsNumberAll ?? results.length),
  };
}

function jsonObject(answer: PlatformResponse): Record<string, unknown> {
  try {
    const body = parseJsonLossless(answer.text);
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      return body as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  throw new PlatformError('bad-response', `IdoSell answered ${answer.status} with no JSON object`);
}

function readCursor(value: Json): Cursor {
  const c = value as unknown as Partial<Cursor>;
  if (typeof c.begin !== 'string' || typeof c.end !== 'string' || typeof c.page !== 'number') {
    throw new PlatformError(
      'bad-response',
      'the stored IdoSell cursor is not one this version wrote',
    );
  }
  return {
    begin: c.begin,
    end: c.end,
    page: c.page,
    total: typeof c.total === 'number' ? c.total : null,
  };
}
