import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RouteOptions } from 'fastify';
import type { ZodType } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  bearer,
  createTestApp,
  createTestShop,
  currentWebhookSecret,
  shopifyHeaders,
  wooHeaders,
  type TestApp,
} from '../support/app.ts';
import {
  api,
  changedTables,
  pushKeys,
  seedShop,
  shopState,
  type Seeded,
} from './isolation-seed.ts';
import { shoperSignature } from '../../src/platforms/shoper/signature.ts';

/*
 * Tenant isolation over the app's whole route table (API.md, Conventions: another shop's object
 * → 404). The routes come from the app itself (its onRoute hook), so a new route is checked as
 * soon as it exists, or this test fails saying what to add: a seeded object for its path
 * parameter, a body for its write, or a reason why it needs no shop key.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Route {
  method: Method;
  url: string;
  auth: string | undefined;
  params: string[];
  body: ZodType | undefined;
  querystring: ZodType | undefined;
}
const key = (r: Pick<Route, 'method' | 'url'>) => `${r.method} ${r.url}`;

/** Routes that take no shop API key, each with why tenant isolation does not apply as above. */
const NOT_SHOP_ROUTES: Array<{ url: RegExp; reason: string }> = [
  { url: /^\/health$/, reason: 'health check, no shop data' },
  {
    url: /^\/metrics$/,
    reason: 'process metrics, no shop objects (audit L8 is about its exposure)',
  },
  { url: /^\/openapi\.json$|^\/docs(\/|$)/, reason: 'the API description and its viewer' },
  {
    url: /^\/admin(\/|$)/,
    reason: "the dashboard's static files; its data comes through the /v1 routes checked here",
  },
  {
    url: /^\/widget(\.js$|\/)/,
    reason: "the storefront widget's static script files, the same for every shop",
  },
  {
    url: /^\/r\//,
    reason: 'public referral and affiliate links: the code in the link is the credential',
  },
  { url: /^\/s\/|^\/rv\//, reason: 'survey and review pages behind signed, purpose-bound tokens' },
  { url: /^\/m\//, reason: 'message links (pixel, click, preferences) behind signed tokens' },
  {
    url: /^\/p\//,
    reason:
      'customer portal pages: static HTML and one script; the data comes through the storefront routes',
  },
  {
    url: /^\/popups\/confirm\//,
    reason: "a pop-up sign-up's double opt-in page behind a signed, purpose-bound token",
  },
  {
    url: /^\/v1\/reviews\/:reviewId\/photo$/,
    reason: 'review photos are public storefront images, served by review id',
  },
  {
    url: /^\/v1\/shops(\/|$)/,
    reason:
      'operator routes (LOJAL_ADMIN_TOKEN) see every shop by design; shop keys get 401 (checked below)',
  },
  {
    url: /^\/v1\/hooks\//,
    reason:
      "a platform's unsigned wake-up at a connection's secret URL: it only makes that connection pull now (test/platforms/connections-runtime.test.ts)",
  },
  {
    url: /^\/v1\/webhooks\//,
    reason:
      "platform webhooks: the shop's HMAC signature is the credential (checked below with shop B's secret)",
  },
  {
    url: /^\/demo\/shop$/,
    reason: "the demo shop's storefront page (npm start's demo), no other shop's data",
  },
  {
    url: /^\/storefront\//,
    reason:
      "the storefront API: the shop is in the path and a customer token signed for that shop is the credential (another shop's token → 401, test/storefront/storefront-api.test.ts)",
  },
  { url: /^\/v1\/stamps\/scan$/, reason: "staff token (checked below with shop B's staff token)" },
  {
    url: /^\/v1\/counter\/gift-cards$/,
    reason: "staff token: it sells a card in the token's own shop, whose id no request names",
  },
  {
    url: /^\/g\//,
    reason:
      "a shop's public gift card balance page: a card shows only for its code and PIN, guesses are limited per address (test/gift-cards/gift-card-sales.test.ts)",
  },
  {
    url: /^\/v1\/counter\/(?!pair$)/,
    reason: "the staff app's routes: staff token (checked below with shop B's staff token)",
  },
  {
    url: /^\/v1\/counter\/pair$/,
    reason: 'a pairing code names its own shop; no shop data before',
  },
  { url: /^\/staff(\/|$)/, reason: "the staff app's page, manifest, icons and service worker" },
  {
    url: /^\/v1\/(session|me|invitations|password-resets)(\/|$)/,
    reason:
      "a person's own account (the session cookie, or a signed one-use link) names no shop; a person in two shops is checked in test/accounts/roles.test.ts",
  },
];

/** Which seeded object of a shop each path parameter names. */
const PARAM_OBJECTS: Record<string, (s: Seeded) => string> = {
  customerId: (s) => s.customer,
  orderId: (s) => s.order,
  eventId: (s) => s.event,
  rewardId: (s) => s.reward,
  segmentId: (s) => s.segment,
  exportId: (s) => s.export,
  campaignId: (s) => s.couponCampaign,
  achievementId: (s) => s.achievement,
  code: (s) => s.giftCard,
  taskId: (s) => s.task,
  programmeId: (s) => s.stampCard,
  staffId: (s) => s.staff,
  keyId: (s) => s.apiKey,
  referralId: (s) => s.referral,
  affiliateId: (s) => s.affiliate,
  id: (s) => s.webhookEndpoint,
  flowId: (s) => s.flow,
  messageId: (s) => s.message,
  reviewId: (s) => s.review,
  productId: (s) => s.product,
  shopId: (s) => s.shop.id,
  userId: (s) => s.member,
  invitationId: (s) => s.invitation,
  popupId: (s) => s.popup,
  importId: (s) => s.importJob,
  connectionId: (s) => s.connection,
  // Not objects: a month, a channel, a catalogue entry.
  period: () => '2026-11',
  channel: () => 'sms',
  locale: () => 'pl',
  key: () => 'birthday',
};
/** Where one parameter name means another kind of object on one route. */
const PARAM_OBJECTS_BY_ROUTE: Record<string, (s: Seeded) => string> = {
  'PUT /v1/referral-campaigns/:campaignId :campaignId': (s) => s.referralCampaign,
  'GET /v1/customers/:customerId/data-exports/:exportId :exportId': (s) => s.dataExport,
  'GET /v1/segments/:segmentId/audiences/:exportId :exportId': (s) => s.audience,
  'GET /v1/segments/:segmentId/audiences/:exportId/download :exportId': (s) => s.audience,
  // Not objects: which printable (docs/printables.md).
  'GET /v1/printables/:kind.pdf :kind': () => 'poster',
  'GET /v1/customers/:customerId/printables/:kind.pdf :kind': () => 'loyalty-card',
  // A platform product id names no Lojal object: each shop marks its own (B's audit log would
  // show B's own write of A's seeded id, which the list walk would take for a leak).
  'PUT /v1/gift-card-products/:productId :productId': () => 'gift-card-product',
  'DELETE /v1/gift-card-products/:productId :productId': () => 'gift-card-product',
};

/**
 * Bodies for writes, valid enough to pass schema validation (a 400 would hide a hole). The path
 * names shop A's object (a); anything the body refers to is shop B's own (b).
 */
const BODIES: Record<string, (a: Seeded, b: Seeded) => unknown> = {
  'PUT /v1/gift-card-products/:productId': () => ({ amounts: 'any' }),
  'PATCH /v1/team/members/:userId': () => ({ role: 'support' }),
  'POST /v1/customers/:customerId/adjustments': () => ({ points: 5, reason: 'izolacja' }),
  'POST /v1/customers/:customerId/erasure': () => ({ reason: 'izolacja' }),
  'POST /v1/segments/:segmentId/audiences': () => ({ platform: 'meta' }),
  'PUT /v1/privacy/settings': () => ({
    rawEventsDays: 30,
    messageBodiesDays: null,
    visitLogsDays: null,
    inactiveCustomerYears: null,
  }),
  'POST /v1/customers/:customerId/redemptions': (_a, b) => ({ rewardId: b.reward }),
  'PUT /v1/rewards/:rewardId': () => ({
    name: 'Przejęta nagroda',
    kind: 'fixed_discount',
    amount: 100,
    pointsCost: 1,
  }),
  'POST /v1/coupon-campaigns/:campaignId/codes': () => ({ count: 1 }),
  'POST /v1/gift-cards/:code/spends': (_a, b) => ({
    amount: 100,
    currency: 'PLN',
    orderId: b.order,
  }),
  'POST /v1/gift-cards/:code/refunds': (_a, b) => ({ spendId: b.giftCardSpend, amount: 1 }),
  'POST /v1/customers/:customerId/notes': () => ({ body: 'cudza notatka' }),
  'POST /v1/customers/:customerId/tasks': () => ({ title: 'cudze zadanie' }),
  'POST /v1/customers/:customerId/tier': (_a, b) => ({ tierId: b.tier, reason: 'izolacja' }),
  'PUT /v1/stamp-cards/:programmeId': (_a, b) => ({
    name: 'Przejęta karta',
    stampsRequired: 2,
    earnBy: 'visit',
    reward: { type: 'reward', rewardId: b.reward },
  }),
  'PUT /v1/referral-campaigns/:campaignId': () => ({
    name: 'Przejęta kampania',
    settings: { main: { referrer: { kind: 'points', points: 1 } } },
  }),
  'PUT /v1/customers/:customerId/referrals/share-messages/:channel': () => ({
    text: 'cudzy tekst {link}',
  }),
  'POST /v1/customers/:customerId/referral-thank-you': () => ({ note: 'cudze podziękowanie' }),
  'PUT /v1/affiliates/:affiliateId': () => ({ name: 'Przejęty', commissionPercent: 50 }),
  'PUT /v1/messaging/templates/:key/:channel/:locale': () => ({ text: 'Tekst sklepu B' }),
  'POST /v1/customers/:customerId/push-subscriptions': () => ({
    endpoint: 'https://push.example.com/b-cudza',
    keys: pushKeys,
  }),
  'POST /v1/messages/:messageId/events': () => ({ kind: 'bounced' }),
  'POST /v1/customers/:customerId/social-proof-consent': () => ({
    granted: true,
    textShown: 'Pokażcie moje imię',
  }),
  'POST /v1/customers/:customerId/consents': () => ({
    changes: [{ channel: 'email', purpose: 'marketing', granted: false, textShown: 'Nie chcę' }],
  }),
  'PATCH /v1/popups/:popupId': () => ({ status: 'paused' }),
  'PATCH /v1/connections/:connectionId': () => ({ paused: true }),
  'PUT /v1/segments/:segmentId': () => ({
    name: 'Przejęty segment',
    rules: { fact: 'orders_count', op: 'gte', value: 1 },
  }),
  'POST /v1/tasks/:taskId/assign': () => ({ userId: null }),
  'POST /v1/reviews/:reviewId/reply': () => ({ reply: 'cudza odpowiedź' }),
  'PUT /v1/flows/:flowId': () => ({
    name: 'Przejęty przepływ',
    definition: {
      trigger: { type: 'order.paid' },
      steps: [{ id: 'a', type: 'task', title: 'cudze' }],
    },
  }),
};
/** Query strings a route requires. */
const QUERIES: Record<string, (a: Seeded) => string> = {
  'DELETE /v1/customers/:customerId/push-subscriptions': (a) =>
    `endpoint=${encodeURIComponent(a.pushEndpoint)}`,
};

/**
 * Routes whose path parameters name an entry of a catalogue every shop shares, not an object of
 * one shop: shop B's request acts on B's own copy (status as given), and A must not change or show.
 */
const SHARED_CATALOGUE: Record<string, { status: number; reason: string }> = {
  'GET /v1/printables/:kind.pdf': {
    status: 200,
    reason: "the calling shop's own poster: the kind names a layout, not an object",
  },
  'GET /v1/messaging/templates/:key/:channel/:locale': {
    status: 200,
    reason: "the built-in template, or the calling shop's own override (never another's)",
  },
  'PUT /v1/messaging/templates/:key/:channel/:locale': {
    status: 200,
    reason: "saves the calling shop's own override",
  },
  'DELETE /v1/messaging/templates/:key/:channel/:locale': {
    status: 204,
    reason: "removes the calling shop's own override (none here)",
  },
  'POST /v1/messaging/templates/:key/:channel/:locale/preview': {
    status: 200,
    reason: "renders the calling shop's template",
  },
  'POST /v1/messaging/templates/:key/:channel/:locale/test-send': {
    status: 422,
    reason: "would send the calling shop's template to the signed-in person; a key has no address",
  },
  'POST /v1/flows/ready/:key': {
    status: 200,
    reason: "switches on the calling shop's own copy of the ready flow",
  },
  'GET /v1/products/:productId/reviews': {
    status: 200,
    reason: "product ids are the shop's own; B has no reviews of A's product",
  },
  'PUT /v1/gift-card-products/:productId': {
    status: 200,
    reason: "product ids are the shop's own: B marks its own product of that id, never A's",
  },
  'DELETE /v1/gift-card-products/:productId': {
    status: 204,
    reason: "removes B's own setting of that id (its PUT, walked just before); A's stays",
  },
};

/** Path-id routes where shop B's request is answered before the object is looked up. */
const REFUSED_FIRST: Record<string, { status: number; reason: string }> = {};

/** List routes that need a query to answer. */
const PERIOD = 'from=2020-01-01&to=2030-12-31';
const LIST_QUERIES: Record<string, string> = {
  '/v1/analytics/summary': PERIOD,
  '/v1/analytics/series': `${PERIOD}&step=month`,
  '/v1/analytics/lift': PERIOD,
  '/v1/analytics/repeat': PERIOD,
  '/v1/analytics/points-balance': 'from=2024-01-01&to=2030-12-31',
  '/v1/analytics/benefits': PERIOD,
  '/v1/analytics/cohorts': PERIOD,
  '/v1/points/activity': PERIOD,
  '/v1/analytics/messages': PERIOD,
  '/v1/surveys/series': 'from=2026-01-01&to=2027-01-01',
};

let t: TestApp;
const table: RouteOptions[] = [];
let routes: Route[];
let a: Seeded;
let b: Seeded;

function toRoute(r: RouteOptions, method: string): Route {
  const schema = (r.schema ?? {}) as { body?: ZodType; querystring?: ZodType };
  return {
    method: method as Method,
    url: r.url,
    auth: r.config?.auth,
    params: [...r.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!),
    body: schema.body,
    querystring: schema.querystring,
  };
}

beforeAll(async () => {
  t = await createTestApp({ onRoute: (r) => table.push(r) });
  await t.app.ready();
  routes = table
    .flatMap((r) => [r.method].flat().map((m) => toRoute(r, m)))
    // Fastify answers HEAD with the GET handler (exposeHeadRoutes): the GET check covers it.
    .filter((r) => r.method !== ('HEAD' as Method) && r.method !== ('OPTIONS' as Method));
  const shopA = await createTestShop(t, 'Sklep A');
  const shopB = await createTestShop(t, 'Sklep B');
  a = await seedShop(t, shopA, 'a');
  b = await seedShop(t, shopB, 'b');
}, 120_000);
afterAll(async () => {
  console.info(
    `tenant isolation: ${counted.routes} routes checked with ${counted.requests} requests ` +
      `(${routes.length} routes in the table)`,
  );
  await t.close();
});

const counted = { routes: 0, requests: 0 };
function inject(method: Method, url: string, headers: Record<string, string>, payload?: unknown) {
  counted.requests++;
  return t.app.inject({
    method,
    url,
    headers,
    ...(payload !== undefined && { payload: payload as object }),
  });
}

function paramValue(route: Route, param: string, s: Seeded): string | undefined {
  const fn = PARAM_OBJECTS_BY_ROUTE[`${key(route)} :${param}`] ?? PARAM_OBJECTS[param];
  return fn?.(s);
}

function pathFor(route: Route, s: Seeded): string {
  return route.url.replace(/:([A-Za-z0-9_]+)/g, (_m, p: string) =>
    encodeURIComponent(paramValue(route, p, s)!),
  );
}

/** A's own text that appears in a response of B (the request's own path values excepted). */
function leaked(body: string, except: string[] = []) {
  const values = [
    ...a.markers,
    a.customer,
    a.friend,
    a.order,
    a.event,
    a.reward,
    a.segment,
    a.couponCampaign,
    a.achievement,
    a.giftCard,
    a.giftCardSpend,
    a.task,
    a.note,
    a.stampCard,
    a.staff,
    a.staffToken,
    a.apiKey,
    a.referralCampaign,
    a.referral,
    a.affiliate,
    a.webhookEndpoint,
    a.flow,
    a.message,
    a.review,
    a.popup,
    a.importJob,
    a.product,
    a.connection,
  ];
  return [...new Set(values)].filter((v) => !except.includes(v) && body.includes(v));
}

const isProblem = (res: { headers: Record<string, unknown> }) =>
  String(res.headers['content-type']).includes('application/problem+json');

describe('tenant isolation over every route of the app', () => {
  it('knows every route: no shop key means a listed reason, a path parameter a seeded object', () => {
    const problems: string[] = [];
    for (const route of routes) {
      if (route.auth !== 'shop' && !NOT_SHOP_ROUTES.some((e) => e.url.test(route.url))) {
        problems.push(
          `${key(route)} takes no shop API key and is not in NOT_SHOP_ROUTES — add it there with the reason it needs no tenant check`,
        );
      }
      if (route.auth !== 'shop') continue;
      for (const p of route.params) {
        if (paramValue(route, p, a) === undefined) {
          problems.push(`no seeded object for :${p} in ${key(route)} — add one to the seed`);
        }
      }
      const body = BODIES[key(route)];
      if (route.params.length > 0 && route.body && !route.body.safeParse({}).success) {
        if (!body) {
          problems.push(
            `no body for ${key(route)} — add one to BODIES (a 400 would hide an isolation hole)`,
          );
        }
      }
      if (body && route.body) {
        const parsed = route.body.safeParse(body(a, b));
        if (!parsed.success) {
          problems.push(
            `the body for ${key(route)} no longer fits its schema: ${parsed.error.message}`,
          );
        }
      }
      if (route.params.length > 0 && route.querystring && !QUERIES[key(route)]) {
        if (!route.querystring.safeParse({}).success) {
          problems.push(`no query for ${key(route)} — add one to QUERIES`);
        }
      }
    }
    expect(problems).toEqual([]);
    // The table is the real one: every kind of route is there.
    expect(routes.length).toBeGreaterThan(150);
  });

  it("answers 404 to shop B for each of shop A's objects, 401 without a key, and 2xx to A's reads", async () => {
    const holes: string[] = [];
    const idRoutes = routes.filter((r) => r.auth === 'shop' && r.params.length > 0);
    for (const route of idRoutes) {
      counted.routes++;
      const k = key(route);
      const path = pathFor(route, a);
      const query = QUERIES[k]?.(a);
      const url = query ? `${path}?${query}` : path;
      // A route with a body schema gets a body ({} where its fields have defaults).
      const body = BODIES[k]?.(a, b) ?? (route.body ? {} : undefined);
      const json: Record<string, string> =
        body === undefined ? {} : { 'content-type': 'application/json' };

      const anonymous = await inject(route.method, url, json, body);
      if (anonymous.statusCode !== 401 || !isProblem(anonymous)) {
        holes.push(`${k}: without a key answered ${anonymous.statusCode}, not a 401 problem`);
      }
      const staff = await inject(route.method, url, { ...json, ...bearer(b.staffToken) }, body);
      if (staff.statusCode !== 401) {
        holes.push(`${k}: shop B's staff token answered ${staff.statusCode}, not 401`);
      }

      const before = await shopState(t, a.shop.id);
      const theirs = await inject(route.method, url, { ...json, ...bearer(b.shop.apiKey) }, body);
      const after = await shopState(t, a.shop.id);
      const changed = changedTables(before, after);
      if (changed.length > 0) {
        holes.push(`${k}: shop B's request changed shop A's rows in ${changed.join(', ')}`);
      }
      const shared = SHARED_CATALOGUE[k];
      const refused = REFUSED_FIRST[k];
      if (shared) {
        if (theirs.statusCode !== shared.status) {
          holes.push(
            `${k}: shop B got ${theirs.statusCode}, expected ${shared.status} (${shared.reason}): ${theirs.body}`,
          );
        }
        const seen = leaked(
          theirs.body,
          route.params.map((p) => paramValue(route, p, a)!),
        );
        if (seen.length > 0) holes.push(`${k}: shop B's answer shows shop A's ${seen.join(', ')}`);
      } else if (refused) {
        if (theirs.statusCode !== refused.status) {
          holes.push(
            `${k}: shop B got ${theirs.statusCode}, expected ${refused.status} (${refused.reason})`,
          );
        }
      } else if (theirs.statusCode === 400) {
        holes.push(
          `${k}: shop B's request was refused as invalid (400) before the lookup — fix its BODIES/QUERIES entry: ${theirs.body}`,
        );
      } else if (theirs.statusCode !== 404 || !isProblem(theirs)) {
        holes.push(
          `${k}: shop B got ${theirs.statusCode} for shop A's object, not a 404 problem: ${theirs.body.slice(0, 300)}`,
        );
      }

      if (route.method === 'GET') {
        const mine = await inject('GET', url, bearer(a.shop.apiKey));
        const expected = refused?.status;
        if (expected ? mine.statusCode !== expected : mine.statusCode >= 300) {
          holes.push(
            `${k}: shop A's own read answered ${mine.statusCode} — the seeded id is not real, so B's 404 proves nothing: ${mine.body.slice(0, 300)}`,
          );
        }
      }
    }
    expect(holes).toEqual([]);
  }, 120_000);

  it("shows shop B none of shop A's objects in any list", async () => {
    const holes: string[] = [];
    const lists = routes.filter(
      (r) =>
        r.auth === 'shop' &&
        r.method === 'GET' &&
        r.params.length === 0 &&
        r.url.startsWith('/v1/'),
    );
    for (const route of lists) {
      counted.routes++;
      const query = LIST_QUERIES[route.url];
      const url = query ? `${route.url}?${query}` : route.url;
      const json = await inject('GET', url, bearer(b.shop.apiKey));
      if (json.statusCode >= 300) {
        holes.push(
          `${key(route)}: shop B's list answered ${json.statusCode} — add a query to LIST_QUERIES: ${json.body.slice(0, 300)}`,
        );
      }
      const seen = leaked(json.body);
      if (seen.length > 0)
        holes.push(`${key(route)}: shop B's list shows shop A's ${seen.join(', ')}`);
      // Reports answer CSV when asked: the same rows, another form.
      const csv = await inject('GET', url, { ...bearer(b.shop.apiKey), accept: 'text/csv' });
      const seenInCsv = csv.statusCode < 300 ? leaked(csv.body) : [];
      if (seenInCsv.length > 0) {
        holes.push(
          `${key(route)} (text/csv): shop B's list shows shop A's ${seenInCsv.join(', ')}`,
        );
      }
    }
    expect(lists.length).toBeGreaterThan(30);
    expect(holes).toEqual([]);

    // The search would see a leak: shop A's own lists show its objects of every listed kind.
    let own = '';
    for (const route of lists) {
      const query = LIST_QUERIES[route.url];
      own += (
        await inject('GET', query ? `${route.url}?${query}` : route.url, bearer(a.shop.apiKey))
      ).body;
    }
    const listed = {
      reward: a.reward,
      segment: a.segment,
      couponCampaign: a.couponCampaign,
      achievement: a.achievement,
      task: a.task,
      stampCard: a.stampCard,
      staff: a.staff,
      apiKey: a.apiKey,
      referralCampaign: a.referralCampaign,
      referral: a.referral,
      affiliate: a.affiliate,
      webhookEndpoint: a.webhookEndpoint,
      flow: a.flow,
      message: a.message,
      review: a.review,
      event: a.event,
    };
    expect(
      Object.keys(listed).filter((k) => !own.includes(listed[k as keyof typeof listed])),
    ).toEqual([]);
  });

  it("refuses shop B's staff token on shop A's customers and stamp cards", async () => {
    counted.routes++;
    const scan = (token: string, body: object) =>
      inject(
        'POST',
        '/v1/stamps/scan',
        { ...bearer(token), 'content-type': 'application/json' },
        body,
      );
    const qr = async (s: Seeded) =>
      String((await api(t, s.shop, 'GET', `/v1/customers/${s.customer}/stamp-qr`)).json().payload);
    const [qrA, qrB] = [await qr(a), await qr(b)];

    const before = await shopState(t, a.shop.id);
    const foreignQr = await scan(b.staffToken, { payload: qrA });
    expect(foreignQr.statusCode, foreignQr.body).toBe(422);
    expect(foreignQr.json().type).toContain('qr-invalid');
    const foreignCard = await scan(b.staffToken, { payload: qrB, programmeId: a.stampCard });
    expect(foreignCard.statusCode, foreignCard.body).toBeGreaterThanOrEqual(400);
    expect(foreignCard.statusCode, foreignCard.body).toBeLessThan(500);
    expect((await scan(b.shop.apiKey, { payload: qrA })).statusCode).toBe(401);
    expect(changedTables(before, await shopState(t, a.shop.id))).toEqual([]);

    // The QR is real: shop A's own staff stamps with it.
    expect((await scan(a.staffToken, { payload: qrA })).statusCode).toBe(201);

    // The staff app's routes: shop A's customer is unknown to shop B's device.
    const asB = (method: 'GET' | 'POST', url: string, body?: object) =>
      inject(
        method,
        url,
        { ...bearer(b.staffToken), ...(body && { 'content-type': 'application/json' }) },
        body,
      );
    const before2 = await shopState(t, a.shop.id);
    const c = encodeURIComponent(a.customer);
    expect((await asB('GET', `/v1/counter/customers/${c}`)).statusCode).toBe(404);
    expect((await asB('POST', '/v1/counter/stamps', { customerId: a.customer })).statusCode).toBe(
      404,
    );
    expect((await asB('POST', '/v1/counter/stamps', { payload: qrA })).statusCode).toBe(422);
    expect(
      (
        await asB('POST', '/v1/counter/purchases', {
          customerId: a.customer,
          amount: 100,
          reference: 'tenant-check-1',
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await asB('POST', `/v1/counter/customers/${c}/redemptions`, { rewardId: 'x' })).statusCode,
    ).toBe(404);
    const coupon = await t.db
      .selectFrom('coupons')
      .select('id')
      .where('shop_id', '=', a.shop.id)
      .executeTakeFirst();
    expect(
      (
        await asB('POST', `/v1/counter/customers/${c}/reward-uses`, {
          couponId: coupon?.id ?? 'cpn_x',
          reference: 'tenant-check-2',
        })
      ).statusCode,
    ).toBe(404);
    expect(changedTables(before2, await shopState(t, a.shop.id))).toEqual([]);
    expect((await asB('GET', `/v1/counter/customers?q=${c}`)).json()).toEqual([]);
  });

  it("gives shop keys 401 on the operator's routes", async () => {
    const operatorRoutes = routes.filter((r) => r.auth === 'operator');
    for (const route of operatorRoutes) {
      counted.routes++;
      const url = pathFor(route, a);
      const body = route.body ? {} : undefined;
      const json: Record<string, string> =
        body === undefined ? {} : { 'content-type': 'application/json' };
      for (const token of [a.shop.apiKey, b.shop.apiKey]) {
        const res = await inject(route.method, url, { ...json, ...bearer(token) }, body);
        expect(res.statusCode, `${key(route)} with a shop key`).toBe(401);
      }
      if (route.method === 'GET') {
        const res = await inject('GET', url, bearer(ADMIN_TOKEN));
        expect(res.statusCode, `${key(route)} with the operator token`).toBe(200);
      }
    }
    expect(operatorRoutes.length).toBeGreaterThan(0);
  });

  it("refuses a platform webhook signed with shop B's secret on shop A's address", async () => {
    const samples = fileURLToPath(new URL('../fixtures/webhooks', import.meta.url));
    const platforms = [
      {
        url: `/v1/webhooks/shopify/${a.shop.id}`,
        body: readFileSync(`${samples}/shopify/orders-create.json`),
        headers: (secret: string, body: Buffer) =>
          shopifyHeaders(secret, body, 'orders/paid', 'iso-1'),
      },
      {
        url: `/v1/webhooks/woocommerce/${a.shop.id}`,
        body: readFileSync(`${samples}/woocommerce/order.wc-v3-retrieve-example.json`),
        headers: (secret: string, body: Buffer) =>
          wooHeaders(secret, body, 'order.updated', 'iso-1'),
      },
      {
        url: `/v1/webhooks/shoper/${a.shop.id}`,
        body: Buffer.from(
          JSON.stringify({ order_id: '1', date: '2025-01-01 10:00:00', sum: '1.00' }),
        ),
        headers: (secret: string, body: Buffer) => ({
          'content-type': 'application/json',
          'x-webhook-id': '1',
          'x-webhook-name': 'order.create',
          'x-webhook-sha1': shoperSignature('1', secret, body),
        }),
      },
    ];
    const webhookRoutes = routes.filter((r) => r.url.startsWith('/v1/webhooks/'));
    expect(webhookRoutes.map((r) => r.url).sort()).toEqual([
      '/v1/webhooks/shoper/:shopId',
      '/v1/webhooks/shopify/:shopId',
      '/v1/webhooks/woocommerce/:shopId',
    ]);
    const [secretA, secretB] = [
      await currentWebhookSecret(t, a.shop.id),
      await currentWebhookSecret(t, b.shop.id),
    ];
    for (const platform of platforms) {
      counted.routes++;
      const before = await shopState(t, a.shop.id);
      const res = await inject(
        'POST',
        platform.url,
        platform.headers(secretB, platform.body),
        platform.body,
      );
      expect(res.statusCode, `${platform.url} signed by shop B`).toBe(401);
      expect(changedTables(before, await shopState(t, a.shop.id))).toEqual([]);
      // The address is real: shop A's own signature is accepted.
      const own = await inject(
        'POST',
        platform.url,
        platform.headers(secretA, platform.body),
        platform.body,
      );
      expect(own.statusCode, `${platform.url} signed by shop A: ${own.body}`).toBeLessThan(300);
    }
  });
});
