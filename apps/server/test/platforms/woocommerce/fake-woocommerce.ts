import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { toMinorUnits } from '../../../src/shared/money.ts';
import { minorToDecimal } from '../../../src/platforms/decimal-amount.ts';
import type { FakeCode, FakePlatform } from '../fake-platform.ts';

/**
 * A WooCommerce shop on 127.0.0.1 speaking the REST API v3 as ../shared/INTEGRATIONS.md and the
 * WooCommerce sources describe it: Basic auth with a consumer key and secret (401 with
 * WooCommerce's error codes, read-only keys refused on writes), collections filtered by
 * modified_after / modified_before (exclusive, GMT with dates_are_gmt=true) and sorted by
 * (modified, id), paged by page or offset with X-WP-Total / X-WP-TotalPages, coupons with
 * lower-cased unique codes (400 woocommerce_rest_coupon_code_already_exists), trash on DELETE.
 * The host in front of it allows `rateLimit` calls and answers 429 with Retry-After past it.
 */

export interface WooOrder {
  id: number;
  status: string;
  currency: string;
  date_created_gmt: string;
  date_modified_gmt: string;
  date_paid_gmt: string | null;
  total: string;
  customer_id: number;
  billing: { email: string; first_name: string; last_name: string; phone: string };
  line_items: Array<Record<string, unknown>>;
  coupon_lines: Array<Record<string, unknown>>;
  refunds: Array<{ id: number; reason: string; total: string }>;
  [key: string]: unknown;
}

export interface WooCoupon {
  id: number;
  code: string;
  /** The code as Lojal sent it, before WooCommerce lower-cased it. */
  sentCode: string;
  status: 'publish' | 'trash';
  body: Record<string, unknown>;
}

interface Call {
  at: number;
  method: string;
  path: string;
  status: number;
  query: URLSearchParams;
}

const KEY = 'ck_' + 'a1'.repeat(20);
const SECRET = 'cs_' + 'b2'.repeat(20);
const READ_ONLY_KEY = 'ck_' + 'c3'.repeat(20);

export class FakeWooCommerce implements FakePlatform {
  readonly platform = 'woocommerce' as const;
  readonly rateLimit: { requests: number; perMs: number };
  readonly orders = new Map<number, WooOrder>();
  readonly customers = new Map<number, Record<string, unknown>>();
  readonly products = new Map<number, Record<string, unknown>>();
  readonly coupons = new Map<number, WooCoupon>();
  private readonly refundResources = new Map<number, Record<string, unknown>>();
  readonly readOnlyCredentials = { consumerKey: READ_ONLY_KEY, consumerSecret: SECRET };
  /** Called before each answer to an order listing: a test moves the list under the reader. */
  beforeOrderList: ((query: URLSearchParams) => void) | null = null;
  private server!: http.Server;
  private baseUrl = '';
  private down = false;
  private refusing = false;
  private log: Call[] = [];
  private accepted: number[] = [];
  private nextId = 1000;
  private currency = 'PLN';

  constructor(rateLimit = { requests: 5, perMs: 800 }) {
    // The host counts calls as they arrive; the connector spaces them as they leave (5 a
    // second). Fake and client share one event loop, so the time from leaving to arriving
    // varies by tens of milliseconds (a new connection, a busy loop): the window here is 200 ms
    // shorter, so that jitter is not taken for speeding.
    this.rateLimit = rateLimit;
  }

  get url(): string {
    return this.baseUrl;
  }

