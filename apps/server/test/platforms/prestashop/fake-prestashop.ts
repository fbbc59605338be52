import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { toMinorUnits } from '../../../src/shared/money.ts';
import { minorToDecimal } from '../../../src/platforms/decimal-amount.ts';
import { fromWall, localWall } from '../../../src/platforms/prestashop/webservice.ts';
import type { FakeCode, FakePlatform } from '../fake-platform.ts';

/**
 * A PrestaShop shop's Webservice on 127.0.0.1, as ../shared/INTEGRATIONS.md and PrestaShop's
 * sources describe it: HTTP Basic with the key as user and an empty password, the resource
 * index as XML with the key's permissions and the shop name, lists as JSON with
 * output_format=JSON ({"orders": [...]}, a bare [] when empty), display=full or [fields],
 * filter[field]=[a,b] (inclusive; dates only with date=1) or [x|y], sort=[field_ASC,...],
 * limit=offset,count, zone-less wall-clock times in Europe/Warsaw, decimals with six places,
 * cart rules created from a raw XML body (duplicate codes allowed, as the Webservice does) and
 * updated by PUT with the whole object. The host allows `rateLimit` calls, then 429.
 */

const KEY = 'LOJALTESTKEY0123456789ABCDEFGHIJ';
const LIMITED_KEY = 'READONLYKEY0123456789ABCDEFGHIJK';
const TZ = 'Europe/Warsaw';

type Row = Record<string, unknown>;

interface Call {
  at: number;
  method: string;
  path: string;
  status: number;
  query: URLSearchParams;
}

export class FakePrestaShop implements FakePlatform {
  readonly platform = 'prestashop' as const;
  readonly rateLimit: { requests: number; perMs: number };
  readonly orders = new Map<number, Row>();
  readonly slips = new Map<number, Row>();
  readonly customers = new Map<number, Row>();
  readonly cartRules = new Map<number, Row>();
  readonly limitedCredentials = { webserviceKey: LIMITED_KEY };
  private server!: http.Server;
  private baseUrl = '';
  private down = false;
  private refusing = false;
  private log: Call[] = [];
  private accepted: number[] = [];
  private nextId = 1;
  private currencies: Array<{ id: number; iso_code: string }> = [{ id: 1, iso_code: 'PLN' }];

  constructor(rateLimit = { requests: 5, perMs: 800 }) {
    // 200 ms under the connector's 5 a second: arrival jitter is not speeding (fake-woocommerce.ts).
    this.rateLimit = rateLimit;
  }

  get url(): string {
    return this.baseUrl;
  }

