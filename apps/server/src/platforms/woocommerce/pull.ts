import { idString } from '../../shared/json.ts';
import { toMinorUnits } from '../../shared/money.ts';
import {
  PlatformError,
  type Json,
  type PullInput,
  type PullPage,
  type PulledRecord,
} from '../../connections/connector.ts';
import { countHeader, jsonOf, wooError, wooRequest, type WooContext } from './rest.ts';

/**
 * The reconciliation pull and the history backfill: orders (with their `refunds`, which the
 * webhook adapter already reads), then in a backfill the registered customers, then products.
 *
 * Paging. WooCommerce pages by number over a list that moves while it is read: an order modified
 * during the read leaves its place and goes to the end, everything after it moves up one place,
 * and the record that crossed the page boundary is never seen. So the cursor is not a page
 * number but the position reached in the order (date_modified_gmt, id), which WooCommerce sorts
 * by (orderby=modified adds ID as the second key):
 *
 * - every call asks for `modified_after = m - 1 s`, where m is the newest modification second
 *   already reached (the filter is exclusive and times have whole seconds, so the whole second m
 *   comes back, and nothing older);
 * - within that second it skips the records already read, with `offset`, minus an overlap of
 *   OVERLAP records that are read again (stored once: the same version has the same key);
 * - the last record read must be found again in that overlap. If it is not, records of that
 *   second moved away (modified again: they come back later, at their new time) and shifted the
 *   rest by more than the overlap, so the second is read again from its start.
 *
 * A change written while a sync is reading is caught by the next run, which starts `overlapMs`
 * before the newest change reached. Records are keyed `order:<id>@<date_modified_gmt>`: a second
 * read of the same version dedupes, a newer version is a new record.
 */

const PER_PAGE = 100;
/** Records of the current second read again on the next page, to notice a shifted list. */
export const OVERLAP = 5;

type Resource = 'orders' | 'customers' | 'products';

interface Scan {
  /** Exclusive lower bound, GMT, whole seconds ('2026-03-02T10:00:00'); null: from the start. */
  after: string | null;
  /** Records of second `after + 1 s` already read (minus the overlap). */
  offset: number;
  /** The last record read, expected again among the first OVERLAP of the next page. */
  expectId: string | null;
  /** The newest modification time read, across runs. */
  high: string | null;
}

interface Cursor {
  phase: Resource;
  orders: Scan;
  products: Scan;
  /** Backfill only: customers have no modification filter, so they are paged by id. */
  customersPage: number;
  totals: Partial<Record<Resource, number>>;
}

const PHASES: Record<PullInput['mode'], Resource[]> = {
  sync: ['orders', 'products'],
  backfill: ['orders', 'customers', 'products'],
};

const TOPICS: Record<Resource, string> = {
  orders: 'order.updated',
  customers: 'customer.updated',
  products: 'product.updated',
};

export async function pullWoo(
  ctx: WooContext,
  input: PullInput,
  overlapMs: number,
): Promise<PullPage> {
  const cursor = readCursor(input);
  const phases = PHASES[input.mode];
  const phase = phases.includes(cursor.phase) ? cursor.phase : phases[0]!;
  const until = input.mode === 'backfill' && input.until ? gmt(input.until) : null;

  let records: PulledRecord[];
  let phaseDone: boolean;
  if (phase === 'customers') {
    const page = await customersPage(ctx, cursor.customersPage);
    if (cursor.customersPage === 1 && page.total !== null) cursor.totals.customers = page.total;
    records = page.records;
    phaseDone = page.done;
    cursor.customersPage += 1;
  } else {
    const scan = cursor[phase];
    const fresh = scan.offset === 0 && cursor.totals[phase] === undefined;
    // History issues no gift cards, so a backfill need not learn which lines refunds name.
    const refundLines = input.mode === 'sync' && phase === 'orders';
    const page = await scanPage(ctx, phase, scan, until, refundLines);
    if (fresh && page.total !== null && input.mode === 'backfill') {
      cursor.totals[phase] = page.total;
    }
    records = page.records;
    phaseDone = page.done;
    cursor[phase] = page.next;
  }

  const reached = cursor.orders.high ? fromGmt(cursor.orders.high) : null;
  const total = sumTotals(cursor.totals);
  const next = phases[phases.indexOf(phase) + 1];
  if (!phaseDone || next) {
    cursor.phase = phaseDone ? next! : phase;
    return { records, cursor: cursor as unknown as Json, done: false, total, reachedAt: reached };
  }
  // The run is complete: the next one starts overlapMs before the newest change reached.
  const restart: Cursor = {
    phase: phases[0]!,
    orders: rewound(cursor.orders, overlapMs),
    products: rewound(cursor.products, overlapMs),
    customersPage: 1,
    totals: {},
  };
  return {
    records,
    cursor: restart as unknown as Json,
    done: true,
    total,
    // Caught up to the moment of the last call: the lag is what has not been read yet.
    reachedAt: input.mode === 'sync' ? ctx.now : reached,
  };
}

