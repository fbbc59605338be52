import { createHash } from 'node:crypto';
import { z } from 'zod';
import { idString } from '../../shared/json.ts';
import {
  PlatformError,
  type ConnectorContext,
  type Json,
  type PlatformConnector,
  type PulledRecord,
  type PullInput,
  type PullPage,
} from '../../connections/connector.ts';
import {
  BASELINKER_TOPICS,
  type BaseLinkerOrderRecord,
  type BaseLinkerRemovedRecord,
  type BaseLinkerReturnRecord,
} from '../../ingest/baselinker.ts';
import { BASELINKER_URL, baseLinkerThrottle, callBaseLinker, type Answer } from './api.ts';

const credentialsSchema = z.strictObject({
  /** The API token from BaseLinker: Moje konto → API (My account → API). */
  token: z.string().trim().min(10).max(200),
});

const statusIds = z
  .array(z.union([z.string().regex(/^\d+$/), z.int().nonnegative()]).transform(String))
  .max(100);

const settingsSchema = z.strictObject({
  /** BaseLinker's endpoint; only tests and proxies change it. */
  apiUrl: z.url({ protocol: /^https?$/ }).default(BASELINKER_URL),
  /** Order status ids (getOrderStatusList) that mean paid even when payment_done says less. */
  paidStatusIds: statusIds.default([]),
  /** Order status ids that mean cancelled. A removed order is always cancelled. */
  cancelledStatusIds: statusIds.default([]),
});

export type BaseLinkerCredentials = z.output<typeof credentialsSchema>;
export type BaseLinkerSettings = z.output<typeof settingsSchema>;
type Ctx = ConnectorContext<BaseLinkerCredentials, BaseLinkerSettings>;

/** BaseLinker returns at most 100 orders (and returns) a call. */
export const PAGE = 100;
/** Orders fetched one by one per journal page: bounds a page's calls under the 100/min limit. */
const ORDERS_PER_JOURNAL_PAGE = 20;
/**
 * Journal event types that change what Lojal knows of an order: 1 created, 2 confirmed,
 * 3 paid, 4 removed, 5 merged, 6 split, 12/13/14 products added/edited/removed, 16 order data
 * edited, 18 status changed.
 */
const ORDER_LOG_TYPES = [1, 2, 3, 4, 5, 6, 12, 13, 14, 16, 18];
const LOG_CREATED = 1;
const LOG_PAID = 3;
const LOG_REMOVED = 4;
const JOURNAL_DAYS = 3;
const JOURNAL_RETENTION_MS = JOURNAL_DAYS * 86_400_000;

/** The sync cursor: where the journal was read to, and the returns seen. */
interface SyncCursor {
  lastLogId: number;
  /** When the journal was last read to its end (ms): past 3 days, events may be gone. */
  drainedAt: number | null;
  returnIdFrom: number | null;
  /** Orders confirmed while the journal was out of reach, re-read by date before resuming. */
  catchUp: OrderScan | null;
  /**
   * Unix seconds up to which orders may have reached Lojal by a read by date rather than the
   * journal (the catch-up's end); null: the connection's start, where the backfill ends. An order
   * the journal shows created after this and gone when read was never handed to Lojal.
   */
  scannedTo: number | null;
  /** Orders found created and gone between pulls (newest last): their removal cancels nothing. */
  unseen: string[];
}

/** How many such orders the cursor remembers: their removal comes within a few journal pages. */
const UNSEEN_KEPT = 200;

/** Reading orders by date_confirmed (history, or the catch-up after a journal gap). */
interface OrderScan {
  /** date_confirmed_from, unix seconds. */
  from: number;
  /** Order ids already taken at `from` (orders sharing one second). */
  seen: string[];
  /** Over 100 orders in one second: page within it by order id. */
  idFrom: number | null;
}

interface BackfillCursor {
  phase: 'orders' | 'returns';
  scan: OrderScan;
  returnIdFrom: number | null;
}

