import { createHash } from 'node:crypto';
import { idString } from '../../shared/json.ts';
import { wallClockInstant, wallClockText } from '../../shared/zoned-time.ts';
import { shoperEnvelope, type ShoperStatusMap } from '../../ingest/shoper.ts';
import {
  PlatformError,
  type Json,
  type PullInput,
  type PullPage,
  type PulledRecord,
} from '../../connections/connector.ts';
import { SHOPER_PAGE, ShoperSession, type ShoperCtx } from './webapi.ts';
import { statusMap } from './statuses.ts';

/**
 * Where a run is, between pages. Shoper has no modification time on orders, so:
 * - sync reads orders by `status_date` (set when the order is placed and at every status change:
 *   the changes that matter to Lojal: paid, cancelled, returned);
 * - backfill reads them by `date` (placement) from `since` up to `until`.
 * Pages are keyset, never page numbers (a page number over a list that changes while it is read
 * skips rows): `at` is the last time read. A full page ending at time T is followed by a read from
 * T itself, less the orders at T already read (`seen`): every order at T comes before the later
 * ones, so one page holds them all unless more than a page shares T; a page that is all one
 * instant is followed by a read of every order at exactly that instant (`ties`, by order id),
 * then by the orders after it. (Reading ties after every full page cost a call per page more,
 * each call counting against Shoper's bucket.)
 */
interface Cursor {
  field: 'status_date' | 'date';
  /** Zone-less local time, as Shoper filters take it. */
  at: string;
  /** true: `at` itself still to read (the first page of a run). */
  inclusive: boolean;
  /** Reading the orders at exactly `at` whose id is above this one. */
  tiesAfter: string | null;
  /** Orders at exactly `at` already read: the next read starts at `at` and skips them. */
  seen: string[];
  statuses: ShoperStatusMap;
  total: number | null;
}

export async function pullOrders(ctx: ShoperCtx, input: PullInput): Promise<PullPage> {
  const session = new ShoperSession(ctx);
  const zone = ctx.shop.timezone;
  const cursor: Cursor = input.cursor
    ? readCursor(input.cursor)
    : {
        field: input.mode === 'backfill' ? 'date' : 'status_date',
        at: wallClockText(input.since, zone),
        inclusive: true,
        tiesAfter: null,
        seen: [],
        statuses: await statusMap(session, ctx.settings),
        total: null,
      };
  const until = input.mode === 'backfill' && input.until ? input.until : null;

  const ties = cursor.tiesAfter !== null;
  const fromAt = cursor.inclusive || cursor.seen.length > 0;
  const answer = await session.list('orders', {
    filters: ties
      ? { [cursor.field]: cursor.at, order_id: { '>': cursor.tiesAfter } }
      : { [cursor.field]: { [fromAt ? '>=' : '>']: cursor.at } },
    order: ties ? 'order_id ASC' : `${cursor.field} ASC`,
    purpose: ties ? `read orders changed at ${cursor.at}` : `read orders from ${cursor.at}`,
  });
  const total = cursor.total ?? (!ties && cursor.inclusive ? answer.count : null);

  const seen = new Set(cursor.seen);
  let orders = ties
    ? answer.list
    : answer.list.filter(
        (o) => !(o[cursor.field] === cursor.at && seen.has(idString(o.order_id) ?? '')),
      );
  let reachedUntil = false;
  if (until) {
    const kept = orders.filter((o) => {
      const at = typeof o.date === 'string' ? wallClockInstant(o.date, zone) : null;
      return at !== null && at < until;
    });
    reachedUntil = kept.length < orders.length;
    orders = kept;
  }
  const products = await productsOf(
    session,
    orders.map((o) => idString(o.order_id)).filter((id): id is string => id !== null),
  );
  const context = { timezone: zone, currency: ctx.shop.currency, statuses: cursor.statuses };
  const records: PulledRecord[] = orders.map((o) => {
    const id = idString(o.order_id) ?? '';
    const json = JSON.stringify({ ...o, products: products.get(id) ?? [] });
    const version = typeof o.status_date === 'string' ? o.status_date : String(o.date ?? '');
    return {
      topic: 'order.edit',
      key: `order:${id}@${version}#${createHash('sha256').update(json).digest('hex').slice(0, 12)}`,
      body: shoperEnvelope(context, json),
      occurredAt: localOf(o.status_date, zone) ?? localOf(o.date, zone),
    };
  });

  const reachedAt = records.reduce<Date | null>(
    (max, r) => (r.occurredAt && (!max || r.occurredAt > max) ? r.occurredAt : max),
    null,
  );
  const full = answer.list.length >= SHOPER_PAGE;
  const last = answer.list.at(-1);
  const lastAt =
    last && typeof last[cursor.field] === 'string' ? (last[cursor.field] as string) : null;
  // The orders of this page at its last instant: the next read starts there and skips them.
  const atLast = (at: string) => [
    ...(at === cursor.at ? cursor.seen : []),
    ...answer.list
      .filter((o) => o[cursor.field] === at)
      .map((o) => idString(o.order_id))
      .filter((id): id is string => id !== null && !seen.has(id)),
  ];
  const first = answer.list[0];
  let next: Cursor;
  let done = false;
  if (ties) {
    next = full
      ? { ...cursor, tiesAfter: idString(last?.order_id) ?? cursor.tiesAfter }
      : { ...cursor, tiesAfter: null, inclusive: false, seen: [] };
  } else if (full && lastAt && first?.[cursor.field] === lastAt) {
    // A whole page at one instant: more may share it than a page holds; read it by id.
    next = { ...cursor, at: lastAt, inclusive: false, tiesAfter: '0', seen: [], total };
  } else if (full && lastAt) {
    next = { ...cursor, at: lastAt, inclusive: false, seen: atLast(lastAt), total };
  } else {
    next = lastAt
      ? { ...cursor, at: lastAt, inclusive: false, seen: atLast(lastAt) }
      : { ...cursor };
    done = true;
  }
  if (reachedUntil) done = true;
  return {
    records,
    cursor: next as unknown as Json,
    done,
    ...(total !== null ? { total } : {}),
    reachedAt,
  };
}

