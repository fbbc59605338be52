import { idString } from '../../shared/json.ts';
import {
  PlatformError,
  type Json,
  type PullInput,
  type PullPage,
  type PulledRecord,
} from '../../connections/connector.ts';
import {
  fromWall,
  localWall,
  psJson,
  psList,
  psRequest,
  wallPlus,
  type PsContext,
} from './webservice.ts';

/**
 * The Webservice reconciliation pull and backfill: orders, then credit slips (refunds), then
 * customers, each filtered by date_upd and sorted by (date_upd, id).
 *
 * Like WooCommerce, the Webservice pages by position (limit=offset,100) over a list that moves
 * while it is read, so the cursor is the position reached in (date_upd, id): each call asks for
 * date_upd in [m, …] (the interval filter is inclusive), where m is the newest second reached,
 * skips the records of second m already read minus an overlap of OVERLAP, and expects the last
 * record read among those re-read; if it is missing, second m is read again from its start.
 * Records are keyed `<resource>:<id>@<date_upd>`, so a re-read version is stored once.
 *
 * date_upd is the shop's wall clock without a zone (ctx.shop.timezone). When the clocks go back
 * in autumn an hour of wall-clock times repeats; the next run then starts an hour further back.
 */

const PER_PAGE = 100;
const OVERLAP = 5;

type Resource = 'orders' | 'order_slip' | 'customers';
const PHASES: Resource[] = ['orders', 'order_slip', 'customers'];
const NODE: Record<Resource, string> = {
  orders: 'orders',
  order_slip: 'order_slips',
  customers: 'customers',
};
const TOPIC: Record<Resource, string> = {
  orders: 'order',
  order_slip: 'order_slip',
  customers: 'customer',
};

interface Scan {
  /** Inclusive lower bound, shop wall clock ('2026-03-02 11:00:00'). */
  from: string;
  offset: number;
  expectId: string | null;
  high: string | null;
}

interface Cursor {
  phase: Resource;
  scans: Record<Resource, Scan>;
  /** id_currency → ISO code, read once per run. */
  currencies: Record<string, string> | null;
}

export async function pullPrestaShop(
  ctx: PsContext,
  input: PullInput,
  overlapMs: number,
): Promise<PullPage> {
  const tz = ctx.shop.timezone;
  const cursor = readCursor(input, tz);
  const phase = cursor.phase;
  // The interval filter needs an end: history ends at `until`; a sync reads up to tomorrow.
  const to = localWall(
    input.mode === 'backfill' && input.until
      ? new Date(input.until.getTime() - 1000)
      : new Date(ctx.now.getTime() + 86_400_000),
    tz,
  );
  if (phase !== 'customers' && cursor.currencies === null) {
    cursor.currencies = await currencies(ctx);
  }
  const page = await scanPage(ctx, phase, cursor.scans[phase], to);
  cursor.scans[phase] = page.next;
  const records = await recordsOf(ctx, phase, page.items, cursor);

  const reached = cursor.scans.orders.high ? fromWall(cursor.scans.orders.high, tz) : null;
  const next = PHASES[PHASES.indexOf(phase) + 1];
  if (!page.done || next) {
    cursor.phase = page.done ? next! : phase;
    return { records, cursor: cursor as unknown as Json, done: false, reachedAt: reached };
  }
  const restart: Cursor = {
    phase: 'orders',
    scans: {
      orders: rewound(cursor.scans.orders, overlapMs, tz),
      order_slip: rewound(cursor.scans.order_slip, overlapMs, tz),
      customers: rewound(cursor.scans.customers, overlapMs, tz),
    },
    currencies: null,
  };
  return {
    records,
    cursor: restart as unknown as Json,
    done: true,
    reachedAt: input.mode === 'sync' ? ctx.now : reached,
  };
}

function readCursor(input: PullInput, tz: string): Cursor {
  const c = input.cursor as unknown as Cursor | null;
  if (c && typeof c === 'object' && 'scans' in c && PHASES.includes(c.phase)) {
    return structuredClone(c);
  }
  const from = localWall(input.since, tz);
  const scan = (): Scan => ({ from, offset: 0, expectId: null, high: null });
  return {
    phase: 'orders',
    scans: { orders: scan(), order_slip: scan(), customers: scan() },
    currencies: null,
  };
}

function rewound(scan: Scan, overlapMs: number, tz: string): Scan {
  if (!scan.high) return { ...scan, offset: 0, expectId: null };
  const at = fromWall(scan.high, tz)!;
  // An autumn clock change within the last two hours: an hour of wall time was written twice.
  const shifted = offsetMs(at, tz) !== offsetMs(new Date(at.getTime() - 7_200_000), tz);
  return {
    from: wallPlus(scan.high, -(overlapMs + (shifted ? 3_600_000 : 0)), tz),
    offset: 0,
    expectId: null,
    high: scan.high,
  };
}

function offsetMs(at: Date, tz: string): number {
  return fromWall(localWall(at, 'UTC'), tz)!.getTime() - at.getTime();
}