export const baselinkerConnector: PlatformConnector<BaseLinkerCredentials, BaseLinkerSettings> = {
  platform: 'baselinker',
  name: 'BaseLinker',
  credentialsSchema,
  settingsSchema,
  rateLimit: { requests: 100, perMs: 60_000 },
  throttle: baseLinkerThrottle,
  pullEveryMs: 2 * 60_000,
  overlapMs: 5 * 60_000,
  retentionMs: JOURNAL_RETENTION_MS,

  async test(ctx) {
    await call(ctx, 'getOrderStatusList', {});
    const journal = await call(ctx, 'getJournalList', { last_log_id: 0, logs_types: [1] });
    const logs = Array.isArray(journal.logs) ? journal.logs : [];
    if (logs.length === 0) {
      // An account without the journal answers it empty: if orders arrived in the last days,
      // the journal is off, and Lojal would miss every change after the first import.
      const recent = await call(ctx, 'getOrders', {
        date_confirmed_from: unix(ctx.now.getTime() - JOURNAL_RETENTION_MS) + 3600,
        get_unconfirmed_orders: false,
      });
      if (Array.isArray(recent.orders) && recent.orders.length > 0) {
        throw new PlatformError(
          'auth',
          'BaseLinker: the order journal (getJournalList) is switched off for this token. ' +
            'Switch it on in BaseLinker: Moje konto → API → Dziennik zdarzeń / My account → API → ' +
            'order journal, then connect again.',
        );
      }
    }
    return { accountName: null };
  },

  async pull(ctx, input) {
    return input.mode === 'backfill' ? backfill(ctx, input) : sync(ctx, input);
  },
};

function call(ctx: Ctx, method: string, parameters: Record<string, unknown>): Promise<Answer> {
  return callBaseLinker(
    ctx.http,
    { url: ctx.settings.apiUrl, token: ctx.credentials.token },
    method,
    parameters,
  );
}

// ---- sync: the journal ---------------------------------------------------------------------

