import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacSha256Base64 } from '../../src/shared/secrets.ts';
import type { Db } from '../../src/db/connect.ts';
import { runAutomationRound } from '../../src/automations/run-automation-round.ts';
import { databaseOutbox } from '../../src/automations/message-channels.ts';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { checkLedgerInvariants } from '../points/support.ts';
import { deliveryDeps } from '../automations/support.ts';

/*
 * Scale out (issue 20): two HTTP-only nodes (LOJAL_PROCESSOR=false) and two processor nodes, as
 * separate processes on one PostgreSQL, take a burst of signed Shopify deliveries split across
 * both HTTP nodes, a third of them delivered to both at once. What they leave must be exactly
 * what one node leaves given each delivery once: every order once, the same points for every
 * customer with the ledger's invariants holding, one message per send key and the same
 * messages, one reward per referral and party. The one node is the app in this process on a
 * database of its own (its processor and automation rounds run by the test), which saves a
 * fifth process start on a 2-core machine.
 */

const SAMPLE = fileURLToPath(
  new URL('../fixtures/webhooks/shopify/orders-create.json', import.meta.url),
);
const sample = JSON.parse(readFileSync(SAMPLE, 'utf8')) as Record<string, unknown>;

/** Four nodes start at once: on two busy cores that can take minutes (alone, seconds). */
const START = 240_000;
const CUSTOMERS = 120;
const REFERRERS = 8;
/** Orders are placed in the last hour (flows start only for what happens after they exist). */
const PLACED = Date.now() - 3_600_000;

interface Shop {
  id: string;
  apiKey: string;
  webhookSecret: string;
}
/** Where the deliveries go: the cluster (over HTTP) or the one node (in this process). */
interface Target {
  db: Db;
  shop: Shop;
  /** How many HTTP nodes take deliveries. */
  nodes: number;
  request(
    node: number,
    method: string,
    path: string,
    headers: object,
    body?: string,
  ): Promise<{
    status: number;
    text: string;
  }>;
  /** Lets the processors and flows do what they do by themselves (the one node: now). */
  work(): Promise<void>;
}

/** A customer of the shop: a name, and the Shopify id every delivery of theirs carries. */
interface Person {
  name: string;
  id: string;
}
const person = (kind: 'referrer' | 'customer' | 'friend', k: number): Person => ({
  name: { referrer: 'polecajaca', customer: 'klientka', friend: 'znajoma' }[kind] + k,
  id: String({ referrer: 7_100_000_000, customer: 7_200_000_000, friend: 7_300_000_000 }[kind] + k),
});

/** An `orders/paid` delivery built on Shopify's own sample, for one customer. */
function order(n: number, who: Person, total: number, code?: string): string {
  const id = 9_300_000_000 + n;
  const price = (total / 100).toFixed(2);
  const customer = who.name;
  const shopifyCustomer = who.id;
  return JSON.stringify({
    ...sample,
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${1000 + n}`,
    order_number: 1000 + n,
    email: `${customer}@example.pl`,
    currency: 'PLN',
    presentment_currency: 'PLN',
    financial_status: 'paid',
    cancelled_at: null,
    cancel_reason: null,
    created_at: new Date(PLACED + n * 1000).toISOString(),
    updated_at: new Date(PLACED + n * 1000).toISOString(),
    total_price: price,
    subtotal_price: price,
    total_line_items_price: price,
    total_discounts: '0.00',
    discount_applications: [],
    discount_codes: code ? [{ code, amount: '0.00', type: 'fixed_amount' }] : [],
    customer: {
      ...(sample.customer as object),
      id: Number(shopifyCustomer),
      admin_graphql_api_id: `gid://shopify/Customer/${shopifyCustomer}`,
      email: `${customer}@example.pl`,
      first_name: customer,
      accepts_marketing: true,
    },
    line_items: [
      {
        ...(sample.line_items as object[])[0],
        id: 9_400_000_000 + n,
        admin_graphql_api_id: `gid://shopify/LineItem/${9_400_000_000 + n}`,
        price,
        quantity: 1,
      },
    ],
    refunds: [],
  });
}

async function deliver(target: Target, node: number, body: string, webhookId: string) {
  const res = await target.request(
    node,
    'POST',
    `/v1/webhooks/shopify/${target.shop.id}`,
    {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/paid',
      'x-shopify-webhook-id': webhookId,
      'x-shopify-hmac-sha256': hmacSha256Base64(target.shop.webhookSecret, body),
      'x-shopify-api-version': '2024-10',
    },
    body,
  );
  if (res.status >= 300) throw new Error(`delivery ${webhookId}: ${res.status} ${res.text}`);
}

