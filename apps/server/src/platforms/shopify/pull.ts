import type { Json, PulledRecord, PullInput, PullPage } from '../../connections/connector.ts';
import { PlatformError } from '../../connections/connector.ts';
import {
  GRAPHQL_CUSTOMER_TOPIC,
  GRAPHQL_ORDER_TOPIC,
  gidTail,
} from '../../ingest/shopify-graphql.ts';
import { PayloadError } from '../../ingest/facts.ts';
import { list, obj, shopifyGraphql, type ShopifyContext } from './graphql.ts';
import {
  CUSTOMERS_PER_PAGE,
  CUSTOMERS_QUERY,
  LINES_PER_ORDER,
  ORDER_LINES_QUERY,
  ORDERS_COUNT_QUERY,
  ORDERS_PER_PAGE,
  ORDERS_QUERY,
} from './queries.ts';

type Phase = 'orders' | 'customers';

/**
 * Where a pull is: the phase (sync reads orders, then customers), the lower bound of its search
 * (`updated_at:>=` in sync, `created_at:>=` in backfill), Shopify's page cursor, and the newest
 * change seen. A finished sync run hands back `done: true`; the next run starts from what it
 * reached, less the overlap.
 */
interface Cursor {
  phase: Phase;
  from: string;
  after: string | null;
  reached: string | null;
  done?: boolean;
}

export async function pullShopify(
  ctx: ShopifyContext,
  input: PullInput,
  overlapMs: number,
): Promise<PullPage> {
  const cursor = startOrContinue(readCursor(input.cursor), input, overlapMs);
  const backfill = input.mode === 'backfill';
  let total: number | undefined;
  if (backfill && input.cursor === null) total = await countOrders(ctx, searchOf(cursor, input));
  const page =
    cursor.phase === 'orders'
      ? await ordersPage(ctx, cursor, input)
      : await customersPage(ctx, cursor);
  const reached = newest(cursor.reached, page.reached);
  let next: Cursor;
  let done = false;
  if (page.after !== null) {
    next = { ...cursor, after: page.after, reached };
  } else if (cursor.phase === 'orders' && !backfill) {
    next = { phase: 'customers', from: cursor.from, after: null, reached };
  } else {
    next = { phase: 'orders', from: cursor.from, after: null, reached, done: true };
    done = true;
  }
  return {
    records: page.records,
    cursor: next as unknown as Json,
    done,
    ...(total !== undefined && { total }),
    reachedAt: reached ? new Date(reached) : null,
  };
}

function readCursor(value: Json): Cursor | null {
  const c = obj(value);
  if (!c) return null;
  if (
    (c.phase !== 'orders' && c.phase !== 'customers') ||
    typeof c.from !== 'string' ||
    Number.isNaN(Date.parse(c.from))
  ) {
    throw new PlatformError('bad-response', 'the stored Shopify cursor is not one Lojal wrote');
  }
  return {
    phase: c.phase,
    from: c.from,
    after: typeof c.after === 'string' ? c.after : null,
    reached: typeof c.reached === 'string' ? c.reached : null,
    done: c.done === true,
  };
}

function startOrContinue(cursor: Cursor | null, input: PullInput, overlapMs: number): Cursor {
  if (cursor && !cursor.done) return cursor;
  let from = input.since;
  if (cursor?.done && cursor.reached && input.mode === 'sync') {
    const again = new Date(Date.parse(cursor.reached) - overlapMs);
    if (again > from) from = again;
  }
  return { phase: 'orders', from: iso(from), after: null, reached: cursor?.reached ?? null };
}

/** Shopify's search syntax; times in UTC. */
function searchOf(cursor: Cursor, input: PullInput): string {
  if (input.mode === 'backfill') {
    const until = input.until ? ` created_at:<'${iso(input.until)}'` : '';
    return `created_at:>='${cursor.from}'${until}`;
  }
  return `updated_at:>='${cursor.from}'`;
}

interface Page {
  records: PulledRecord[];
  after: string | null;
  reached: string | null;
}

