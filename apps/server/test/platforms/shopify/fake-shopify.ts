import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toMinorUnits } from '../../../src/shared/money.ts';
import type { FakeCode, FakePlatform } from '../fake-platform.ts';

/**
 * A local Shopify GraphQL Admin API: POST /admin/api/{version}/graphql.json with
 * X-Shopify-Access-Token, answering exactly the documents platforms/shopify/queries.ts sends
 * (dispatched on their root field, reading their variables). What it does the way Shopify
 * documents it: a leaky bucket of cost points with `extensions.cost.throttleStatus` on every
 * answer and a THROTTLED error (HTTP 200) when a query's requested cost exceeds what is left;
 * cursor pagination over a sort key; search strings such as `updated_at:>='…'`; code discounts
 * with case-insensitively unique codes (userError TAKEN), bulk redeem codes (≤ 250 a call,
 * created asynchronously, checked through discountRedeemCodeBulkCreation); 401 on a wrong
 * token; ACCESS_DENIED without a scope. Ids are gids over numbers beyond 2^53.
 *
 * Its cost formula is a simplification of Shopify's (a connection costs `first` × its children,
 * a mutation 10), so the connector's pacing is tested against the mechanism, not the numbers.
 */
export interface FakeShopifyOptions {
  accessToken?: string;
  apiVersion?: string;
  /** The cost bucket: Standard plans restore 100 points a second. */
  bucket?: { maximumAvailable: number; restoreRate: number };
  /** Scopes the token has; a call needing another answers ACCESS_DENIED. */
  scopes?: string[];
  /** Polls of discountRedeemCodeBulkCreation that answer `done: false` before the codes exist. */
  bulkPollsBeforeDone?: number;
  currency?: string;
  shopName?: string;
}

interface Money {
  shopMoney: { amount: string; currencyCode: string };
}

export interface FakeOrder {
  id: string;
  name: string;
  email: string | null;
  createdAt: string;
  updatedAt: string;
  processedAt: string | null;
  cancelledAt: string | null;
  displayFinancialStatus: string;
  displayFulfillmentStatus: string;
  currencyCode: string;
  discountCodes: string[];
  totalPriceSet: Money;
  subtotalPriceSet: Money;
  totalShippingPriceSet: Money;
  totalTaxSet: Money;
  totalDiscountsSet: Money;
  customerId: string | null;
  lineItems: Array<Record<string, unknown>>;
  refunds: Array<{ id: string; createdAt: string; note: string | null; totalRefundedSet: Money }>;
}

export interface FakeCustomer {
  id: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  updatedAt: string;
  tags: string[];
  emailMarketingConsent: { marketingState: string } | null;
  smsMarketingConsent: { marketingState: string } | null;
}

interface Discount {
  id: string;
  type: 'DiscountCodeBasic' | 'DiscountCodeFreeShipping';
  title: string;
  status: 'ACTIVE' | 'EXPIRED';
  input: Record<string, unknown>;
  /** code (as created) → redeem code id */
  codes: Map<string, string>;
  /** Made by the merchant by hand, not by Lojal. */
  byMerchant?: boolean;
}

interface BulkCreation {
  id: string;
  discountId: string;
  polls: number;
  results: Array<{ code: string; redeemId: string | null; errors: unknown[] }>;
}

type Obj = Record<string, unknown>;
const ALL_SCOPES = ['read_orders', 'read_customers', 'read_discounts', 'write_discounts'];
const GRACE_MS = 150;
const BIG = 8_209_829_119_461_545_000n; // ids past 2^53, as Shopify's are

export interface FakeShopify extends FakePlatform {
  url: string;
  accessToken: string;
  shopDomain: string;
  addCustomer(input: Partial<FakeCustomer> & { updatedAt: string }): FakeCustomer;
  addOrder(input: Partial<FakeOrder> & { createdAt: string; total: string }): FakeOrder;
  /** Changes an order and moves its updatedAt. */
  updateOrder(id: string, change: Partial<FakeOrder>, at: string): FakeOrder;
  addRefund(orderId: string, amount: string, at: string): void;
  orders(): FakeOrder[];
  /** A discount the merchant made by hand (a code Lojal's may collide with). */
  addMerchantDiscount(code: string, title: string): string;
  discounts(): Discount[];
  /** The cost bucket now. */
  bucket(): { currentlyAvailable: number; maximumAvailable: number; restoreRate: number };
  /** GraphQL operations answered, by root field (`orders`, `discountCodeBasicCreate`…). */
  operations(): string[];
  throttledCount(): number;
}