/** The lines of these orders: `order-products` filtered by order id, every page. */
async function productsOf(
  session: ShoperSession,
  orderIds: string[],
): Promise<Map<string, Array<Record<string, unknown>>>> {
  const byOrder = new Map<string, Array<Record<string, unknown>>>();
  if (orderIds.length === 0) return byOrder;
  const wanted = new Set(orderIds);
  for (let page = 1; ; page++) {
    const answer = await session.list('order-products', {
      filters: { order_id: { IN: orderIds } },
      page,
      purpose: 'read order lines',
    });
    for (const line of answer.list) {
      const orderId = idString(line.order_id);
      if (!orderId || !wanted.has(orderId)) {
        // The filter was not applied: better to stop than to give an order another's lines.
        throw new PlatformError(
          'bad-response',
          `read order lines: Shoper answered a line of order ${orderId ?? '?'}, not asked for`,
        );
      }
      const lines = byOrder.get(orderId) ?? [];
      lines.push(line);
      byOrder.set(orderId, lines);
    }
    if (page >= answer.pages || answer.list.length === 0) return byOrder;
  }
}

function localOf(value: unknown, zone: string): Date | null {
  return typeof value === 'string' ? wallClockInstant(value, zone) : null;
}

function readCursor(value: Json): Cursor {
  const c = value as unknown as Partial<Cursor>;
  if (
    (c.field !== 'status_date' && c.field !== 'date') ||
    typeof c.at !== 'string' ||
    typeof c.statuses !== 'object' ||
    c.statuses === null
  ) {
    throw new PlatformError(
      'bad-response',
      'the stored Shoper cursor is not one this version wrote',
    );
  }
  return {
    field: c.field,
    at: c.at,
    inclusive: c.inclusive === true,
    tiesAfter: typeof c.tiesAfter === 'string' ? c.tiesAfter : null,
    seen: Array.isArray(c.seen) ? c.seen.filter((id): id is string => typeof id === 'string') : [],
    statuses: c.statuses,
    total: typeof c.total === 'number' ? c.total : null,
  };
}