  get connection() {
    return { credentials: { webserviceKey: KEY }, settings: { shopUrl: this.baseUrl } };
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

  callsWithQuery(): Call[] {
    return [...this.log];
  }

  codes(): FakeCode[] {
    return [...this.cartRules.values()].map(toFakeCode);
  }

  // ---- data -------------------------------------------------------------------------------

  async seedHistory(input: {
    orders: number;
    from: Date;
    to: Date;
    refundEvery: number;
    currency: string;
  }): Promise<{ orders: number; refunds: number; revenue: number; refunded: number }> {
    const span = input.to.getTime() - input.from.getTime();
    const customers = Math.max(1, Math.ceil(input.orders / 4));
    let refunds = 0;
    let revenue = 0;
    let refunded = 0;
    for (let i = 0; i < input.orders; i++) {
      const placed = new Date(input.from.getTime() + Math.floor((span * i) / input.orders));
      const total = 5000 + (i % 17) * 310;
      const order = this.addOrder({
        placed,
        total,
        currency: input.currency,
        customerId: 1 + (i % customers),
      });
      revenue += total;
      if (input.refundEvery > 0 && i % input.refundEvery === input.refundEvery - 1) {
        const amount = Math.round(total * 0.3);
        const later = Math.min(86_400_000, Math.floor((input.to.getTime() - placed.getTime()) / 2));
        this.addSlip(Number(order.id), amount, new Date(placed.getTime() + later));
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
    updated?: Date;
    state?: number;
  }): Row {
    const iso = input.currency ?? 'PLN';
    const currency = this.currencies.find((c) => c.iso_code === iso)!;
    const id = this.nextId++;
    const customerId = input.customerId ?? 1;
    if (!this.customers.has(customerId)) this.addCustomer(customerId, input.placed);
    const total = six(input.total, iso);
    const state = input.state ?? 2; // Payment accepted
    const order: Row = {
      id,
      id_customer: String(customerId),
      id_currency: String(currency.id),
      current_state: String(state),
      valid: state === 6 ? '0' : '1',
      reference: `REF${id}`,
      payment: 'Przelewy24',
      date_add: localWall(input.placed, TZ),
      date_upd: localWall(input.updated ?? input.placed, TZ),
      invoice_date: localWall(input.placed, TZ),
      delivery_date: '0000-00-00 00:00:00',
      total_paid: total,
      total_paid_tax_incl: total,
      total_paid_tax_excl: six(Math.round(input.total / 1.23), iso),
      total_products_wt: total,
      total_shipping_tax_incl: '0.000000',
      total_discounts_tax_incl: '0.000000',
      associations: {
        order_rows: [
          {
            id: String(id * 10),
            product_id: '7',
            product_attribute_id: '0',
            product_quantity: '1',
            product_name: 'Kawa ziarnista 1 kg',
            product_reference: 'KAWA-1KG',
            unit_price_tax_incl: total,
          },
        ],
      },
    };
    this.orders.set(id, order);
    return order;
  }

  /** A second currency: orders in it, and the credit slips that name only their order. */
  addCurrency(iso: string): void {
    this.currencies.push({ id: this.currencies.length + 1, iso_code: iso });
  }

  /** A change to an order moves its date_upd (and its place in a date_upd listing). */
  touchOrder(id: number, at: Date, patch: Row = {}): void {
    Object.assign(this.orders.get(id)!, patch, { date_upd: localWall(at, TZ) });
  }

  addSlip(orderId: number, amount: number, at: Date): Row {
    const order = this.orders.get(orderId)!;
    const iso = this.currencies.find((c) => String(c.id) === order.id_currency)!.iso_code;
    const id = 900 + this.nextId++;
    const slip: Row = {
      id,
      id_customer: order.id_customer,
      id_order: String(orderId),
      total_products_tax_incl: six(amount, iso),
      total_shipping_tax_incl: '0.000000',
      amount: six(amount, iso),
      shipping_cost_amount: '0.000000',
      partial: '1',
      date_add: localWall(at, TZ),
      date_upd: localWall(at, TZ),
    };
    this.slips.set(id, slip);
    return slip;
  }

  addCustomer(id: number, created: Date, patch: Row = {}): void {
    this.customers.set(id, {
      id,
      email: `klient${id}@example.pl`,
      firstname: 'Ala',
      lastname: `Nowak ${id}`,
      newsletter: '1',
      optin: '0',
      birthday: '0000-00-00',
      is_guest: '0',
      deleted: '0',
      date_add: localWall(created, TZ),
      date_upd: localWall(created, TZ),
      ...patch,
    });
  }

  /** A cart rule the merchant made in the back office. */
  addMerchantRule(code: string): void {
    const id = this.nextId++;
    this.cartRules.set(id, { id, code, description: 'Rabat na Dzień Matki', active: '1' });
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
    const send = (status: number, data: unknown, type = 'application/json', headers = {}) => {
      call.status = status;
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(typeof data === 'string' ? data : JSON.stringify(data));
    };
    if (this.down)
      return send(503, '<html><body>503 Service Unavailable</body></html>', 'text/html');
    this.accepted = this.accepted.filter((t) => t > call.at - this.rateLimit.perMs);
    if (this.accepted.length >= this.rateLimit.requests) {
      return send(429, '<html><body>Too Many Requests</body></html>', 'text/html', {
        'retry-after': '1',
      });
    }
    this.accepted.push(call.at);
    const api = /^\/api(\/.*)?$/.exec(url.pathname);
    if (!api) return send(404, '<html><body>Page not found</body></html>', 'text/html');

    const auth = req.headers.authorization ?? '';
    const user = auth.startsWith('Basic ')
      ? Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':')[0]
      : null;
    if (user === null) {
      return send(401, '401 Unauthorized', 'text/html', {
        'www-authenticate': 'Basic realm="Welcome to PrestaShop Webservice"',
      });
    }
    if (user !== KEY && user !== LIMITED_KEY) {
      return send(401, errors(17, 'Authentication key is empty or invalid'));
    }
    const route = (api[1] ?? '/').replace(/\/+$/, '') || '/';
    const q = url.searchParams;
    if (route === '/' && method === 'GET') {
      return send(200, this.index(user === LIMITED_KEY), 'text/xml;charset=utf-8');
    }
    if (user === LIMITED_KEY && route.startsWith('/cart_rules') && method !== 'GET') {
      return send(401, errors(18, 'No permission for this authentication key'));
    }
    if (q.get('output_format') !== 'JSON') {
      return send(400, errors(99, 'the fake speaks JSON only'));
    }
    const lists: Record<string, [Map<number, Row>, string]> = {
      '/orders': [this.orders, 'orders'],
      '/order_slip': [this.slips, 'order_slips'],
      '/customers': [this.customers, 'customers'],
      '/cart_rules': [this.cartRules, 'cart_rules'],
    };
    if (method === 'GET' && route === '/currencies') {
      return send(200, { currencies: this.currencies });
    }
    if (method === 'GET' && route === '/languages') {
      return send(200, { languages: [{ id: 1 }, { id: 2 }] });
    }
    if (method === 'GET' && lists[route]) {
      const [rows, node] = lists[route]!;
      const [status, data] = list([...rows.values()], q, node);
      return send(status, data);
    }
    if (method === 'POST' && route === '/cart_rules') {
      if (this.refusing) return send(400, errors(85, 'Validation error: "date_to" is invalid'));
      const rule = parseRule(body);
      if (!rule || !rule.date_from || !rule.date_to || !rule.name) {
        return send(400, errors(41, 'Validation error: a required field is missing'));
      }
      const id = this.nextId++;
      const stored = { ...rule, id };
      this.cartRules.set(id, stored);
      return send(201, { cart_rule: ruleJson(stored) });
    }
    const one = /^\/cart_rules\/(\d+)$/.exec(route);
    if (one) {
      const rule = this.cartRules.get(Number(one[1]));
      if (!rule) return send(404, errors(87, `Id(s) not exists: ${one[1]}`));
      if (method === 'GET') return send(200, { cart_rule: ruleJson(rule) });
      if (method === 'PUT') {
        const update = parseRule(body);
        if (!update || String(update.id) !== one[1] || !update.date_to || !update.name) {
          return send(400, errors(41, 'Validation error: PUT needs the whole object with its id'));
        }
        this.cartRules.set(Number(one[1]), { ...update, id: Number(one[1]) });
        return send(200, { cart_rule: ruleJson(this.cartRules.get(Number(one[1]))!) });
      }
    }
    return send(405, errors(24, `Method ${method} is not valid for ${route}`));
  }

  private index(limited: boolean): string {
    const resources = [
      'addresses',
      'cart_rules',
      'currencies',
      'customers',
      'languages',
      'order_slip',
      'orders',
    ];
    const items = resources
      .map((r) => {
        const write = !(limited && r === 'cart_rules');
        return `<${r} xlink:href="${this.baseUrl}/api/${r}" get="true" put="${write}" post="${write}" patch="${write}" delete="${write}" head="true"><description>${r}</description></${r}>`;
      })
      .join('');
    return `<?xml version="1.0" encoding="UTF-8"?><prestashop xmlns:xlink="http://www.w3.org/1999/xlink"><api shopName="Sklep Testowy &amp; Kawa">${items}</api></prestashop>`;
  }
}

export async function startFakePrestaShop(rateLimit?: {
  requests: number;
  perMs: number;
}): Promise<FakePrestaShop> {
  return new FakePrestaShop(rateLimit).start();
}

function list(all: Row[], q: URLSearchParams, node: string): [number, unknown] {
  let rows = all;
  for (const [name, value] of q) {
    const field = /^filter\[(\w+)\]$/.exec(name)?.[1];
    if (!field) continue;
    const interval = /^\[([^,\]]*),([^\]]*)\]$/.exec(value);
    if (interval) {
      if (field.startsWith('date') && q.get('date') !== '1') {
        return [400, errors(93, 'the date parameter must be 1 to filter on dates')];
      }
      const [, a, b] = interval;
      rows = rows.filter((r) => String(r[field]) >= a! && String(r[field]) <= b!);
      continue;
    }
    const anyOf = /^\[([^\]]*)\]$/.exec(value);
    if (!anyOf) return [400, errors(91, `bad filter ${name}`)];
    const values = anyOf[1]!.split('|').map((v) => v.toLowerCase());
    rows = rows.filter((r) => values.includes(String(r[field]).toLowerCase()));
  }
  const sort = /^\[(.*)\]$/.exec(q.get('sort') ?? '[id_ASC]')?.[1]?.split(',') ?? [];
  const keys = sort.map((s) => {
    const i = s.lastIndexOf('_');
    return { field: s.slice(0, i), desc: s.slice(i + 1) === 'DESC' };
  });
  rows = [...rows].sort((x, y) => {
    for (const { field, desc } of keys) {
      const a = field === 'id' ? Number(x.id) : String(x[field]);
      const b = field === 'id' ? Number(y.id) : String(y[field]);
      if (a !== b) return (a < b ? -1 : 1) * (desc ? -1 : 1);
    }
    return 0;
  });
  const limit = /^(\d+),(\d+)$/.exec(q.get('limit') ?? '');
  if (limit) rows = rows.slice(Number(limit[1]), Number(limit[1]) + Number(limit[2]));
  const display = q.get('display');
  if (display && display !== 'full') {
    const fields = display.replace(/^\[|\]$/g, '').split(',');
    rows = rows.map((r) => Object.fromEntries(fields.map((f) => [f, r[f]])));
  }
  if (!display) rows = rows.map((r) => ({ id: r.id }));
  if (node === 'cart_rules') rows = rows.map(ruleJson);
  return [200, rows.length ? { [node]: rows } : []];
}