  get connection() {
    return {
      credentials: { consumerKey: KEY, consumerSecret: SECRET },
      settings: { storeUrl: this.baseUrl },
    };
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  setDown(down: boolean): void {
    this.down = down;
  }

  refuseCodes(refuse: boolean): void {
    this.refusing = refuse;
  }

  calls(): Array<{ at: number; method: string; path: string; status: number }> {
    return this.log.map(({ at, method, path, status }) => ({ at, method, path, status }));
  }

  /** Calls with their query, for tests of the paging parameters. */
  callsWithQuery(): Call[] {
    return [...this.log];
  }

  codes(): FakeCode[] {
    return [...this.coupons.values()].map((c) => toFakeCode(c, this.currency));
  }

  // ---- data -------------------------------------------------------------------------------

  async seedHistory(input: {
    orders: number;
    from: Date;
    to: Date;
    refundEvery: number;
    currency: string;
  }): Promise<{ orders: number; refunds: number; revenue: number; refunded: number }> {
    this.currency = input.currency;
    const span = input.to.getTime() - input.from.getTime();
    const customers = Math.max(1, Math.ceil(input.orders / 4));
    let refunds = 0;
    let revenue = 0;
    let refunded = 0;
    for (let i = 0; i < input.orders; i++) {
      const placed = new Date(input.from.getTime() + Math.floor((span * i) / input.orders));
      const total = 5000 + (i % 17) * 310;
      const customerId = 1 + (i % customers);
      const order = this.addOrder({
        placed,
        total,
        currency: input.currency,
        customerId,
      });
      revenue += total;
      if (input.refundEvery > 0 && i % input.refundEvery === input.refundEvery - 1) {
        const amount = Math.round(total * 0.3);
        // The refund modifies the order a little later, still inside the history.
        const later = Math.min(86_400_000, Math.floor((input.to.getTime() - placed.getTime()) / 2));
        this.refundOrder(order.id, amount, new Date(placed.getTime() + later));
        refunds += 1;
        refunded += amount;
      }
    }
    return { orders: input.orders, refunds, revenue, refunded };
  }

  addOrder(input: {
    placed: Date;
    total: number;
    currency?: string;
    customerId?: number;
    modified?: Date;
    status?: string;
  }): WooOrder {
    const currency = input.currency ?? this.currency;
    const id = this.nextId++;
    const customerId = input.customerId ?? 0;
    if (customerId > 0 && !this.customers.has(customerId))
      this.addCustomer(customerId, input.placed);
    const total = minorToDecimal(input.total, currency);
    const order: WooOrder = {
      id,
      parent_id: 0,
      number: String(id),
      status: input.status ?? 'completed',
      currency,
      date_created: local(input.placed),
      date_created_gmt: gmt(input.placed),
      date_modified: local(input.modified ?? input.placed),
      date_modified_gmt: gmt(input.modified ?? input.placed),
      date_paid_gmt: gmt(input.placed),
      date_completed_gmt: gmt(input.placed),
      discount_total: '0.00',
      shipping_total: '0.00',
      total_tax: '0.00',
      total,
      customer_id: customerId,
      billing: {
        email: customerId ? `klient${customerId}@example.pl` : `gosc${id}@example.pl`,
        first_name: 'Ala',
        last_name: 'Nowak',
        phone: '',
      },
      line_items: [
        {
          id: id * 10,
          name: 'Kawa ziarnista 1 kg',
          product_id: 93,
          variation_id: 0,
          quantity: 1,
          subtotal: total,
          total,
          sku: 'KAWA-1KG',
          price: Number(total),
        },
      ],
      coupon_lines: [],
      refunds: [],
    };
    this.orders.set(id, order);
    return order;
  }

  /** A refund, of the given order lines when named (the refund resource's `line_items`). */
  refundOrder(orderId: number, amount: number, at: Date, lineIds: number[] = []): void {
    const order = this.orders.get(orderId)!;
    const id = 500_000 + this.nextId++;
    const total = `-${minorToDecimal(amount, order.currency)}`;
    order.refunds.push({ id, reason: 'zwrot części', total });
    this.refundResources.set(id, {
      id,
      date_created_gmt: gmt(at),
      amount: minorToDecimal(amount, order.currency),
      reason: 'zwrot części',
      // As WooCommerce lists a refund's lines: negative quantities and totals, the order line
      // named in the _refunded_item_id meta.
      line_items: lineIds.map((lineId) => ({
        id: this.nextId++,
        name: 'zwrot',
        quantity: -1,
        total: total,
        meta_data: [{ id: this.nextId++, key: '_refunded_item_id', value: String(lineId) }],
      })),
      orderId,
    });
    this.touchOrder(orderId, at);
  }

  /** Any change to an order moves its date_modified (and its place in a modified listing). */
  touchOrder(orderId: number, at: Date, patch: Partial<WooOrder> = {}): void {
    const order = this.orders.get(orderId)!;
    Object.assign(order, patch, { date_modified_gmt: gmt(at), date_modified: local(at) });
  }

  addCustomer(id: number, created: Date): void {
    this.customers.set(id, {
      id,
      date_created_gmt: gmt(created),
      date_modified_gmt: gmt(created),
      date_modified: local(created),
      email: `klient${id}@example.pl`,
      first_name: 'Ala',
      last_name: `Nowak ${id}`,
      role: 'customer',
      username: `klient${id}`,
      billing: { email: `klient${id}@example.pl`, phone: '+48500100200' },
    });
  }

  addProduct(id: number, modified: Date, patch: Record<string, unknown> = {}): void {
    this.products.set(id, {
      id,
      name: `Kawa ${id}`,
      slug: `kawa-${id}`,
      permalink: `${this.baseUrl}/produkt/kawa-${id}/`,
      date_created_gmt: gmt(modified),
      date_modified_gmt: gmt(modified),
      date_modified: local(modified),
      status: 'publish',
      price: '49.90',
      regular_price: '49.90',
      categories: [{ id: 15, name: 'Kawa', slug: 'kawa' }],
      images: [{ id: 7, src: `${this.baseUrl}/img/kawa-${id}.jpg` }],
      ...patch,
    });
  }

  /** A coupon the merchant made by hand, not Lojal. */
  addMerchantCoupon(code: string): void {
    const id = this.nextId++;
    this.coupons.set(id, {
      id,
      code: code.toLowerCase(),
      sentCode: code,
      status: 'publish',
      body: { code, discount_type: 'percent', amount: '5', meta_data: [] },
    });
  }

  // ---- HTTP -------------------------------------------------------------------------------

  private handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const method = req.method ?? 'GET';
    const call: Call = {
      at: Date.now(),
      method,
      path: url.pathname,
      status: 0,
      query: url.searchParams,
    };
    this.log.push(call);
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      const text = typeof data === 'string' ? data : JSON.stringify(data);
      res.writeHead(status, {
        'content-type': typeof data === 'string' ? 'text/html' : 'application/json',
        ...headers,
      });
      res.end(text);
    };
    if (this.down) return send(503, '<html><body>Service Unavailable</body></html>');
    const now = call.at;
    this.accepted = this.accepted.filter((t) => t > now - this.rateLimit.perMs);
    if (this.accepted.length >= this.rateLimit.requests) {
      return send(
        429,
        { code: 'too_many_requests', message: 'Too many requests', data: { status: 429 } },
        { 'retry-after': '1' },
      );
    }
    this.accepted.push(now);

