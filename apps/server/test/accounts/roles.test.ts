import type { RouteOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  type TestApp,
} from '../support/app.ts';
import { asMember, createMember, signIn } from '../support/accounts.ts';
import { send } from '../points/support.ts';
import { ROUTE_ROLES, routeKey } from '../../src/http/route-roles.ts';

const clock = fixedClock('2026-12-06T10:00:00Z');
const routes: RouteOptions[] = [];
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let other: Awaited<ReturnType<typeof createTestShop>>;
const cookies: Record<string, string> = {};

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function shopRoutes() {
  return routes.flatMap((route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter(
      (m) => m !== 'HEAD',
    );
    return route.config?.auth === 'shop'
      ? methods.map((method) => ({ method, url: route.url }))
      : [];
  });
}

/** A URL for the route with every parameter filled in. */
function concrete(url: string) {
  return url.replace(/:(\w+)/g, 'x-1').replace('*', 'x');
}

/** Rows in every table of ours: a refused request must leave all of them as they were. */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`.execute(t.db);
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(name)}`.execute(
      t.db,
    );
    counts[name] = r.rows[0]!.n;
  }
  return counts;
}

beforeAll(async () => {
  t = await createTestApp({ clock, onRoute: (route) => void routes.push(route) });
  shop = await createTestShop(t, 'Sklep Pierwszy');
  other = await createTestShop(t, 'Sklep Drugi');
  await send(t, shop, { type: 'customer.created', id: 'c-ela', data: { id: 'ela' } });
  await send(t, other, { type: 'customer.created', id: 'c-jan', data: { id: 'jan' } });
  for (const role of ['owner', 'admin', 'marketer', 'support', 'analyst'] as const) {
    const m = await createMember(t, shop.id, role);
    cookies[role] = await signIn(t, m.email);
  }
});
afterAll(() => t.close());

describe('the role table', () => {
  it('names the roles of every /v1 shop route the app has', () => {
    const shop = shopRoutes();
    expect(shop.length).toBeGreaterThan(100);
    const missing = shop
      .map((r) => routeKey(r.method, r.url))
      .filter((key) => !(key in ROUTE_ROLES));
    expect(missing, 'add these routes to http/route-roles.ts').toEqual([]);
  });

  it('gives owners and admins every route, and analysts no write', () => {
    for (const [key, roles] of Object.entries(ROUTE_ROLES)) {
      expect(roles, key).toContain('owner');
      expect(roles, key).toContain('admin');
      if (!key.startsWith('GET ')) expect(roles, key).not.toContain('analyst');
    }
  });
});