function readCursor(input: PullInput): Cursor {
  const c = input.cursor as unknown as Cursor | null;
  if (c && typeof c === 'object' && 'phase' in c && c.orders && c.products) {
    return structuredClone(c);
  }
  // modified_after is exclusive and whole seconds: one second back keeps `since` itself.
  const since = gmt(new Date(Math.floor(input.since.getTime() / 1000) * 1000 - 1000));
  return {
    phase: 'orders',
    orders: { after: since, offset: 0, expectId: null, high: null },
    // History of the catalogue is its present state: a backfill reads every product.
    products: {
      after: input.mode === 'backfill' ? null : since,
      offset: 0,
      expectId: null,
      high: null,
    },
    customersPage: 1,
    totals: {},
  };
}

function rewound(scan: Scan, overlapMs: number): Scan {
  const after = scan.high ? gmt(new Date(fromGmt(scan.high).getTime() - overlapMs)) : scan.after;
  return { after, offset: 0, expectId: null, high: scan.high };
}

async function scanPage(
  ctx: WooContext,
  resource: 'orders' | 'products',
  scan: Scan,
  until: string | null,
  refundLines: boolean,
): Promise<{ records: PulledRecord[]; next: Scan; done: boolean; total: number | null }> {
  let { offset, expectId } = scan;
  for (let attempt = 0; ; attempt++) {
    const query: Record<string, string | number> = {
      dates_are_gmt: 'true',
      orderby: 'modified',
      order: 'asc',
      per_page: PER_PAGE,
      page: 1,
    };
    if (scan.after !== null) query.modified_after = scan.after;
    if (until !== null) query.modified_before = until;
    if (offset > 0) query.offset = offset;
    const response = await wooRequest(ctx, {
      method: 'GET',
      path: `/${resource}`,
      query,
      purpose: `read ${resource} changed after ${scan.after ?? 'the start'}`,
    });
    const items = listOf(response, resource);
    if (expectId !== null && offset > 0 && attempt === 0) {
      const found = items.slice(0, OVERLAP).some((item) => idString(item.id) === expectId);
      if (!found) {
        // The second being read lost records since the last page: read it again from its start.
        offset = 0;
        expectId = null;
        continue;
      }
    }
    if (refundLines) await addRefundLines(ctx, items);
    return {
      ...pageOf(resource, scan, offset, items, ctx),
      total: countHeader(response, 'x-wp-total'),
    };
  }
}

/**
 * An order listing gives each refund's amount, not its lines; a refund of one line (a gift
 * card's, which must be voided) is told by the refund resource. So a partly refunded order
 * gets its refunds' `line_items` from `GET /orders/{id}/refunds` (one call per such order;
 * an order refunded in full voids its cards without them).
 */
async function addRefundLines(ctx: WooContext, orders: Array<Record<string, unknown>>) {
  for (const order of orders) {
    const refunds = Array.isArray(order.refunds)
      ? (order.refunds as Array<Record<string, unknown>>)
      : [];
    const currency = typeof order.currency === 'string' ? order.currency : ctx.shop.currency;
    const minor = (value: unknown) => Math.abs(toMinorUnits(String(value ?? '0'), currency));
    const refunded = refunds.reduce((sum, r) => sum + minor(r.total), 0);
    if (refunds.length === 0 || refunded >= minor(order.total)) continue;
    const id = idString(order.id)!;
    const response = await wooRequest(ctx, {
      method: 'GET',
      path: `/orders/${id}/refunds`,
      query: { per_page: PER_PAGE },
      purpose: `read the refunds of order ${id}`,
    });
    const full = new Map(listOf(response, 'refunds').map((r) => [idString(r.id), r]));
    order.refunds = refunds.map((r) => {
      const lines = full.get(idString(r.id))?.line_items;
      return Array.isArray(lines) ? { ...r, line_items: lines } : r;
    });
  }
}