async function scanPage(
  ctx: PsContext,
  resource: Resource,
  scan: Scan,
  to: string,
): Promise<{ items: Array<Record<string, unknown>>; next: Scan; done: boolean }> {
  let { offset, expectId } = scan;
  for (let attempt = 0; ; attempt++) {
    const response = await psRequest(ctx, {
      method: 'GET',
      path: `/${resource}`,
      query: {
        display: 'full',
        [`filter[date_upd]`]: `[${scan.from},${to}]`,
        date: 1,
        sort: '[date_upd_ASC,id_ASC]',
        limit: `${offset},${PER_PAGE}`,
      },
      purpose: `read ${resource} changed since ${scan.from}`,
    });
    const items = psList(psJson(response, `read ${resource}`), NODE[resource]);
    if (expectId !== null && offset > 0 && attempt === 0) {
      if (!items.slice(0, OVERLAP).some((item) => idString(item.id) === expectId)) {
        offset = 0;
        expectId = null;
        continue;
      }
    }
    const done = items.length < PER_PAGE;
    if (items.length === 0) return { items, next: { ...scan, offset, expectId: null }, done };
    let high = scan.high;
    for (const item of items) {
      const upd = updatedOf(item, resource);
      if (upd < scan.from) {
        throw new PlatformError(
          'bad-response',
          `PrestaShop answered ${resource} updated at ${upd}, before ${scan.from}: the date filter was not applied`,
        );
      }
      if (high === null || upd > high) high = upd;
    }
    const last = items.at(-1)!;
    const m = updatedOf(last, resource);
    const atM = items.filter((item) => updatedOf(item, resource) === m).length;
    const seen = (scan.from === m ? offset : 0) + atM;
    const nextOffset = Math.max(0, seen - OVERLAP);
    return {
      items,
      next: {
        from: m,
        offset: nextOffset,
        expectId: nextOffset > 0 ? idString(last.id) : null,
        high,
      },
      done,
    };
  }
}

function updatedOf(item: Record<string, unknown>, resource: Resource): string {
  const value = item.date_upd ?? item.date_add;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) {
    throw new PlatformError(
      'bad-response',
      `read ${resource}: record ${idString(item.id)} has no date_upd`,
    );
  }
  return value;
}

async function currencies(ctx: PsContext): Promise<Record<string, string>> {
  const response = await psRequest(ctx, {
    method: 'GET',
    path: '/currencies',
    query: { display: '[id,iso_code]' },
    purpose: 'read currencies',
  });
  const out: Record<string, string> = {};
  for (const c of psList(psJson(response, 'read currencies'), 'currencies')) {
    const id = idString(c.id);
    if (id && typeof c.iso_code === 'string') out[id] = c.iso_code.toUpperCase();
  }
  return out;
}

async function recordsOf(
  ctx: PsContext,
  resource: Resource,
  items: Array<Record<string, unknown>>,
  cursor: Cursor,
): Promise<PulledRecord[]> {
  const tz = ctx.shop.timezone;
  const record = (item: Record<string, unknown>, body: Record<string, unknown>) => {
    const upd = updatedOf(item, resource);
    return {
      topic: TOPIC[resource],
      key: `${TOPIC[resource]}:${idString(item.id)}@${upd}`,
      body: JSON.stringify({ timezone: tz, ...body }),
      occurredAt: fromWall(upd, tz),
    };
  };
  if (resource === 'customers') return items.map((c) => record(c, { customer: c }));
  if (resource === 'orders') {
    const cancelled = new Set(ctx.settings.cancelledStateIds);
    return items.map((o) =>
      record(o, {
        currency: currencyOf(cursor, idString(o.id_currency)),
        cancelled: cancelled.has(idString(o.current_state) ?? ''),
        order: o,
      }),
    );
  }
  // A credit slip names its order, not its currency: in a shop of one currency that is it;
  // otherwise the orders' currencies, one call a page.
  const only = Object.values(cursor.currencies ?? {});
  if (only.length === 1) {
    return items.map((s) => record(s, { currency: only[0]!, order_slip: s }));
  }
  const orderIds = [...new Set(items.map((s) => idString(s.id_order)).filter((id) => id !== null))];
  const currencyOfOrder = new Map<string, string | null>();
  if (orderIds.length) {
    const response = await psRequest(ctx, {
      method: 'GET',
      path: '/orders',
      query: { display: '[id,id_currency]', 'filter[id]': `[${orderIds.join('|')}]` },
      purpose: 'read the currencies of refunded orders',
    });
    for (const o of psList(psJson(response, 'read refunded orders'), 'orders')) {
      currencyOfOrder.set(idString(o.id)!, currencyOf(cursor, idString(o.id_currency)));
    }
  }
  return items.map((s) =>
    record(s, { currency: currencyOfOrder.get(idString(s.id_order) ?? '') ?? null, order_slip: s }),
  );
}

function currencyOf(cursor: Cursor, id: string | null): string | null {
  return (id && cursor.currencies?.[id]) || null;
}