export async function startFakeShopify(options: FakeShopifyOptions = {}): Promise<FakeShopify> {
  const accessToken = options.accessToken ?? 'shpat_fake0123456789abcdef';
  const apiVersion = options.apiVersion ?? '2025-07';
  const currency = options.currency ?? 'PLN';
  // By default a roomy bucket, so the shared scenarios run at the call limit; the tests of
  // pacing pass Shopify's own numbers (Standard: 100 points a second) or tighter.
  const bucketLimits = options.bucket ?? { maximumAvailable: 20_000, restoreRate: 20_000 };
  const scopes = new Set(options.scopes ?? ALL_SCOPES);
  const rateLimit = { requests: 50, perMs: 1_000 };

  const customers = new Map<string, FakeCustomer>();
  const orders = new Map<string, FakeOrder>();
  const discounts = new Map<string, Discount>();
  const codeIndex = new Map<string, string>(); // lower-case code → discount id
  const bulkCreations = new Map<string, BulkCreation>();
  const callLog: Array<{ at: number; method: string; path: string; status: number }> = [];
  const operationLog: string[] = [];
  let available = bucketLimits.maximumAvailable;
  let bucketAt = Date.now();
  let next = 1n;
  let down = false;
  let refuse = false;
  let throttled = 0;
  const arrivals: number[] = [];

  const newId = (type: string) => `gid://shopify/${type}/${String(BIG + next++)}`;

  function refill(): void {
    const now = Date.now();
    available = Math.min(
      bucketLimits.maximumAvailable,
      available + ((now - bucketAt) / 1000) * bucketLimits.restoreRate,
    );
    bucketAt = now;
  }

  const money = (amount: string): Money => ({ shopMoney: { amount, currencyCode: currency } });

  function addCustomer(input: Partial<FakeCustomer> & { updatedAt: string }): FakeCustomer {
    const customer: FakeCustomer = {
      id: input.id ?? newId('Customer'),
      email: input.email ?? null,
      phone: input.phone ?? null,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      updatedAt: input.updatedAt,
      tags: input.tags ?? [],
      emailMarketingConsent: input.emailMarketingConsent ?? { marketingState: 'NOT_SUBSCRIBED' },
      smsMarketingConsent: input.smsMarketingConsent ?? null,
    };
    customers.set(customer.id, customer);
    return customer;
  }

  function addOrder(input: Partial<FakeOrder> & { createdAt: string; total: string }): FakeOrder {
    const id = input.id ?? newId('Order');
    const order: FakeOrder = {
      id,
      name: input.name ?? `#${1000 + orders.size + 1}`,
      email: input.email ?? null,
      createdAt: input.createdAt,
      updatedAt: input.updatedAt ?? input.createdAt,
      processedAt: input.processedAt ?? input.createdAt,
      cancelledAt: input.cancelledAt ?? null,
      displayFinancialStatus: input.displayFinancialStatus ?? 'PAID',
      displayFulfillmentStatus: input.displayFulfillmentStatus ?? 'UNFULFILLED',
      currencyCode: currency,
      discountCodes: input.discountCodes ?? [],
      totalPriceSet: money(input.total),
      subtotalPriceSet: input.subtotalPriceSet ?? money(input.total),
      totalShippingPriceSet: input.totalShippingPriceSet ?? money('0.00'),
      totalTaxSet: input.totalTaxSet ?? money('0.00'),
      totalDiscountsSet: input.totalDiscountsSet ?? money('0.00'),
      customerId: input.customerId ?? null,
      lineItems: input.lineItems ?? [
        {
          id: newId('LineItem'),
          sku: 'KAWA-1',
          title: 'Kawa',
          name: 'Kawa',
          quantity: 1,
          product: { id: 'gid://shopify/Product/7001' },
          variant: { id: 'gid://shopify/ProductVariant/8001' },
          originalUnitPriceSet: money(input.total),
        },
      ],
      refunds: input.refunds ?? [],
    };
    orders.set(id, order);
    return order;
  }

  function updateOrder(id: string, change: Partial<FakeOrder>, at: string): FakeOrder {
    const order = orders.get(id);
    if (!order) throw new Error(`no order ${id}`);
    Object.assign(order, change, { updatedAt: at });
    return order;
  }

  function addRefund(orderId: string, amount: string, at: string): void {
    const order = orders.get(orderId);
    if (!order) throw new Error(`no order ${orderId}`);
    order.refunds.push({
      id: newId('Refund'),
      createdAt: at,
      note: 'zwrot',
      totalRefundedSet: money(amount),
    });
    const refunded = order.refunds.reduce(
      (sum, r) => sum + toMinorUnits(r.totalRefundedSet.shopMoney.amount, currency),
      0,
    );
    order.displayFinancialStatus =
      refunded >= toMinorUnits(order.totalPriceSet.shopMoney.amount, currency)
        ? 'REFUNDED'
        : 'PARTIALLY_REFUNDED';
    order.updatedAt = at;
  }

  // ---- GraphQL -------------------------------------------------------------------------

  function orderNode(order: FakeOrder, lines: number): Obj {
    const { customerId, lineItems, ...rest } = order;
    return {
      ...rest,
      customer: customerId ? (customers.get(customerId) ?? null) : null,
      lineItems: page(lineItems, lines, null, (_l, i) => String(i).padStart(6, '0')),
      refunds: order.refunds.slice(0, 10),
    };
  }

  /** A connection page over items in order; cursors are opaque (base64 of the position key). */
  function page<T>(
    items: T[],
    first: number,
    after: string | null,
    keyOf: (item: T, index: number) => string,
  ): { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: T[] } {
    let start = 0;
    if (after) {
      const key = Buffer.from(after, 'base64url').toString('utf8');
      start = items.findIndex((item, i) => keyOf(item, i) > key);
      if (start === -1) start = items.length;
    }
    const nodes = items.slice(start, start + first);
    const last =
      nodes.length > 0 ? keyOf(nodes[nodes.length - 1]!, start + nodes.length - 1) : null;
    return {
      pageInfo: {
        hasNextPage: start + first < items.length,
        endCursor: last === null ? null : Buffer.from(last, 'utf8').toString('base64url'),
      },
      nodes,
    };
  }

  /** Terms like `updated_at:>='2025-01-01T00:00:00Z' created_at:<'…'`, joined by AND. */
  function matches(record: { createdAt?: string; updatedAt: string }, search: string): boolean {
    const terms = search.match(/(\w+):(>=|<=|>|<)?'([^']*)'/g) ?? [];
    if (search.trim() !== '' && terms.length === 0) throw new GraphqlError(`bad search ${search}`);
    return terms.every((term) => {
      const [, field, op = '=', value] = /(\w+):(>=|<=|>|<)?'([^']*)'/.exec(term)!;
      const own =
        field === 'updated_at'
          ? record.updatedAt
          : field === 'created_at'
            ? record.createdAt
            : null;
      if (own === undefined || own === null) throw new GraphqlError(`unknown filter ${field}`);
      const a = Date.parse(own);
      const b = Date.parse(value!);
      if (Number.isNaN(b)) throw new GraphqlError(`bad date ${value}`);
      return op === '>='
        ? a >= b
        : op === '>'
          ? a > b
          : op === '<'
            ? a < b
            : op === '<='
              ? a <= b
              : a === b;
    });
  }

  const sortKey = (time: string, id: string) =>
    `${new Date(time).toISOString()}|${id.replace(/\D/g, '').padStart(24, '0')}`;

  class GraphqlError extends Error {
    constructor(
      message: string,
      readonly code = 'BAD_REQUEST',
    ) {
      super(message);
    }
  }

  function need(scope: string, field: string) {
    if (!scopes.has(scope)) {
      throw new GraphqlError(
        `Access denied for ${field} field. Required access: \`${scope}\` access scope.`,
        'ACCESS_DENIED',
      );
    }
  }

  function discountNode(d: Discount): Obj {
    return { id: d.id, codeDiscount: { __typename: d.type, title: d.title, status: d.status } };
  }

  function createDiscount(type: Discount['type'], input: Obj): Obj {
    const field = type === 'DiscountCodeBasic' ? 'basicCodeDiscount' : 'freeShippingCodeDiscount';
    const errors: Obj[] = [];
    const code = typeof input.code === 'string' ? input.code.trim() : '';
    if (refuse)
      errors.push({
        field: [field, 'code'],
        code: 'INVALID',
        message: 'Code is not allowed by this shop (fake refusal)',
      });
    if (!code)
      errors.push({ field: [field, 'code'], code: 'BLANK', message: "Code can't be blank" });
    if (typeof input.title !== 'string' || input.title === '')
      errors.push({ field: [field, 'title'], code: 'BLANK', message: "Title can't be blank" });
    if (typeof input.startsAt !== 'string')
      errors.push({
        field: [field, 'startsAt'],
        code: 'BLANK',
        message: "Starts at can't be blank",
      });
    if (!input.customerSelection)
      errors.push({
        field: [field, 'customerSelection'],
        code: 'BLANK',
        message: 'Customer selection is required',
      });
    const chosen = ((input.customerSelection as Obj | undefined)?.customers as Obj | undefined)
      ?.add;
    for (const id of Array.isArray(chosen) ? (chosen as unknown[]) : []) {
      if (!customers.has(String(id))) {
        errors.push({
          field: [field, 'customerSelection', 'customers', 'add'],
          code: 'INVALID',
          message: `Customer ${String(id)} does not exist`,
        });
      }
    }
    if (type === 'DiscountCodeBasic') {
      const value = (input.customerGets as Obj | undefined)?.value as Obj | undefined;
      const pct = value?.percentage;
      if (!value || (pct === undefined && !value.discountAmount))
        errors.push({
          field: [field, 'customerGets', 'value'],
          code: 'BLANK',
          message: 'Value is required',
        });
      if (typeof pct === 'number' && (pct <= 0 || pct > 1))
        errors.push({
          field: [field, 'customerGets', 'value', 'percentage'],
          code: 'VALUE_OUTSIDE_RANGE',
          message: 'Percentage must be between 0 and 1',
        });
    }
    if (code && codeIndex.has(code.toLowerCase()))
      errors.push({
        field: [field, 'code'],
        code: 'TAKEN',
        message: 'Code must be unique. Please try a different code.',
      });
    if (errors.length > 0) return { codeDiscountNode: null, userErrors: errors };
    const id = newId('DiscountCodeNode');
    const discount: Discount = {
      id,
      type,
      title: input.title as string,
      status: 'ACTIVE',
      input,
      codes: new Map([[code, newId('DiscountRedeemCode')]]),
    };
    discounts.set(id, discount);
    codeIndex.set(code.toLowerCase(), id);
    return { codeDiscountNode: { id }, userErrors: [] };
  }

  function execute(root: string, v: Obj): { data: Obj; requested: number; actual: number } {
    switch (root) {
      case 'shop':
        return {
          data: { shop: { name: options.shopName ?? 'Kawa i Spółka' } },
          requested: 1,
          actual: 1,
        };
      case 'orders': {
        need('read_orders', 'orders');
        const first = Math.min(Number(v.first), 250);
        const lines = Number(v.lines);
        const byCreated = v.sortKey === 'CREATED_AT';
        const list = [...orders.values()]
          .filter((o) => matches(o, String(v.query ?? '')))
          .sort((a, b) =>
            sortKey(byCreated ? a.createdAt : a.updatedAt, a.id) <
            sortKey(byCreated ? b.createdAt : b.updatedAt, b.id)
              ? -1
              : 1,
          );
        const p = page(list, first, (v.after as string | null) ?? null, (o) =>
          sortKey(byCreated ? o.createdAt : o.updatedAt, o.id),
        );
        const nodes = p.nodes.map((o) => orderNode(o, lines));
        return {
          data: { orders: { pageInfo: p.pageInfo, nodes } },
          requested: orderCost(first, lines, 10),
          actual:
            2 +
            p.nodes.reduce(
              (s, o) =>
                s +
                16 +
                5 * Math.min(o.lineItems.length, lines) +
                3 * Math.min(o.refunds.length, 10),
              0,
            ),
        };
      }
      case 'ordersCount': {
        need('read_orders', 'ordersCount');
        const count = [...orders.values()].filter((o) => matches(o, String(v.query ?? ''))).length;
        return { data: { ordersCount: { count, precision: 'EXACT' } }, requested: 1, actual: 1 };
      }
      case 'order': {
        need('read_orders', 'order');
        const order = orders.get(String(v.id));
        const p = order
          ? page(order.lineItems, 100, (v.after as string | null) ?? null, (_l, i) =>
              String(i).padStart(6, '0'),
            )
          : null;
        return {
          data: { order: order ? { lineItems: p } : null },
          requested: 102,
          actual: 2 + (p?.nodes.length ?? 0),
        };
      }
      case 'customers': {
        need('read_customers', 'customers');
        const first = Math.min(Number(v.first), 250);
        const list = [...customers.values()]
          .filter((c) => matches(c, String(v.query ?? '')))
          .sort((a, b) => (sortKey(a.updatedAt, a.id) < sortKey(b.updatedAt, b.id) ? -1 : 1));
        const p = page(list, first, (v.after as string | null) ?? null, (c) =>
          sortKey(c.updatedAt, c.id),
        );
        return { data: { customers: p }, requested: 2 + first, actual: 2 + p.nodes.length };
      }
      case 'codeDiscountNodeByCode': {
        need('read_discounts', 'codeDiscountNodeByCode');
        const id = codeIndex.get(String(v.code).toLowerCase());
        const d = id ? discounts.get(id) : undefined;
        return {
          data: { codeDiscountNodeByCode: d ? discountNode(d) : null },
          requested: 2,
          actual: 2,
        };
      }
      case 'codeDiscountNodes': {
        need('read_discounts', 'codeDiscountNodes');
        const m = /^title:'([^']*)'$/.exec(String(v.query ?? ''));
        if (!m) throw new GraphqlError(`unsupported discount search ${String(v.query)}`);
        const nodes = [...discounts.values()]
          .filter((d) => d.title.includes(m[1]!))
          .slice(0, 1)
          .map(discountNode);
        return { data: { codeDiscountNodes: { nodes } }, requested: 3, actual: 3 };
      }
      case 'discountCodeBasicCreate':
        need('write_discounts', root);
        return {
          data: { [root]: createDiscount('DiscountCodeBasic', v.input as Obj) },
          requested: 10,
          actual: 10,
        };
      case 'discountCodeFreeShippingCreate':
        need('write_discounts', root);
        return {
          data: { [root]: createDiscount('DiscountCodeFreeShipping', v.input as Obj) },
          requested: 10,
          actual: 10,
        };
      case 'discountRedeemCodeBulkAdd': {
        need('write_discounts', root);
        const d = discounts.get(String(v.discountId));
        const codes = Array.isArray(v.codes) ? (v.codes as Obj[]) : [];
        const errors: Obj[] = [];
        if (!d)
          errors.push({
            field: ['discountId'],
            code: 'INVALID',
            message: 'Discount does not exist',
          });
        if (codes.length > 250)
          errors.push({
            field: ['codes'],
            code: 'TOO_MANY_ARGUMENTS',
            message: 'Codes exceeds the maximum of 250',
          });
        if (refuse)
          errors.push({
            field: ['codes'],
            code: 'INVALID',
            message: 'Codes are not allowed by this shop (fake refusal)',
          });
        if (errors.length > 0 || !d)
          return {
            data: { [root]: { bulkCreation: null, userErrors: errors } },
            requested: 10,
            actual: 10,
          };
        const creation: BulkCreation = {
          id: newId('DiscountRedeemCodeBulkCreation'),
          discountId: d.id,
          polls: 0,
          results: [],
        };
        for (const c of codes) {
          const code = String(c.code ?? '').trim();
          if (!code || codeIndex.has(code.toLowerCase())) {
            creation.results.push({
              code,
              redeemId: null,
              errors: [
                {
                  field: ['code'],
                  code: 'TAKEN',
                  message: 'Code must be unique. Please try a different code.',
                },
              ],
            });
            continue;
          }
          // Created when the job runs, as Shopify does it asynchronously; reserved now.
          const redeemId = newId('DiscountRedeemCode');
          d.codes.set(code, redeemId);
          codeIndex.set(code.toLowerCase(), d.id);
          creation.results.push({ code, redeemId, errors: [] });
        }
        bulkCreations.set(creation.id, creation);
        return {
          data: { [root]: { bulkCreation: { id: creation.id }, userErrors: [] } },
          requested: 10,
          actual: 10,
        };
      }
      case 'discountRedeemCodeBulkCreation': {
        need('read_discounts', root);
        const c = bulkCreations.get(String(v.id));
        if (!c) return { data: { [root]: null }, requested: 252, actual: 1 };
        c.polls++;
        const done = c.polls > (options.bulkPollsBeforeDone ?? 0);
        const nodes = done
          ? c.results.map((r) => ({
              code: r.code,
              discountRedeemCode: r.redeemId ? { id: r.redeemId } : null,
              errors: r.errors,
            }))
          : [];
        return {
          data: {
            [root]: {
              id: c.id,
              done,
              codesCount: c.results.length,
              importedCount: done ? c.results.filter((r) => r.redeemId).length : 0,
              failedCount: done ? c.results.filter((r) => !r.redeemId).length : 0,
              codes: { nodes },
            },
          },
          requested: 252,
          actual: 2 + nodes.length,
        };
      }
      case 'discountCodeDeactivate': {
        need('write_discounts', root);
        const d = discounts.get(String(v.id));
        if (!d)
          return {
            data: {
              [root]: {
                codeDiscountNode: null,
                userErrors: [
                  { field: ['id'], code: 'INVALID', message: 'Discount does not exist' },
                ],
              },
            },
            requested: 10,
            actual: 10,
          };
        d.status = 'EXPIRED';
        return {
          data: { [root]: { codeDiscountNode: { id: d.id }, userErrors: [] } },
          requested: 10,
          actual: 10,
        };
      }
      case 'discountCodeRedeemCodeBulkDelete': {
        need('write_discounts', root);
        const d = discounts.get(String(v.discountId));
        if (!d)
          return {
            data: {
              [root]: {
                job: null,
                userErrors: [
                  { field: ['discountId'], code: 'INVALID', message: 'Discount does not exist' },
                ],
              },
            },
            requested: 10,
            actual: 10,
          };
        const m = /^code:'([^']*)'$/.exec(String(v.search ?? ''));
        if (!m) throw new GraphqlError(`unsupported redeem code search ${String(v.search)}`);
        for (const code of [...d.codes.keys()]) {
          if (code.toLowerCase() === m[1]!.toLowerCase()) {
            d.codes.delete(code);
            codeIndex.delete(code.toLowerCase());
          }
        }
        return {
          data: { [root]: { job: { id: newId('Job') }, userErrors: [] } },
          requested: 10,
          actual: 10,
        };
      }
      default:
        throw new GraphqlError(
          `Field '${root}' doesn't exist on type 'QueryRoot'`,
          'undefinedField',
        );
    }
  }

  function throttleStatus() {
    return {
      maximumAvailable: bucketLimits.maximumAvailable,
      currentlyAvailable: Math.floor(available),
      restoreRate: bucketLimits.restoreRate,
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<number> {
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
      return status;
    };
    if (down) return send(503, { errors: 'Service Unavailable' });
    const now = Date.now();
    // A courtesy limit on calls (the connector's rateLimit), with grace for the jitter between
    // the client's start and the arrival here (both share one event loop in tests).
    while (arrivals.length > 0 && arrivals[0]! <= now - rateLimit.perMs + GRACE_MS)
      arrivals.shift();
    if (arrivals.length >= rateLimit.requests) {
      return send(
        429,
        { errors: 'Exceeded 50 calls per second for api client.' },
        { 'retry-after': '1.0' },
      );
    }
    arrivals.push(now);
    if (req.method !== 'POST' || req.url !== `/admin/api/${apiVersion}/graphql.json`) {
      return send(404, { errors: 'Not Found' });
    }
    if (req.headers['x-shopify-access-token'] !== accessToken) {
      return send(401, {
        errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
      });
    }
    let request: { query?: unknown; variables?: unknown };
    try {
      request = JSON.parse(body) as typeof request;
    } catch {
      return send(400, { errors: { query: 'Required parameter missing or invalid' } });
    }
    const document = typeof request.query === 'string' ? request.query : '';
    const root = /^\s*(?:query|mutation)\b[^{]*\{\s*(\w+)/.exec(document)?.[1];
    refill();
    if (!root)
      return send(200, {
        errors: [{ message: 'Parse error', extensions: { code: 'PARSE_ERROR' } }],
      });
    let result: { data: Obj; requested: number; actual: number };
    try {
      const variables = (request.variables ?? {}) as Obj;
      // Shopify refuses a query whose requested cost exceeds what the bucket holds now.
      const requested = estimate(root, variables);
      if (requested > available) {
        throttled++;
        return send(200, {
          errors: [
            {
              message: 'Throttled',
              extensions: {
                code: 'THROTTLED',
                documentation: 'https://shopify.dev/api/usage/rate-limits',
              },
            },
          ],
          extensions: {
            cost: {
              requestedQueryCost: requested,
              actualQueryCost: null,
              throttleStatus: throttleStatus(),
            },
          },
        });
      }
      result = execute(root, variables);
    } catch (error) {
      if (error instanceof GraphqlError) {
        return send(200, {
          errors: [{ message: error.message, extensions: { code: error.code } }],
          extensions: {
            cost: { requestedQueryCost: 1, actualQueryCost: 1, throttleStatus: throttleStatus() },
          },
        });
      }
      throw error;
    }
    operationLog.push(root);
    available -= result.actual;
    return send(200, {
      data: result.data,
      extensions: {
        cost: {
          requestedQueryCost: result.requested,
          actualQueryCost: result.actual,
          throttleStatus: throttleStatus(),
        },
      },
    });
  }

  /** An order: itself, customer and consents, five money sets, lines × 5, refunds × 3. */
  function orderCost(first: number, lines: number, refunds: number): number {
    return 2 + first * (1 + 13 + 2 + lines * 5 + refunds * 3);
  }

  /** The requested cost of a call, before it runs (as Shopify computes it from the document). */
  function estimate(root: string, v: Obj): number {
    switch (root) {
      case 'orders':
        return orderCost(Math.min(Number(v.first), 250), Number(v.lines), 10);
      case 'customers':
        return 2 + Math.min(Number(v.first), 250);
      case 'order':
        return 102;
      case 'discountRedeemCodeBulkCreation':
        return 252;
      case 'shop':
      case 'ordersCount':
        return 1;
      case 'codeDiscountNodeByCode':
        return 2;
      case 'codeDiscountNodes':
        return 3;
      default:
        return 10;
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      handle(req, res, Buffer.concat(chunks).toString('utf8'))
        .then((status) =>
          callLog.push({ at, method: req.method ?? '', path: req.url ?? '', status }),
        )
        .catch((error: unknown) => {
          res.writeHead(500).end(String(error));
          callLog.push({ at, method: req.method ?? '', path: req.url ?? '', status: 500 });
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const shopDomain = 'kawa-i-spolka.myshopify.com';

  function toFakeCode(d: Discount, code: string): FakeCode {
    const input = d.input;
    const value = ((input.customerGets as Obj | undefined)?.value ?? {}) as Obj;
    const items = ((input.customerGets as Obj | undefined)?.items ?? {}) as Obj;
    const amount = (value.discountAmount as Obj | undefined)?.amount;
    const pct = value.percentage as number | undefined;
    const products = ((items.products as Obj | undefined)?.productsToAdd ?? []) as string[];
    const subtotal = ((input.minimumRequirement as Obj | null)?.subtotal as Obj | undefined)
      ?.greaterThanOrEqualToSubtotal;
    const selected = ((input.customerSelection as Obj).customers as Obj | undefined)?.add as
      string[] | undefined;
    const kind: FakeCode['kind'] =
      d.type === 'DiscountCodeFreeShipping'
        ? 'free_shipping'
        : amount !== undefined
          ? 'fixed'
          : pct === 1 && products.length === 1
            ? 'free_product'
            : 'percentage';
    return {
      code,
      kind,
      amount: typeof amount === 'string' ? toMinorUnits(amount, currency) : null,
      percent:
        kind === 'percentage' && typeof pct === 'number' ? Math.round(pct * 10_000) / 100 : null,
      minBasket: typeof subtotal === 'string' ? toMinorUnits(subtotal, currency) : null,
      expiresAt: typeof input.endsAt === 'string' ? new Date(input.endsAt) : null,
      usageLimit: typeof input.usageLimit === 'number' ? input.usageLimit : null,
      customer: selected?.[0] ? selected[0].replace(/^gid:\/\/shopify\/Customer\//, '') : null,
      active: d.status === 'ACTIVE',
    };
  }

  return {
    platform: 'shopify',
    url,
    accessToken,
    shopDomain,
    connection: {
      credentials: { accessToken },
      settings: { shopDomain, apiVersion, apiBaseUrl: url },
    },
    rateLimit,
    async seedHistory(input) {
      const span = input.to.getTime() - input.from.getTime();
      let revenue = 0;
      let refunds = 0;
      let refunded = 0;
      const pool: FakeCustomer[] = [];
      for (let i = 0; i < input.orders; i++) {
        const at = new Date(input.from.getTime() + Math.floor((span * i) / input.orders));
        const createdAt = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
        let customer = pool[i % 50];
        if (!customer) {
          customer = addCustomer({
            email: `klient${pool.length}@example.pl`,
            firstName: 'Klient',
            updatedAt: createdAt,
          });
          pool.push(customer);
        }
        const minor = 1_000 + ((i * 137) % 20_000);
        const total = (minor / 100).toFixed(2);
        const order = addOrder({
          createdAt,
          total,
          customerId: customer.id,
          email: customer.email,
        });
        revenue += minor;
        if (input.refundEvery > 0 && (i + 1) % input.refundEvery === 0) {
          const part = Math.floor(minor / 4);
          const refundAt = new Date(
            at.getTime() + Math.min(3_600_000, Math.floor(span / input.orders / 2)),
          );
          addRefund(
            order.id,
            (part / 100).toFixed(2),
            refundAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          );
          refunds++;
          refunded += part;
        }
      }
      return { orders: input.orders, refunds, revenue, refunded };
    },
    setDown(value) {
      down = value;
    },
    calls: () => [...callLog],
    refuseCodes(value) {
      refuse = value;
    },
    codes() {
      return [...discounts.values()].flatMap((d) =>
        d.byMerchant ? [] : [...d.codes.keys()].map((code) => toFakeCode(d, code)),
      );
    },
    addCustomer,
    addOrder,
    updateOrder,
    addRefund,
    orders: () => [...orders.values()],
    addMerchantDiscount(code, title) {
      const id = newId('DiscountCodeNode');
      discounts.set(id, {
        id,
        type: 'DiscountCodeBasic',
        title,
        status: 'ACTIVE',
        byMerchant: true,
        input: {
          title,
          code,
          customerSelection: { all: true },
          customerGets: { value: { percentage: 0.5 } },
        },
        codes: new Map([[code, newId('DiscountRedeemCode')]]),
      });
      codeIndex.set(code.toLowerCase(), id);
      return id;
    },
    discounts: () => [...discounts.values()],
    bucket: () => {
      refill();
      return throttleStatus();
    },
    operations: () => [...operationLog],
    throttledCount: () => throttled,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