async function sync(ctx: Ctx, input: PullInput): Promise<PullPage> {
  const now = ctx.now.getTime();
  const cursor = readSyncCursor(input.cursor);
  // Read to the end more than 3 days ago: the journal has forgotten part of what happened.
  // New orders are re-read by date; status changes of older orders in the gap are lost (the
  // connection's lag alert has said so since day 3).
  if (
    cursor.drainedAt !== null &&
    now - cursor.drainedAt > JOURNAL_RETENTION_MS &&
    !cursor.catchUp
  ) {
    cursor.catchUp = {
      from: unix(cursor.drainedAt - baselinkerConnector.overlapMs),
      seen: [],
      idFrom: null,
    };
    cursor.lastLogId = 0;
  }
  if (cursor.catchUp) {
    const page = await scanOrders(ctx, cursor.catchUp, null);
    cursor.catchUp = page.next;
    if (!page.next) {
      cursor.drainedAt = null;
      cursor.scannedTo = unix(now);
    }
    return {
      records: page.records,
      cursor: toJson(cursor),
      done: false,
      reachedAt: page.reachedAt,
    };
  }

  const sinceSeconds = unix(input.since.getTime());
  const journal = await call(ctx, 'getJournalList', {
    last_log_id: cursor.lastLogId,
    logs_types: ORDER_LOG_TYPES,
  });
  const logs = readLogs(journal)
    .filter((l) => l.id > cursor.lastLogId)
    // first read: the journal holds 3 days; only what happened since the connection's start
    .filter((l) => cursor.lastLogId > 0 || l.date >= sinceSeconds)
    .sort((a, b) => a.id - b.id);
  if (logs.length === 0) {
    // a first read that found nothing new in range still starts from the journal's newest event
    const newest = readLogs(journal).reduce((max, l) => Math.max(max, l.id), cursor.lastLogId);
    cursor.lastLogId = newest;
    return syncReturns(ctx, input, cursor);
  }

  // Take the events of the first ORDERS_PER_JOURNAL_PAGE orders, up to the next order's event.
  const byOrder = new Map<string, JournalLog[]>();
  let upTo = logs[0]!;
  for (const log of logs) {
    if (!byOrder.has(log.orderId) && byOrder.size === ORDERS_PER_JOURNAL_PAGE) break;
    const list = byOrder.get(log.orderId) ?? [];
    list.push(log);
    byOrder.set(log.orderId, list);
    upTo = log;
  }
  const records: PulledRecord[] = [];
  for (const [orderId, events] of byOrder) {
    const last = events.at(-1)!;
    const answer = await call(ctx, 'getOrders', {
      order_id: Number(orderId),
      get_unconfirmed_orders: true,
    });
    const order = ordersOf(answer).find((o) => idString(o.order_id) === orderId);
    if (order) {
      const paidLog = events.filter((e) => e.type === LOG_PAID).at(-1);
      records.push(
        orderRecord(
          ctx,
          order,
          `order:${orderId}@log:${last.id}`,
          last.date,
          paidLog?.date ?? null,
        ),
      );
    } else if (cursor.unseen.includes(orderId) || neverHandedOver(logs, orderId, cursor, input)) {
      // Created and gone between two pulls: Lojal never had it, so nothing to cancel. Kept in
      // the cursor for its removal event, which may come on a later page.
      cursor.unseen = [...cursor.unseen.filter((id) => id !== orderId), orderId].slice(
        -UNSEEN_KEPT,
      );
    } else if (events.some((e) => e.type === LOG_REMOVED)) {
      const removed = events.filter((e) => e.type === LOG_REMOVED).at(-1)!;
      const body: BaseLinkerRemovedRecord = { orderId, removedAt: removed.date };
      records.push({
        topic: BASELINKER_TOPICS.removed,
        key: `order:${orderId}@removed:${removed.id}`,
        body: JSON.stringify(body),
        occurredAt: new Date(removed.date * 1000),
      });
    }
    // neither: an order gone without a removal event (merged away): nothing to say
  }
  cursor.lastLogId = upTo.id;
  return {
    records,
    cursor: toJson(cursor),
    done: false,
    reachedAt: new Date(upTo.date * 1000),
  };
}

/**
 * An order created and removed between two pulls: the journal read from the cursor holds its
 * creation, after anything a read by date could have handed over (the backfill ends at the
 * connection's start, a catch-up at its own end), and it was gone when asked for. No version of
 * it ever reached Lojal, so a cancellation of it would wait forever for an order that never
 * comes: none is sent.
 */
function neverHandedOver(
  logs: JournalLog[],
  orderId: string,
  cursor: SyncCursor,
  input: PullInput,
): boolean {
  const created = logs.find((l) => l.orderId === orderId && l.type === LOG_CREATED);
  const scannedTo = cursor.scannedTo ?? unix(input.since.getTime() + baselinkerConnector.overlapMs);
  return created !== undefined && created.date >= scannedTo;
}

/** After the journal: returns created since the last one seen (they count as refunds). */
async function syncReturns(ctx: Ctx, input: PullInput, cursor: SyncCursor): Promise<PullPage> {
  const { records, nextIdFrom, full } = await readReturns(ctx, {
    idFrom: cursor.returnIdFrom,
    dateFrom: unix(input.since.getTime()),
    until: null,
  });
  cursor.returnIdFrom = nextIdFrom;
  if (!full) cursor.drainedAt = ctx.now.getTime();
  return { records, cursor: toJson(cursor), done: !full, reachedAt: full ? null : ctx.now };
}

interface JournalLog {
  id: number;
  orderId: string;
  type: number;
  date: number;
}