describe('roles on shop routes', () => {
  it('refuses an analyst every write with 403 problem+json, and nothing changes', async () => {
    const writes = shopRoutes().filter((r) => WRITES.has(r.method));
    expect(writes.length).toBeGreaterThan(60);
    const before = await rowCounts();
    for (const route of writes) {
      const res = await t.app.inject({
        method: route.method as 'POST',
        url: concrete(route.url),
        headers: asMember(cookies.analyst!, shop.id),
        payload: {},
      });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(403);
      expect(res.json().type, `${route.method} ${route.url}`).toBe('/problems/forbidden');
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('lets an analyst read', async () => {
    for (const url of ['/v1/shop', '/v1/rewards', '/v1/customers/ela', '/v1/audit-log']) {
      const res = await t.app.inject({
        method: 'GET',
        url,
        headers: asMember(cookies.analyst!, shop.id),
      });
      expect(res.statusCode, url).toBe(url === '/v1/audit-log' ? 403 : 200);
    }
  });

  it('keeps API keys from a marketer, who still runs the programme', async () => {
    const keys = await t.app.inject({
      method: 'GET',
      url: '/v1/api-keys',
      headers: asMember(cookies.marketer!, shop.id),
    });
    expectProblem(keys, 403);
    const team = await t.app.inject({
      method: 'POST',
      url: '/v1/team/invitations',
      headers: asMember(cookies.marketer!, shop.id),
      payload: { email: 'nowy@example.pl', role: 'analyst' },
    });
    expectProblem(team, 403);
    const reward = await t.app.inject({
      method: 'POST',
      url: '/v1/rewards',
      headers: asMember(cookies.marketer!, shop.id),
      payload: { name: 'Kubek', kind: 'custom_perk', pointsCost: 300 },
    });
    expect(reward.statusCode, reward.body).toBe(201);
  });

  it('lets support adjust points with a reason, but not change the catalogue', async () => {
    const adjust = await t.app.inject({
      method: 'POST',
      url: '/v1/customers/ela/adjustments',
      headers: asMember(cookies.support!, shop.id),
      payload: { points: 50, reason: 'Przeprosiny za opóźnienie' },
    });
    expect(adjust.statusCode, adjust.body).toBe(201);
    const ledger = await t.app.inject({
      method: 'GET',
      url: '/v1/customers/ela/ledger',
      headers: asMember(cookies.support!, shop.id),
    });
    expect(ledger.body).toContain('Przeprosiny za opóźnienie');
    const reward = await t.app.inject({
      method: 'POST',
      url: '/v1/rewards',
      headers: asMember(cookies.support!, shop.id),
      payload: { name: 'Kubek', kind: 'custom_perk', pointsCost: 300 },
    });
    expectProblem(reward, 403);
  });
});

describe('a person in two shops', () => {
  it('sees only the shop Lojal-Shop names, with the role they have there', async () => {
    const both = await createMember(t, shop.id, 'owner', 'dwa-sklepy@example.pl');
    await createMember(t, other.id, 'analyst', 'dwa-sklepy@example.pl');
    const cookie = await signIn(t, both.email);
    const get = (url: string, shopId: string) =>
      t.app.inject({ method: 'GET', url, headers: asMember(cookie, shopId) });

    expect((await get('/v1/shop', shop.id)).json().id).toBe(shop.id);
    expect((await get('/v1/shop', other.id)).json().id).toBe(other.id);
    expect((await get('/v1/customers/ela', shop.id)).statusCode).toBe(200);
    expectProblem(await get('/v1/customers/ela', other.id), 404);
    expectProblem(await get('/v1/customers/jan', shop.id), 404);
    expect((await get('/v1/customers/jan', other.id)).statusCode).toBe(200);

    const write = (shopId: string) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/rewards',
        headers: asMember(cookie, shopId),
        payload: { name: 'Torba', kind: 'custom_perk', pointsCost: 500 },
      });
    expect((await write(shop.id)).statusCode).toBe(201);
    expectProblem(await write(other.id), 403);
  });

  it('gets 404 for a shop that is not theirs, as a key does for another shop', async () => {
    const third = await createTestShop(t, 'Sklep Trzeci');
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/shop',
      headers: asMember(cookies.owner!, third.id),
    });
    expectProblem(res, 404);
  });
});

describe('the team', () => {
  it('a removed member is refused from their very next request', async () => {
    const leaving = await createMember(t, shop.id, 'support');
    const cookie = await signIn(t, leaving.email);
    const read = () =>
      t.app.inject({ method: 'GET', url: '/v1/customers/ela', headers: asMember(cookie, shop.id) });
    expect((await read()).statusCode).toBe(200);
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/v1/team/members/${leaving.userId}`,
      headers: asMember(cookies.admin!, shop.id),
    });
    expect(removed.statusCode, removed.body).toBe(204);
    expectProblem(await read(), 404);
  });

  it('admins cannot remove, demote or make owners; the last owner cannot leave', async () => {
    const solo = await createTestShop(t, 'Sklep Solo');
    const owner = await createMember(t, solo.id, 'owner');
    const admin = await createMember(t, solo.id, 'admin');
    const ownerCookie = await signIn(t, owner.email);
    const adminCookie = await signIn(t, admin.email);
    const as = (cookie: string, method: 'PATCH' | 'DELETE', userId: string, payload?: object) =>
      t.app.inject({
        method,
        url: `/v1/team/members/${userId}`,
        headers: asMember(cookie, solo.id),
        ...(payload && { payload }),
      });

    expectProblem(await as(adminCookie, 'DELETE', owner.userId), 403);
    expectProblem(await as(adminCookie, 'PATCH', owner.userId, { role: 'admin' }), 403);
    expectProblem(await as(adminCookie, 'PATCH', admin.userId, { role: 'owner' }), 403);
    expectProblem(await as(ownerCookie, 'DELETE', owner.userId), 409);
    expectProblem(await as(ownerCookie, 'PATCH', owner.userId, { role: 'admin' }), 409);

    const promoted = await as(ownerCookie, 'PATCH', admin.userId, { role: 'owner' });
    expect(promoted.json()).toMatchObject({ userId: admin.userId, role: 'owner' });
    expect((await as(ownerCookie, 'DELETE', owner.userId)).statusCode).toBe(204);
    const members = await t.app.inject({
      method: 'GET',
      url: '/v1/team/members',
      headers: asMember(adminCookie, solo.id),
    });
    expect(members.json().data.map((m: { userId: string }) => m.userId)).toEqual([admin.userId]);
  });
});