/** The fields of <prestashop><cart_rule>…</cart_rule></prestashop>; name by language id. */
function parseRule(xml: string): Row | null {
  const inner = /<cart_rule>([\s\S]*)<\/cart_rule>/.exec(xml)?.[1];
  if (!inner) return null;
  const rule: Row = {};
  const names: Array<{ id: string; value: string }> = [];
  const name = /<name>([\s\S]*?)<\/name>/.exec(inner);
  if (name) {
    for (const m of name[1]!.matchAll(/<language id="(\d+)">([\s\S]*?)<\/language>/g)) {
      names.push({ id: m[1]!, value: unescape(m[2]!) });
    }
    rule.name = names;
  }
  const rest = inner.replace(/<name>[\s\S]*?<\/name>/, '');
  for (const m of rest.matchAll(/<(\w+)>([\s\S]*?)<\/\1>/g)) rule[m[1]!] = unescape(m[2]!);
  return rule;
}

function ruleJson(rule: Row): Row {
  return { ...rule, id: Number(rule.id) };
}

function toFakeCode(rule: Row): FakeCode {
  const currency = 'PLN';
  const n = (k: string) => Number(rule[k] ?? 0);
  const kind: FakeCode['kind'] =
    n('gift_product') > 0
      ? 'free_product'
      : n('reduction_percent') > 0
        ? 'percentage'
        : n('reduction_amount') > 0
          ? 'fixed'
          : 'free_shipping';
  const quantity = n('quantity');
  return {
    code: String(rule.code),
    kind,
    amount: kind === 'fixed' ? toMinorUnits(String(rule.reduction_amount), currency) : null,
    percent: kind === 'percentage' ? n('reduction_percent') : null,
    minBasket: n('minimum_amount') > 0 ? toMinorUnits(String(rule.minimum_amount), currency) : null,
    expiresAt: fromWall(rule.date_to, TZ),
    usageLimit: quantity > 0 && quantity < 1_000_000 ? quantity : null,
    customer: n('id_customer') > 0 ? String(rule.id_customer) : null,
    active: String(rule.active) === '1',
  };
}

function six(minor: number, currency: string): string {
  const text = minorToDecimal(minor, currency);
  const [whole, fraction = ''] = text.split('.');
  return `${whole}.${fraction.padEnd(6, '0')}`;
}

function errors(code: number, message: string) {
  return { errors: [{ code, message }] };
}

function unescape(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