    if (url.pathname === '/wp-json/' || url.pathname === '/wp-json') {
      return send(200, { name: 'Sklep Testowy', namespaces: ['oembed/1.0', 'wc/v3', 'wp/v2'] });
    }
    const api = /^\/wp-json\/wc\/v3(\/.*)$/.exec(url.pathname);
    if (!api) {
      if (url.pathname.startsWith('/wp-json/'))
        return send(
          404,
          error('rest_no_route', 'No route was found matching the URL and request method.', 404),
        );
      return send(404, '<html><body>Not Found</body></html>');
    }
    const auth = this.authenticate(req, method);
    if (auth) return send(401, auth);
    let json: Record<string, unknown> = {};
    if (body) {
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return send(400, error('rest_invalid_json', 'Invalid JSON body passed.', 400));
      }
    }
    const route = api[1]!;
    const [status, data, headers] = this.route(method, route, url.searchParams, json);
    return send(status, data, headers);
  }

  private authenticate(req: http.IncomingMessage, method: string): unknown {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Basic ')) {
      return error('woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.', 401);
    }
    const [key, secret] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    if (key !== KEY && key !== READ_ONLY_KEY) {
      return error('woocommerce_rest_authentication_error', 'Consumer key is invalid.', 401);
    }
    if (secret !== SECRET) {
      return error('woocommerce_rest_authentication_error', 'Consumer secret is invalid.', 401);
    }
    if (key === READ_ONLY_KEY && method !== 'GET') {
      return error(
        'woocommerce_rest_authentication_error',
        'The API key provided does not have write permissions.',
        401,
      );
    }
    return null;
  }

  private route(
    method: string,
    route: string,
    q: URLSearchParams,
    body: Record<string, unknown>,
  ): [number, unknown, Record<string, string>?] {
    if (method === 'GET' && route === '/orders') {
      this.beforeOrderList?.(q);
      return this.list([...this.orders.values()], q, true);
    }
    const refundsOf = /^\/orders\/(\d+)\/refunds$/.exec(route);
    if (method === 'GET' && refundsOf) {
      const orderId = Number(refundsOf[1]);
      if (!this.orders.has(orderId)) {
        return [404, error('woocommerce_rest_shop_order_invalid_id', 'Invalid ID.', 404)];
      }
      const refunds = [...this.refundResources.values()]
        .filter((r) => r.orderId === orderId)
        .map(({ orderId: _, ...r }) => r);
      return [200, refunds, { 'x-wp-total': String(refunds.length), 'x-wp-totalpages': '1' }];
    }
    if (method === 'GET' && route === '/products')
      return this.list([...this.products.values()], q, true);
    if (method === 'GET' && route === '/customers')
      return this.list([...this.customers.values()], q, false);
    if (method === 'POST' && route === '/coupons/batch') return [200, {}];
    if (method === 'POST' && route === '/coupons') return this.createCoupon(body);
    if (method === 'GET' && route === '/coupons') {
      const code = (q.get('code') ?? '').toLowerCase();
      const found = [...this.coupons.values()].filter(
        (c) => c.status === 'publish' && c.code === code,
      );
      return [
        200,
        found.map(couponJson),
        { 'x-wp-total': String(found.length), 'x-wp-totalpages': '1' },
      ];
    }
    const one = /^\/coupons\/(\d+)$/.exec(route);
    if (method === 'DELETE' && one) {
      const coupon = this.coupons.get(Number(one[1]));
      if (!coupon)
        return [404, error('woocommerce_rest_shop_coupon_invalid_id', 'Invalid ID.', 404)];
      if (coupon.status === 'trash') {
        return [
          410,
          error(
            'woocommerce_rest_already_trashed',
            'The shop_coupon has already been deleted.',
            410,
          ),
        ];
      }
      coupon.status = 'trash';
      return [200, couponJson(coupon)];
    }
    return [
      404,
      error('rest_no_route', 'No route was found matching the URL and request method.', 404),
    ];
  }

  private list(
    all: Array<Record<string, unknown>>,
    q: URLSearchParams,
    byModified: boolean,
  ): [number, unknown, Record<string, string>] {
    const perPage = Number(q.get('per_page') ?? '10');
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
      return [400, error('rest_invalid_param', 'Invalid parameter(s): per_page', 400), {}];
    }
    const orderby = q.get('orderby') ?? 'date';
    const allowed = byModified
      ? ['date', 'id', 'include', 'title', 'slug', 'modified']
      : ['id', 'include', 'name', 'registered_date'];
    if (!allowed.includes(orderby)) {
      return [400, error('rest_invalid_param', 'Invalid parameter(s): orderby', 400), {}];
    }
    let items = all;
    if (byModified) {
      const useGmt = q.get('dates_are_gmt') === 'true';
      const field = useGmt ? 'date_modified_gmt' : 'date_modified';
      const after = q.get('modified_after');
      const before = q.get('modified_before');
      for (const [name, value] of [
        ['modified_after', after],
        ['modified_before', before],
      ] as const) {
        if (value !== null && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(value)) {
          return [400, error('rest_invalid_param', `Invalid parameter(s): ${name}`, 400), {}];
        }
      }
      const modified = (item: Record<string, unknown>) => String(item[field]);
      if (after) items = items.filter((item) => modified(item) > after);
      if (before) items = items.filter((item) => modified(item) < before);
    }
    const key = (item: Record<string, unknown>): [string, number] => [
      orderby === 'modified'
        ? String(item.date_modified_gmt)
        : orderby === 'id'
          ? ''
          : String(item.date_created_gmt),
      Number(item.id),
    ];
    const desc = (q.get('order') ?? (byModified ? 'desc' : 'asc')) === 'desc';
    items = [...items].sort((a, b) => {
      const [ka, ia] = key(a);
      const [kb, ib] = key(b);
      const c = ka < kb ? -1 : ka > kb ? 1 : ia - ib;
      return desc ? -c : c;
    });
    const offset = Number(q.get('offset') ?? '0');
    const page = Number(q.get('page') ?? '1');
    const start = offset > 0 ? offset : (page - 1) * perPage;
    const total = items.length;
    return [
      200,
      items.slice(start, start + perPage),
      { 'x-wp-total': String(total), 'x-wp-totalpages': String(Math.ceil(total / perPage)) },
    ];
  }

  private createCoupon(body: Record<string, unknown>): [number, unknown] {
    const code = typeof body.code === 'string' ? body.code.trim() : '';
    if (!code)
      return [
        400,
        error('woocommerce_rest_empty_coupon_code', 'The coupon code cannot be empty.', 400),
      ];
    if (
      !['percent', 'fixed_cart', 'fixed_product', undefined].includes(body.discount_type as string)
    ) {
      return [400, error('rest_invalid_param', 'Invalid parameter(s): discount_type', 400)];
    }
    if (
      body.amount !== undefined &&
      (typeof body.amount !== 'string' || !/^\d+(\.\d+)?$/.test(body.amount))
    ) {
      return [400, error('rest_invalid_param', 'Invalid parameter(s): amount', 400)];
    }
    if (this.refusing) {
      return [
        400,
        error('woocommerce_rest_coupon_refused', 'A plugin refused to save this coupon.', 400),
      ];
    }
    const lower = code.toLowerCase();
    if ([...this.coupons.values()].some((c) => c.status === 'publish' && c.code === lower)) {
      return [
        400,
        error('woocommerce_rest_coupon_code_already_exists', 'The coupon code already exists', 400),
      ];
    }
    const id = this.nextId++;
    const coupon: WooCoupon = { id, code: lower, sentCode: code, status: 'publish', body };
    this.coupons.set(id, coupon);
    return [201, couponJson(coupon)];
  }
}