async function ordersPage(ctx: ShopifyContext, cursor: Cursor, input: PullInput): Promise<Page> {
  const data = await shopifyGraphql(
    ctx,
    ORDERS_QUERY,
    {
      first: ORDERS_PER_PAGE,
      after: cursor.after,
      query: searchOf(cursor, input),
      sortKey: input.mode === 'backfill' ? 'CREATED_AT' : 'UPDATED_AT',
      lines: LINES_PER_ORDER,
    },
    'pull orders',
  );
  const connection = connectionOf(data.orders, 'orders');
  const records: PulledRecord[] = [];
  let reached: string | null = null;
  for (const order of connection.nodes) {
    await completeLines(ctx, order);
    const updatedAt = timeOf(order, input.mode === 'backfill' ? 'createdAt' : 'updatedAt');
    const changedAt = timeOf(order, 'updatedAt');
    reached = newest(reached, updatedAt);
    records.push({
      topic: GRAPHQL_ORDER_TOPIC,
      key: `order:${idOf(order, 'order')}@${changedAt}`,
      body: JSON.stringify(order),
      occurredAt: new Date(changedAt),
    });
  }
  return { records, after: connection.after, reached };
}

async function customersPage(ctx: ShopifyContext, cursor: Cursor): Promise<Page> {
  const data = await shopifyGraphql(
    ctx,
    CUSTOMERS_QUERY,
    { first: CUSTOMERS_PER_PAGE, after: cursor.after, query: `updated_at:>='${cursor.from}'` },
    'pull customers',
  );
  const connection = connectionOf(data.customers, 'customers');
  let reached: string | null = null;
  const records = connection.nodes.map((customer) => {
    const updatedAt = timeOf(customer, 'updatedAt');
    reached = newest(reached, updatedAt);
    return {
      topic: GRAPHQL_CUSTOMER_TOPIC,
      key: `customer:${idOf(customer, 'customer')}@${updatedAt}`,
      body: JSON.stringify(customer),
      occurredAt: new Date(updatedAt),
    };
  });
  return { records, after: connection.after, reached };
}

/** An order with more lines than a page holds gets the rest before it is stored. */
async function completeLines(ctx: ShopifyContext, order: Record<string, unknown>) {
  const lines = obj(order.lineItems);
  if (!lines) return;
  let more = obj(lines.pageInfo)?.hasNextPage === true;
  let after = obj(lines.pageInfo)?.endCursor;
  const nodes = list(lines.nodes);
  while (more) {
    const data = await shopifyGraphql(
      ctx,
      ORDER_LINES_QUERY,
      { id: order.id, after: typeof after === 'string' ? after : null },
      `pull lines of order ${String(order.name ?? order.id)}`,
    );
    const page = connectionOf(obj(data.order)?.lineItems, 'order.lineItems');
    nodes.push(...page.nodes);
    more = page.after !== null;
    after = page.after;
  }
  order.lineItems = { pageInfo: { hasNextPage: false, endCursor: null }, nodes };
}

async function countOrders(ctx: ShopifyContext, query: string): Promise<number | undefined> {
  const data = await shopifyGraphql(ctx, ORDERS_COUNT_QUERY, { query }, 'count orders');
  const count = obj(data.ordersCount)?.count;
  return typeof count === 'number' ? count : undefined;
}

function connectionOf(value: unknown, what: string) {
  const connection = obj(value);
  if (!connection || !Array.isArray(connection.nodes)) {
    throw new PlatformError('bad-response', `Shopify's answer has no ${what} list`);
  }
  const pageInfo = obj(connection.pageInfo);
  const after =
    pageInfo?.hasNextPage === true && typeof pageInfo.endCursor === 'string'
      ? pageInfo.endCursor
      : null;
  return { nodes: list(connection.nodes), after };
}

function idOf(node: Record<string, unknown>, what: string): string {
  try {
    return gidTail(node.id, `${what}.id`);
  } catch (error) {
    if (error instanceof PayloadError) throw new PlatformError('bad-response', error.message);
    throw error;
  }
}

function timeOf(node: Record<string, unknown>, field: string): string {
  const value = node[field];
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw new PlatformError('bad-response', `a Shopify record has no ${field}`);
  }
  return iso(new Date(value));
}

function newest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, 'Z');
}