function pageOf(
  resource: 'orders' | 'products',
  scan: Scan,
  offset: number,
  items: Array<Record<string, unknown>>,
  ctx: WooContext,
): { records: PulledRecord[]; next: Scan; done: boolean } {
  const done = items.length < PER_PAGE;
  if (items.length === 0) return { records: [], next: { ...scan, offset, expectId: null }, done };
  const records: PulledRecord[] = [];
  let high = scan.high;
  for (const item of items) {
    const modified = modifiedOf(item, resource);
    if (scan.after !== null && modified <= scan.after) {
      throw new PlatformError(
        'bad-response',
        `WooCommerce answered ${resource} modified at ${modified}, not after ${scan.after}: ` +
          'the reconciliation needs WooCommerce 5.8 or newer (modified_after, dates_are_gmt)',
      );
    }
    if (high === null || modified > high) high = modified;
    records.push(recordOf(resource, item, modified, ctx));
  }
  const last = items.at(-1)!;
  const m = modifiedOf(last, resource);
  const secondBefore = gmt(new Date(fromGmt(m).getTime() - 1000));
  const atM = items.filter((item) => modifiedOf(item, resource) === m).length;
  const seen = (scan.after === secondBefore ? offset : 0) + atM;
  const nextOffset = Math.max(0, seen - OVERLAP);
  return {
    records,
    next: {
      after: secondBefore,
      offset: nextOffset,
      expectId: nextOffset > 0 ? idString(last.id) : null,
      high,
    },
    done,
  };
}

async function customersPage(
  ctx: WooContext,
  page: number,
): Promise<{ records: PulledRecord[]; done: boolean; total: number | null }> {
  const response = await wooRequest(ctx, {
    method: 'GET',
    path: '/customers',
    query: { orderby: 'id', order: 'asc', per_page: PER_PAGE, page },
    purpose: `read customers, page ${page}`,
  });
  const items = listOf(response, 'customers');
  return {
    records: items.map((item) => recordOf('customers', item, modifiedOf(item, 'customers'), ctx)),
    done: items.length < PER_PAGE,
    total: countHeader(response, 'x-wp-total'),
  };
}

function listOf(
  response: { status: number; text: string; headers: Headers },
  resource: Resource | 'refunds',
): Array<Record<string, unknown>> {
  if (response.status !== 200) {
    const error = wooError(response);
    throw new PlatformError(
      response.status === 404 ? 'address' : 'bad-response',
      `read ${resource}: WooCommerce answered ${response.status} ${error.code ?? ''} ${error.message}`.replace(
        /\s+/g,
        ' ',
      ),
      { status: response.status },
    );
  }
  const body = jsonOf(response, `read ${resource}`);
  if (!Array.isArray(body)) {
    throw new PlatformError('bad-response', `read ${resource}: the answer is not a list`);
  }
  return body.filter(
    (item): item is Record<string, unknown> =>
      typeof item === 'object' && item !== null && idString((item as { id?: unknown }).id) !== null,
  );
}

function modifiedOf(item: Record<string, unknown>, resource: Resource): string {
  const value = item.date_modified_gmt ?? item.date_created_gmt;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(value)) {
    throw new PlatformError(
      'bad-response',
      `read ${resource}: record ${idString(item.id)} has no date_modified_gmt`,
    );
  }
  return value.slice(0, 19);
}

function recordOf(
  resource: Resource,
  item: Record<string, unknown>,
  modified: string,
  ctx: WooContext,
): PulledRecord {
  const id = idString(item.id)!;
  // A product carries no currency: its prices are in the shop's one currency.
  const body = resource === 'products' ? { ...item, currency: ctx.shop.currency } : item;
  return {
    topic: TOPICS[resource],
    key: `${resource.slice(0, -1)}:${id}@${modified}`,
    body: JSON.stringify(body),
    occurredAt: fromGmt(modified),
  };
}

function sumTotals(totals: Partial<Record<Resource, number>>): number | undefined {
  const values = Object.values(totals);
  return values.length ? values.reduce((a, b) => a + b, 0) : undefined;
}

/** A time as WooCommerce's GMT fields write it: whole seconds, no zone. */
export function gmt(date: Date): string {
  return date.toISOString().slice(0, 19);
}

export function fromGmt(text: string): Date {
  return new Date(`${text}Z`);
}