export async function startFakeWooCommerce(rateLimit?: {
  requests: number;
  perMs: number;
}): Promise<FakeWooCommerce> {
  return new FakeWooCommerce(rateLimit).start();
}

function couponJson(c: WooCoupon): Record<string, unknown> {
  return {
    discount_type: 'fixed_cart',
    amount: '0',
    usage_count: 0,
    ...c.body,
    id: c.id,
    code: c.code,
    status: c.status,
    meta_data: Array.isArray(c.body.meta_data)
      ? (c.body.meta_data as Array<Record<string, unknown>>).map((m, i) => ({
          id: c.id * 10 + i,
          ...m,
        }))
      : [],
  };
}

function toFakeCode(c: WooCoupon, currency: string): FakeCode {
  const b = c.body;
  const amount = typeof b.amount === 'string' ? b.amount : '0';
  const productIds = Array.isArray(b.product_ids) ? b.product_ids : [];
  const freeProduct =
    b.discount_type === 'percent' &&
    amount === '100' &&
    b.limit_usage_to_x_items === 1 &&
    productIds.length === 1;
  const kind: FakeCode['kind'] = freeProduct
    ? 'free_product'
    : b.free_shipping === true && Number(amount) === 0
      ? 'free_shipping'
      : b.discount_type === 'percent'
        ? 'percentage'
        : 'fixed';
  const emails = Array.isArray(b.email_restrictions) ? (b.email_restrictions as string[]) : [];
  return {
    code: c.sentCode,
    kind,
    amount: kind === 'fixed' ? toMinorUnits(amount, currency) : null,
    percent: kind === 'percentage' ? Number(amount) : null,
    minBasket:
      typeof b.minimum_amount === 'string' ? toMinorUnits(b.minimum_amount, currency) : null,
    expiresAt: typeof b.date_expires_gmt === 'string' ? new Date(`${b.date_expires_gmt}Z`) : null,
    usageLimit: typeof b.usage_limit === 'number' ? b.usage_limit : null,
    customer: emails[0] ?? null,
    active: c.status === 'publish',
  };
}

function error(code: string, message: string, status: number) {
  return { code, message, data: { status } };
}

function gmt(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/** The site's local time: Europe/Warsaw in winter, a fixed +01:00 is enough for the fake. */
function local(date: Date): string {
  return new Date(date.getTime() + 3_600_000).toISOString().slice(0, 19);
}
