import type { RouteOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  bearer,
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  type TestApp,
} from '../support/app.ts';
import { asMember, createMember, signIn } from '../support/accounts.ts';
import { createStaffMember } from '../../src/stamps/manage-staff.ts';
import { NOT_RECORDED } from '../../src/http/audit-trail.ts';
import {
  announceAudit,
  confirmAudit,
  recordAbandonedIntents,
} from '../../src/audit/record-audit.ts';
import {
  coffeeCard,
  createCustomer,
  createProgramme,
  createStaff,
  qrFor,
  scan,
} from '../stamps/support.ts';

const clock = fixedClock('2026-12-06T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let owner: Awaited<ReturnType<typeof createMember>>;
let cookie: string;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep Audytowany');
  owner = await createMember(t, shop.id, 'owner', 'audyt@example.pl');
  cookie = await signIn(t, owner.email);
});
afterAll(() => t.close());

async function auditLog(query = '', headers: Record<string, string> = bearer(shop.apiKey)) {
  const res = await t.app.inject({ method: 'GET', url: `/v1/audit-log${query}`, headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    data: Array<{
      id: string;
      at: string;
      actor: { type: string; id: string | null; name: string | null };
      action: string;
      target: { type: string | null; id: string | null };
      before?: unknown;
      after?: unknown;
    }>;
    nextBefore: string | null;
  };
}

describe('the audit log', () => {
  it('records a write by an API key once, with the key, the action, the target and the state after', async () => {
    const key = await t.db
      .selectFrom('api_keys')
      .select(['id', 'token_hint', 'label'])
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/rewards',
      headers: { ...bearer(shop.apiKey), 'idempotency-key': 'reward-1' },
      payload: { name: 'Kubek', kind: 'custom_perk', pointsCost: 300 },
    });
    expect(res.statusCode).toBe(201);
    // The same request replayed by its Idempotency-Key is not a second write.
    const replay = await t.app.inject({
      method: 'POST',
      url: '/v1/rewards',
      headers: { ...bearer(shop.apiKey), 'idempotency-key': 'reward-1' },
      payload: { name: 'Kubek', kind: 'custom_perk', pointsCost: 300 },
    });
    expect(replay.json().id).toBe(res.json().id);
    const entries = (await auditLog('?action=POST%20/v1/rewards')).data;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      at: '2026-12-06T10:00:00.000Z',
      actor: { type: 'api_key', id: key.id, name: key.label ?? `…${key.token_hint}` },
      action: 'POST /v1/rewards',
      target: { type: 'rewards', id: res.json().id },
      after: { id: res.json().id, pointsCost: 300 },
    });
    expect(entries[0]!.before).toBeUndefined(); // a creation has no state before
  });

  it('records a change by a user with the state before and after', async () => {
    const reward = (await auditLog('?action=POST%20/v1/rewards')).data[0]!.target.id!;
    clock.set('2026-12-06T11:00:00Z');
    const res = await t.app.inject({
      method: 'PUT',
      url: `/v1/rewards/${reward}`,
      headers: asMember(cookie, shop.id),
      payload: { name: 'Kubek', kind: 'custom_perk', pointsCost: 450 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const [entry] = (await auditLog(`?actor=${owner.userId}`)).data;
    expect(entry).toMatchObject({
      at: '2026-12-06T11:00:00.000Z',
      actor: { type: 'user', id: owner.userId, name: 'Test owner' },
      action: 'PUT /v1/rewards/:rewardId',
      target: { type: 'rewards', id: reward },
      before: { id: reward, pointsCost: 300 },
      after: { id: reward, pointsCost: 450 },
    });
  });

  it('records a scan by staff', async () => {
    await createProgramme(t, shop, coffeeCard);
    const staff = await createStaff(t, shop, 'Ola');
    await createCustomer(t, shop, 'anna');
    expect((await scan(t, staff.token, await qrFor(t, shop, 'anna'))).statusCode).toBe(201);
    const [entry] = (await auditLog('?actor=staff')).data;
    expect(entry).toMatchObject({
      actor: { type: 'staff', id: staff.id, name: 'Ola' },
      action: 'POST /v1/stamps/scan',
    });
  });

  it('records the operator as the system, and never a secret shown once', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/shops/${shop.id}/api-keys`,
      headers: bearer(ADMIN_TOKEN),
      payload: { label: 'operator key' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const [entry] = (await auditLog('?actor=system')).data;
    expect(entry).toMatchObject({ actor: { type: 'system', id: null, name: 'operator' } });
    const all = JSON.stringify((await auditLog()).data);
    expect(all).not.toContain(res.json().apiKey);
    const rows = await t.db
      .selectFrom('audit_log')
      .select(sql<string>`after::text`.as('after'))
      .execute();
    expect(rows.map((r) => r.after ?? '').join()).not.toContain('lojal_sk_');
  });

  it('names a gift card by neither its code nor its hash: the code stays a secret held only by its owner', async () => {
    const issued = await t.app.inject({
      method: 'POST',
      url: '/v1/gift-cards',
      headers: bearer(shop.apiKey),
      payload: { amount: 5000, currency: 'PLN' },
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const code: string = issued.json().code;
    const spent = await t.app.inject({
      method: 'POST',
      url: `/v1/gift-cards/${encodeURIComponent(code)}/spends`,
      headers: bearer(shop.apiKey),
      payload: { amount: 1000, currency: 'PLN', orderId: 'audit-gift-1' },
    });
    expect(spent.statusCode, spent.body).toBeLessThan(300);
    const log = await auditLog('?action=' + encodeURIComponent('POST /v1/gift-cards/:code/spends'));
    expect(log.data).toHaveLength(1);
    expect(log.data[0]!.target).toEqual({ type: 'gift-cards', id: '[redacted]' });
    const everything = JSON.stringify((await auditLog()).data);
    expect(everything).not.toContain(code);
    expect(everything.toUpperCase()).not.toContain(code.toUpperCase().replace(/-/g, ''));
  });

  it('records nothing for a refused or invalid write', async () => {
    const before = (await auditLog()).data.length;
    const analyst = await createMember(t, shop.id, 'analyst');
    const analystCookie = await signIn(t, analyst.email);
    await t.app.inject({
      method: 'POST',
      url: '/v1/rewards',
      headers: asMember(analystCookie, shop.id),
      payload: {},
    });
    await t.app.inject({
      method: 'POST',
      url: '/v1/rewards',
      headers: bearer(shop.apiKey),
      payload: { kind: 'nope' },
    });
    expect((await auditLog()).data.length).toBe(before);
  });

  it('leaves no intent behind a write that answered, nor one that was refused', async () => {
    const left = await t.db
      .selectFrom('audit_intents')
      .select('action')
      .where('shop_id', '=', shop.id)
      .execute();
    expect(left).toEqual([]);
  });

  it('logs a write whose entry could not be written as unconfirmed, once, by the sweep', async () => {
    // The database takes the write but refuses its entry (as if it went away in between).
    await sql`CREATE FUNCTION refuse_reward_entries() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.action = 'POST /v1/rewards' THEN RAISE EXCEPTION 'entry refused'; END IF;
        RETURN NEW;
      END $$`.execute(t.db);
    await sql`CREATE TRIGGER refuse_reward_entries BEFORE INSERT ON audit_log
      FOR EACH ROW EXECUTE FUNCTION refuse_reward_entries()`.execute(t.db);
    let created: { id: string };
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/rewards',
        headers: asMember(cookie, shop.id),
        payload: { name: 'Kubek', kind: 'custom_perk', pointsCost: 300 },
      });
      expect(res.statusCode, res.body).toBe(201);
      created = res.json();
    } finally {
      await sql`DROP TRIGGER refuse_reward_entries ON audit_log`.execute(t.db);
      await sql`DROP FUNCTION refuse_reward_entries()`.execute(t.db);
    }
    const isEntry = (e: { action: string; target: { id: string | null } }) =>
      e.action === 'POST /v1/rewards' && e.target.id === null;
    expect((await auditLog('?limit=200')).data.filter(isEntry)).toHaveLength(0);

    // Not yet abandoned: a request may still be running.
    expect(await recordAbandonedIntents(t.db, new Date(clock.now().getTime() - 60_000))).toBe(0);
    const later = new Date(clock.now().getTime() + 60_000);
    expect(await recordAbandonedIntents(t.db, later)).toBe(1);
    expect(await recordAbandonedIntents(t.db, later)).toBe(0);
    const logged = (await auditLog('?limit=200')).data.filter(isEntry);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      unconfirmed: true,
      actor: { type: 'user', id: owner.userId },
      target: { type: 'rewards', id: null },
    });
    expect(created.id).toMatch(/^rwd_/);
  });

  it('keeps one entry when a write answers after the sweep logged it unconfirmed', async () => {
    const entry = {
      shopId: shop.id,
      at: clock.now(),
      actor: { type: 'system' as const, id: null, name: 'slow write' },
      action: 'PUT /v1/tiers',
      target: { type: 'tiers', id: null },
    };
    const intent = await announceAudit(t.db, entry);
    expect(await recordAbandonedIntents(t.db, new Date(clock.now().getTime() + 60_000))).toBe(1);
    await confirmAudit(t.db, intent, { ...entry, after: { done: true } });
    const slow = (await auditLog('?limit=200')).data.filter((e) => e.actor.name === 'slow write');
    expect(slow).toHaveLength(1);
    expect(slow[0]).toMatchObject({ unconfirmed: true });
  });

  it('runs no write it could not announce', async () => {
    const rewards = async () =>
      (await t.db.selectFrom('rewards').select('id').where('shop_id', '=', shop.id).execute())
        .length;
    const before = await rewards();
    await sql`CREATE FUNCTION refuse_intents() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'intent refused'; END $$`.execute(t.db);
    await sql`CREATE TRIGGER refuse_intents BEFORE INSERT ON audit_intents
      FOR EACH ROW EXECUTE FUNCTION refuse_intents()`.execute(t.db);
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/rewards',
        headers: asMember(cookie, shop.id),
        payload: { name: 'Kubek', kind: 'custom_perk', pointsCost: 300 },
      });
      expect(res.statusCode).toBe(500);
    } finally {
      await sql`DROP TRIGGER refuse_intents ON audit_intents`.execute(t.db);
      await sql`DROP FUNCTION refuse_intents()`.execute(t.db);
    }
    expect(await rewards()).toBe(before);
  });

  it('filters by time, actor and action, newest first, a page at a time', async () => {
    const all = (await auditLog('?limit=200')).data;
    expect(all.map((e) => Number(e.id))).toEqual(
      [...all.map((e) => Number(e.id))].sort((a, b) => b - a),
    );
    const first = await auditLog('?limit=2');
    expect(first.data).toEqual(all.slice(0, 2));
    const second = await auditLog(`?limit=2&before=${first.nextBefore}`);
    expect(second.data).toEqual(all.slice(2, 4));
    const late = await auditLog('?from=2026-12-06T10:30:00Z&to=2026-12-06T11:30:00Z');
    expect(late.data.length).toBeGreaterThan(0);
    expect(
      late.data.every((e) => e.at >= '2026-12-06T10:30:00' && e.at < '2026-12-06T11:30:00'),
    ).toBe(true);
    expect((await auditLog('?actor=api_key')).data.every((e) => e.actor.type === 'api_key')).toBe(
      true,
    );
    expectProblem(
      await t.app.inject({
        method: 'GET',
        url: '/v1/audit-log?before=abc',
        headers: bearer(shop.apiKey),
      }),
      400,
    );
  });

  it('shows one shop only its own entries', async () => {
    const other = await createTestShop(t, 'Inny Sklep');
    expect((await auditLog('', bearer(other.apiKey))).data).toEqual([]);
  });

  it('is append-only: the database refuses to change, delete or truncate an entry', async () => {
    await expect(sql`UPDATE audit_log SET action = 'forged'`.execute(t.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
    expect((await auditLog()).data.length).toBeGreaterThan(0);
  });
});

describe('every write route', () => {
  const routes: RouteOptions[] = [];
  let stubbed: TestApp;
  let stubShop: Awaited<ReturnType<typeof createTestShop>>;
  let staffToken: string;

  beforeAll(async () => {
    // The real app and hooks, with every handler replaced by one that succeeds: what is
    // checked is the recording, which no route can opt out of by forgetting it.
    stubbed = await createTestApp({
      clock,
      onRoute: (route) => {
        routes.push(route);
        route.schema = { hide: true };
        const created = route.method === 'POST' ? 201 : 200;
        route.handler = async (_request, reply) => reply.status(created).send({ id: 'stub-1' });
      },
    });
    stubShop = await createTestShop(stubbed, 'Sklep Zastępczy');
    const row = await stubbed.db
      .selectFrom('shops')
      .selectAll()
      .where('id', '=', stubShop.id)
      .executeTakeFirstOrThrow();
    staffToken = (await createStaffMember(stubbed.db, clock, row, { name: 'Ola', role: 'staff' }))
      .token;
  });
  afterAll(() => stubbed.close());

  async function entriesOf(action: string): Promise<number> {
    const rows = await stubbed.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', action)
      .execute();
    return rows.length;
  }

  it('leaves exactly one entry naming the route when it succeeds', async () => {
    const writes = routes.flatMap((route) => {
      const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) =>
        ['POST', 'PUT', 'PATCH', 'DELETE'].includes(m),
      );
      const { auth, rateClass } = route.config ?? {};
      const credential =
        auth === 'shop'
          ? bearer(stubShop.apiKey)
          : auth === 'operator'
            ? bearer(ADMIN_TOKEN)
            : route.url === '/v1/stamps/scan'
              ? bearer(staffToken)
              : null;
      return credential
        ? methods
            .filter((m) => rateClass !== 'ingest' && !NOT_RECORDED.has(`${m} ${route.url}`))
            .map((method) => ({ method, url: route.url, credential }))
        : [];
    });
    expect(writes.length).toBeGreaterThan(70);
    // What is left out is named, with its reason, in one list, and each still exists.
    const keys = new Set(routes.flatMap((r) => [r.method].flat().map((m) => `${m} ${r.url}`)));
    for (const key of NOT_RECORDED) expect(keys.has(key), key).toBe(true);
    for (const write of writes) {
      const url = write.url.replace(':shopId', stubShop.id).replace(/:(\w+)/g, 'x-1');
      const before = await entriesOf(`${write.method} ${write.url}`);
      const res = await stubbed.app.inject({
        method: write.method as 'POST',
        url,
        headers: write.credential,
        payload: {},
      });
      const action = `${write.method} ${write.url}`;
      expect(res.statusCode, `${action}: ${res.body}`).toBeLessThan(300);
      expect(await entriesOf(action), action).toBe(before + 1);
    }
  });
});