function readLogs(answer: Answer): JournalLog[] {
  if (!Array.isArray(answer.logs)) {
    throw new PlatformError('bad-response', 'BaseLinker getJournalList: no logs in the answer');
  }
  return answer.logs.flatMap((raw: unknown) => {
    const l = raw as Record<string, unknown>;
    // api.base.com names the event id `id`; client libraries read `log_id` (unverified which).
    const id = Number(l.log_id ?? l.id);
    const orderId = idString(l.order_id);
    const type = Number(l.log_type);
    const date = Number(l.date);
    if (!Number.isSafeInteger(id) || !orderId || !Number.isFinite(type) || !Number.isFinite(date)) {
      throw new PlatformError(
        'bad-response',
        `BaseLinker getJournalList: an event without id, order_id, log_type or date: ${JSON.stringify(raw).slice(0, 200)}`,
      );
    }
    return [{ id, orderId, type, date }];
  });
}

function readSyncCursor(cursor: Json): SyncCursor {
  const c = (cursor ?? {}) as Partial<Record<keyof SyncCursor, unknown>>;
  return {
    lastLogId: typeof c.lastLogId === 'number' ? c.lastLogId : 0,
    drainedAt: typeof c.drainedAt === 'number' ? c.drainedAt : null,
    returnIdFrom: typeof c.returnIdFrom === 'number' ? c.returnIdFrom : null,
    catchUp: (c.catchUp as OrderScan | null | undefined) ?? null,
    scannedTo: typeof c.scannedTo === 'number' ? c.scannedTo : null,
    unseen: Array.isArray(c.unseen) ? c.unseen.filter((id) => typeof id === 'string') : [],
  };
}

// ---- backfill: getOrders by date_confirmed, then returns -----------------------------------

async function backfill(ctx: Ctx, input: PullInput): Promise<PullPage> {
  const until = input.until ? unix(input.until.getTime()) : null;
  const cursor: BackfillCursor = (input.cursor as unknown as BackfillCursor | null) ?? {
    phase: 'orders',
    scan: { from: unix(input.since.getTime()), seen: [], idFrom: null },
    returnIdFrom: null,
  };
  if (cursor.phase === 'orders') {
    const page = await scanOrders(ctx, cursor.scan, until);
    const next: BackfillCursor = page.next
      ? { ...cursor, scan: page.next }
      : { ...cursor, phase: 'returns' };
    return { records: page.records, cursor: toJson(next), done: false, reachedAt: page.reachedAt };
  }
  const { records, nextIdFrom, full } = await readReturns(ctx, {
    idFrom: cursor.returnIdFrom,
    dateFrom: unix(input.since.getTime()),
    until,
  });
  return {
    records,
    cursor: toJson({ ...cursor, returnIdFrom: nextIdFrom }),
    done: !full,
  };
}

/**
 * One page of confirmed orders from `scan.from` on, as BaseLinker advises: up to 100 a call,
 * the next call from the last order's date_confirmed. Not from that date + 1 s as its docs say:
 * orders confirmed in the same second as the last one would be skipped. Orders already taken
 * at that second are skipped here instead, and a second holding over 100 orders is paged by
 * order id (`id_from`). Null `next`: the end (or `until`) is reached.
 */