async function call(target: Target, method: string, path: string, body?: unknown) {
  const res = await target.request(
    0,
    method,
    path,
    {
      authorization: `Bearer ${target.shop.apiKey}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body === undefined ? undefined : JSON.stringify(body),
  );
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return JSON.parse(res.text) as Record<string, unknown>;
}

async function createShop(target: Omit<Target, 'shop'>): Promise<Shop> {
  const res = await target.request(
    0,
    'POST',
    '/v1/shops',
    { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    JSON.stringify({ name: 'Sklep Wielowęzłowy', currency: 'PLN' }),
  );
  if (res.status !== 201) throw new Error(`shop: ${res.status} ${res.text}`);
  return JSON.parse(res.text) as Shop;
}

function overHttp(urls: string[]) {
  return async (node: number, method: string, path: string, headers: object, body?: string) => {
    const res = await fetch(`${urls[node]}${path}`, {
      method,
      headers: headers as Record<string, string>,
      ...(body !== undefined && { body }),
    });
    return { status: res.status, text: await res.text() };
  };
}

function inProcess(t: TestApp) {
  return async (_node: number, method: string, url: string, headers: object, body?: string) => {
    const res = await t.app.inject({
      method: method as 'GET',
      url,
      headers: headers as Record<string, string>,
      ...(body !== undefined && { payload: body }),
    });
    return { status: res.statusCode, text: res.body };
  };
}

/**
 * The same programme on both: a referral campaign, and flows that mail a customer's first and
 * second paid orders (each customer's place in its orders is the same whatever the arrival
 * order, so the messages are too).
 */
async function configure(cluster: Target) {
  await call(cluster, 'PUT', '/v1/referrals/storefront', {
    storefrontUrl: 'https://sklep-wielowezlowy.pl/',
  });
  await call(cluster, 'POST', '/v1/referral-campaigns', {
    name: 'Poleć znajomym',
    settings: {
      lead: { referrer: { kind: 'points', points: 50 }, friend: { kind: 'points', points: 20 } },
      main: { referrer: { kind: 'points', points: 100 } },
    },
  });
  for (const [nth, template] of [
    [1, 'tier_upgrade'],
    [2, 'win_back'],
  ] as const) {
    await call(cluster, 'POST', '/v1/flows', {
      name: `Zamówienie ${nth}.`,
      definition: {
        trigger: { type: 'order.paid', nth },
        steps: [{ id: 'mail', type: 'send', channel: 'email', template, purpose: 'loyalty' }],
      },
    });
  }
}

/** Waits until every delivery is processed and the flows have nothing left to do now. */
async function settled(cluster: Target, deliveries: number) {
  const db = cluster.db;
  let last = '';
  let stableSince = Date.now();
  const started = Date.now();
  for (;;) {
    const { rows } = await sql<{
      pending: number;
      stored: number;
      triggers: number;
      runs: number;
      messages: number;
    }>`
      SELECT
        (SELECT count(*) FROM inbound_events WHERE shop_id = ${cluster.shop.id}
           AND status IN ('pending', 'waiting'))::int AS pending,
        (SELECT count(*) FROM inbound_events WHERE shop_id = ${cluster.shop.id})::int AS stored,
        (SELECT count(*) FROM automation_triggers WHERE shop_id = ${cluster.shop.id}
           AND processed_at IS NULL)::int AS triggers,
        (SELECT count(*) FROM flow_runs WHERE shop_id = ${cluster.shop.id}
           AND status = 'active' AND due_at <= now())::int AS runs,
        (SELECT count(*) FROM messages WHERE shop_id = ${cluster.shop.id})::int AS messages`.execute(
      db,
    );
    const s = rows[0]!;
    const now = JSON.stringify(s);
    if (now !== last) stableSince = Date.now();
    last = now;
    const idle = s.pending === 0 && s.triggers === 0 && s.runs === 0 && s.stored === deliveries;
    if (idle && Date.now() - stableSince > 1500) return s;
    if (Date.now() - started > 180_000) {
      throw new Error(`not settled after 180 s (${deliveries} deliveries): ${now}`);
    }
    await cluster.work();
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Everything the deliveries produced, named by the platform's ids (not Lojal's random ones). */
async function stateOf(cluster: Target) {
  const db = cluster.db;
  const shop = cluster.shop.id;
  const q = async (query: ReturnType<typeof sql>) =>
    (await query.execute(db)).rows.map((r) => JSON.stringify(r));
  return {
    orders: await q(sql`
      SELECT o.external_id, o.total, c.external_id AS customer FROM orders o
      LEFT JOIN customers c ON c.shop_id = o.shop_id AND c.id = o.customer_id
      WHERE o.shop_id = ${shop} ORDER BY o.external_id`),
    points: await q(sql`
      SELECT c.external_id, a.balance, a.debt, a.lifetime_earned,
             (SELECT count(*) FROM point_entries e
              WHERE e.shop_id = a.shop_id AND e.customer_id = a.customer_id)::int AS entries,
             (SELECT coalesce(sum(e.points), 0) FROM point_entries e
              WHERE e.shop_id = a.shop_id AND e.customer_id = a.customer_id)::bigint AS entry_sum,
             (SELECT coalesce(sum(l.remaining), 0) FROM point_lots l
              WHERE l.shop_id = a.shop_id AND l.customer_id = a.customer_id)::bigint AS lots
      FROM point_accounts a
      JOIN customers c ON c.shop_id = a.shop_id AND c.id = a.customer_id
      WHERE a.shop_id = ${shop} ORDER BY c.external_id`),
    messages: await q(sql`
      SELECT c.external_id, m.template_key, m.channel, count(*)::int AS n FROM messages m
      JOIN customers c ON c.shop_id = m.shop_id AND c.id = m.customer_id
      WHERE m.shop_id = ${shop} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`),
    referrals: await q(sql`
      SELECT rc.external_id AS referrer, fc.external_id AS friend, r.status,
             (SELECT json_agg(json_build_array(w.stage, w.party, w.points) ORDER BY w.stage, w.party)
              FROM referral_rewards w WHERE w.shop_id = r.shop_id AND w.referral_id = r.id) AS rewards
      FROM referrals r
      JOIN customers rc ON rc.shop_id = r.shop_id AND rc.id = r.referrer_customer_id
      JOIN customers fc ON fc.shop_id = r.shop_id AND fc.id = r.friend_customer_id
      WHERE r.shop_id = ${shop} ORDER BY 2`),
  };
}

let cluster: Target;
let single: Target;
let clusterDb: TestDatabase;
let one: TestApp;
const nodes: ServerProcess[] = [];
let closing = false;

beforeAll(async () => {
  clusterDb = await createTestDatabase();
  const starting = [
    startServerProcess(clusterDb.url, undefined, { LOJAL_PROCESSOR: 'false' }, START),
    startServerProcess(clusterDb.url, undefined, { LOJAL_PROCESSOR: 'false' }, START),
    startServerProcess(clusterDb.url, undefined, { LOJAL_PROCESSOR: 'true' }, START),
    startServerProcess(clusterDb.url, undefined, { LOJAL_PROCESSOR: 'true' }, START),
  ];
  // Each node is stopped in afterAll, even when another failed to start (or starts after).
  for (const node of starting) {
    void node
      .then((n) => (closing ? n.child.kill('SIGTERM') : nodes.push(n)))
      .catch(() => undefined);
  }
  one = await createTestApp();
  const [httpA, httpB] = (await Promise.all(starting)).map((n) => n.url);
  const clusterParts = {
    db: clusterDb.db,
    nodes: 2,
    request: overHttp([httpA!, httpB!]),
    work: async () => undefined,
  };
  cluster = { ...clusterParts, shop: await createShop(clusterParts) };
  const singleParts = {
    db: one.db,
    nodes: 1,
    request: inProcess(one),
    work: async () => {
      await one.processor.drain();
      await runAutomationRound(
        one.db,
        one.clock,
        deliveryDeps(one, databaseOutbox(one.db, one.clock)),
      );
    },
  };
  single = { ...singleParts, shop: await createShop(singleParts) };
  await Promise.all([configure(cluster), configure(single)]);
}, START + 60_000);

afterAll(async () => {
  closing = true;
  for (const node of nodes) node.child.kill('SIGTERM');
  await Promise.all(nodes.map((n) => n.exited));
  await clusterDb?.drop();
  await one?.close();
});

describe('two HTTP nodes and two processors on one database', () => {
  it('leave exactly the state of one node, with duplicates delivered to both', async () => {
    // Before the burst: every customer's first order, the referrers' among them (each then has
    // a referral code to hand out).
    const referrers = Array.from({ length: REFERRERS }, (_, k) => person('referrer', k));
    const firsts = [
      ...referrers.map((who, k) => ({ id: `first-r${k}`, body: order(k, who, 5_000) })),
      ...Array.from({ length: CUSTOMERS }, (_, i) => ({
        id: `first-c${i}`,
        body: order(100 + i, person('customer', i), 3_000 + 71 * i),
      })),
    ];
    for (const target of [cluster, single]) {
      await Promise.all(firsts.map((d) => deliver(target, 0, d.body, d.id)));
    }
    await Promise.all([settled(cluster, firsts.length), settled(single, firsts.length)]);
    const codes = async (target: Target) =>
      Promise.all(
        referrers.map(
          async (who) =>
            (await call(target, 'GET', `/v1/customers/${who.id}`)).referralCode as string,
        ),
      );
    const [clusterCodes, singleCodes] = await Promise.all([codes(cluster), codes(single)]);

    // The burst: every customer's second order, and each referrer's friend's first order with
    // the referrer's code. Deliveries alternate between the HTTP nodes; every third goes to both.
    const burst = (referralCodes: string[]) => [
      ...Array.from({ length: CUSTOMERS }, (_, i) => ({
        id: `second-c${i}`,
        body: order(300 + i, person('customer', i), 2_000 + 137 * i),
      })),
      ...referrers.map((_, k) => ({
        id: `friend-${k}`,
        body: order(1000 + k, person('friend', k), 9_000, referralCodes[k]),
      })),
    ];
    const sendAll = async (target: Target, deliveries: Array<{ id: string; body: string }>) => {
      let next = 0;
      let duplicates = 0;
      await Promise.all(
        Array.from({ length: 12 }, async () => {
          while (next < deliveries.length) {
            const i = next++;
            const d = deliveries[i]!;
            const first = i % target.nodes;
            if (target.nodes > 1 && i % 3 === 0) {
              duplicates++;
              await Promise.all([
                deliver(target, first, d.body, d.id),
                deliver(target, 1 - first, d.body, d.id),
              ]);
            } else await deliver(target, first, d.body, d.id);
          }
        }),
      );
      return duplicates;
    };
    const clusterBurst = burst(clusterCodes);
    const [duplicates] = await Promise.all([
      sendAll(cluster, clusterBurst),
      sendAll(single, burst(singleCodes)),
    ]);
    expect(duplicates).toBeGreaterThan(40);
    const total = firsts.length + clusterBurst.length;
    const [a, b] = await Promise.all([settled(cluster, total), settled(single, total)]);
    expect(a).toEqual(b);

    const [mine, theirs] = await Promise.all([stateOf(cluster), stateOf(single)]);
    // Each order once, and the same orders.
    expect(mine.orders).toHaveLength(total);
    expect(mine.orders).toEqual(theirs.orders);
    // The same points for every customer, entry by entry summed; the ledger's invariants hold.
    expect(mine.points.length).toBe(CUSTOMERS + 2 * REFERRERS);
    expect(mine.points).toEqual(theirs.points);
    await checkLedgerInvariants(cluster, cluster.shop.id);
    // One message per send key, and the same messages: a customer's first and second orders.
    const { rows: keys } = await sql<{ n: number; keys: number }>`
      SELECT count(*)::int AS n, count(DISTINCT send_key)::int AS keys FROM messages
      WHERE shop_id = ${cluster.shop.id}`.execute(cluster.db);
    expect(keys[0]!.n).toBe(keys[0]!.keys);
    expect(mine.messages).toEqual(theirs.messages);
    const { rows: mailed } = await sql<{ template_key: string; n: number }>`
      SELECT template_key, count(*)::int AS n FROM messages
      WHERE shop_id = ${cluster.shop.id} AND template_key IN ('tier_upgrade', 'win_back')
      GROUP BY 1 ORDER BY 1`.execute(cluster.db);
    expect(mailed).toEqual([
      { template_key: 'tier_upgrade', n: CUSTOMERS + 2 * REFERRERS },
      { template_key: 'win_back', n: CUSTOMERS },
    ]);
    // One referral per friend, one reward per referral and party, the same as one node's.
    expect(mine.referrals).toHaveLength(REFERRERS);
    expect(mine.referrals).toEqual(theirs.referrals);
    for (const r of mine.referrals) {
      expect(JSON.parse(r).rewards, r).toEqual([
        ['lead', 'friend', 20],
        ['lead', 'referrer', 50],
      ]);
    }
  }, 420_000);
});