async function scanOrders(
  ctx: Ctx,
  scan: OrderScan,
  until: number | null,
): Promise<{ records: PulledRecord[]; next: OrderScan | null; reachedAt: Date | null }> {
  const answer = await call(ctx, 'getOrders', {
    date_confirmed_from: scan.from,
    get_unconfirmed_orders: false,
    ...(scan.idFrom !== null && { id_from: scan.idFrom }),
  });
  const orders = ordersOf(answer);
  const seen = new Set(scan.seen);
  const confirmedAt = (o: Answer) => Number(o.date_confirmed);
  let inRange = orders.filter((o) => until === null || confirmedAt(o) < until);
  if (scan.idFrom !== null) inRange = inRange.filter((o) => confirmedAt(o) === scan.from);
  const fresh = inRange.filter(
    (o) => !(confirmedAt(o) === scan.from && seen.has(String(idString(o.order_id)))),
  );
  const records = fresh.map((o) => {
    const version = createHash('sha256').update(JSON.stringify(o)).digest('hex').slice(0, 16);
    const asOf = Math.max(
      Number(o.date_add) || 0,
      confirmedAt(o) || 0,
      Number(o.date_in_status) || 0,
    );
    return orderRecord(ctx, o, `order:${String(idString(o.order_id))}@${version}`, asOf, null);
  });
  const reachedAt = inRange.length ? new Date(Math.max(...inRange.map(confirmedAt)) * 1000) : null;

  const full = orders.length >= PAGE;
  const pastUntil = until !== null && orders.some((o) => confirmedAt(o) >= until);
  let next: OrderScan | null;
  if (scan.idFrom !== null) {
    // paging inside one crowded second; later seconds in this answer are read again after it
    const atSecond = orders.filter((o) => confirmedAt(o) === scan.from);
    const stillCrowded = full && atSecond.length === orders.length;
    if (stillCrowded) {
      next = { from: scan.from, seen: [], idFrom: maxId(atSecond) + 1 };
    } else {
      next =
        until !== null && scan.from + 1 >= until
          ? null
          : { from: scan.from + 1, seen: [], idFrom: null };
    }
  } else if (!full || pastUntil) {
    next = null;
  } else {
    const last = Math.max(...orders.map(confirmedAt));
    const atLast = orders
      .filter((o) => confirmedAt(o) === last)
      .map((o) => String(idString(o.order_id)));
    next =
      last === scan.from
        ? // 100 orders in one second, all at `from`: page inside it by id
          { from: scan.from, seen: [], idFrom: maxId(orders) + 1 }
        : { from: last, seen: atLast, idFrom: null };
  }
  return { records, next, reachedAt };
}

function maxId(orders: Answer[]): number {
  return Math.max(...orders.map((o) => Number(idString(o.order_id))));
}

function ordersOf(answer: Answer): Answer[] {
  if (!Array.isArray(answer.orders)) {
    throw new PlatformError('bad-response', 'BaseLinker getOrders: no orders in the answer');
  }
  return answer.orders.filter((o): o is Answer => typeof o === 'object' && o !== null);
}

function orderRecord(
  ctx: Ctx,
  order: Answer,
  key: string,
  asOf: number,
  paidAt: number | null,
): PulledRecord {
  const body: BaseLinkerOrderRecord = {
    order,
    asOf,
    paidAt,
    paidStatusIds: ctx.settings.paidStatusIds,
    cancelledStatusIds: ctx.settings.cancelledStatusIds,
  };
  return {
    topic: BASELINKER_TOPICS.order,
    key,
    body: JSON.stringify(body),
    occurredAt: new Date(asOf * 1000),
  };
}

// ---- returns (refunds) ----------------------------------------------------------------------

async function readReturns(
  ctx: Ctx,
  input: { idFrom: number | null; dateFrom: number; until: number | null },
): Promise<{ records: PulledRecord[]; nextIdFrom: number | null; full: boolean }> {
  const answer = await call(ctx, 'getOrderReturns', {
    date_from: input.dateFrom,
    ...(input.idFrom !== null && { id_from: input.idFrom }),
  });
  if (!Array.isArray(answer.returns)) {
    throw new PlatformError('bad-response', 'BaseLinker getOrderReturns: no returns in the answer');
  }
  const returns = (answer.returns as Answer[]).filter(
    (r) => input.idFrom === null || Number(r.return_id) >= input.idFrom,
  );
  const records = returns
    .filter((r) => input.until === null || Number(r.date_add) < input.until)
    .map((r) => {
      const body: BaseLinkerReturnRecord = { return: r };
      return {
        topic: BASELINKER_TOPICS.return,
        key: `return:${String(idString(r.return_id))}`,
        body: JSON.stringify(body),
        occurredAt: new Date(Number(r.date_add) * 1000),
      };
    });
  const maxId = returns.reduce((max, r) => Math.max(max, Number(r.return_id)), -1);
  return {
    records,
    nextIdFrom: maxId >= 0 ? maxId + 1 : input.idFrom,
    full: answer.returns.length >= PAGE,
  };
}

function unix(ms: number): number {
  return Math.floor(ms / 1000);
}

function toJson(value: object): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}
