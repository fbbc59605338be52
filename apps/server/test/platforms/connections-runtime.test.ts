import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { pullConnection } from '../../src/connections/pull-connection.ts';
import { pushCodes } from '../../src/connections/push-codes.ts';
import { bearer, createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import {
  connectedShop,
  describePlatformScenarios,
  pullToEnd,
  SCENARIO_NOW,
} from './platform-scenarios.ts';
import { memoryConnector, startMemoryPlatform } from './memory-platform.ts';
import { publish } from '../points/support.ts';
import { baselinkerConnector } from '../../src/platforms/baselinker/connector.ts';
import type { PlatformConnector } from '../../src/connections/connector.ts';

const connectors = { woocommerce: memoryConnector };

// The runtime (connections/) against a minimal platform: the same scenarios every real
// platform's fake runs in its own folder.

/** A percentage campaign with `count` one-use codes, issued through the API. */
async function issueCampaignCodes(
  t: TestApp,
  shop: { apiKey: string },
  name: string,
  percent: number,
  count: number,
) {
  const campaign = await t.app.inject({
    method: 'POST',
    url: '/v1/coupon-campaigns',
    headers: bearer(shop.apiKey),
    payload: { name, discount: { kind: 'percentage', percent }, usesPerCode: 1 },
  });
  expect(campaign.statusCode, campaign.body).toBe(201);
  const generated = await t.app.inject({
    method: 'POST',
    url: `/v1/coupon-campaigns/${campaign.json<{ id: string }>().id}/codes`,
    headers: bearer(shop.apiKey),
    payload: { count },
  });
  expect(generated.statusCode, generated.body).toBe(201);
}

describePlatformScenarios('woocommerce', () => startMemoryPlatform(), connectors);

describe('connections API and runtime', () => {
  let t: TestApp;
  const clock = fixedClock(SCENARIO_NOW);
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    t = await createTestApp({ clock, config: { platformPrivateNetworks: true }, connectors });
  });
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
    await t?.close();
  });
  const platform = async () => {
    const f = await startMemoryPlatform();
    closers.push(() => f.close());
    return f;
  };

  it('refuses wrong credentials with the platform’s reason and stores nothing', async () => {
    const f = await platform();
    const shop = await createTestShop(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/connections',
      headers: bearer(shop.apiKey),
      payload: {
        platform: 'woocommerce',
        credentials: { token: 'wrong' },
        settings: f.connection.settings,
      },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ type: '/problems/connection-auth' });
    expect(res.json<{ detail: string }>().detail).toContain('401');
    const missing = await t.app.inject({
      method: 'POST',
      url: '/v1/connections',
      headers: bearer(shop.apiKey),
      payload: { platform: 'woocommerce', credentials: {}, settings: { url: 'not a url' } },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ errors: Array<{ path: string }> }>().errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(['credentials.token', 'settings.url']),
    );
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/v1/connections',
      headers: bearer(shop.apiKey),
      payload: { platform: 'shoper', credentials: {}, settings: {} },
    });
    expect(unknown.statusCode).toBe(422);
    const { rows } = await sql<{ n: string }>`
      SELECT count(*) AS n FROM connections WHERE shop_id = ${shop.id}`.execute(t.db);
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('never returns or stores the credentials in the clear, and keeps one connection per platform', async () => {
    const f = await platform();
    const c = await connectedShop(t, f, { months: 0 }, connectors);
    const list = await t.app.inject({
      method: 'GET',
      url: '/v1/connections',
      headers: bearer(c.shop.apiKey),
    });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(f.token);
    const row = await t.db
      .selectFrom('connections')
      .select('credentials')
      .where('id', '=', c.connectionId)
      .executeTakeFirstOrThrow();
    expect(row.credentials.toString('latin1')).not.toContain(f.token);
    const again = await t.app.inject({
      method: 'POST',
      url: '/v1/connections',
      headers: bearer(c.shop.apiKey),
      payload: {
        platform: 'woocommerce',
        credentials: f.connection.credentials,
        settings: f.connection.settings,
      },
    });
    expect(again.statusCode).toBe(409);
  });

  it('another shop sees none of it', async () => {
    const f = await platform();
    const c = await connectedShop(t, f, { months: 0 }, connectors);
    const other = await createTestShop(t, 'Inny sklep');
    for (const [method, url] of [
      ['GET', `/v1/connections/${c.connectionId}`],
      ['PATCH', `/v1/connections/${c.connectionId}`],
      ['DELETE', `/v1/connections/${c.connectionId}`],
      ['POST', `/v1/connections/${c.connectionId}/sync`],
    ] as const) {
      const res = await t.app.inject({
        method,
        url,
        headers: bearer(other.apiKey),
        ...(method === 'PATCH' && { payload: { paused: true } }),
      });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    const mine = await t.app.inject({
      method: 'GET',
      url: '/v1/connections',
      headers: bearer(other.apiKey),
    });
    expect(mine.json()).toEqual({ data: [] });
  });

  it('stops on refused credentials until the merchant gives new ones, then catches up', async () => {
    const f = await platform();
    const c = await connectedShop(t, f, { months: 0 }, connectors);
    await f.seedHistory({
      orders: 5,
      from: new Date(SCENARIO_NOW.getTime() - 60_000),
      to: SCENARIO_NOW,
      refundEvery: 0,
      currency: 'PLN',
    });
    // The merchant revokes the key in the platform.
    await sql`UPDATE connections SET credentials = ${t.box.seal(JSON.stringify({ token: 'revoked' }))}
              WHERE id = ${c.connectionId}`.execute(t.db);
    const run = await pullConnection(c.deps, c.shop.id, c.connectionId);
    expect(run.nextAt).toBeNull();
    const status = await t.app.inject({
      method: 'GET',
      url: `/v1/connections/${c.connectionId}`,
      headers: bearer(c.shop.apiKey),
    });
    expect(status.json()).toMatchObject({
      state: 'error',
      attention: expect.stringContaining('401'),
      pull: { nextAt: null },
    });
    // Nothing runs while it waits for the merchant.
    expect((await pullConnection(c.deps, c.shop.id, c.connectionId)).pages).toBe(0);
    const fixed = await t.app.inject({
      method: 'PATCH',
      url: `/v1/connections/${c.connectionId}`,
      headers: bearer(c.shop.apiKey),
      payload: { credentials: f.connection.credentials },
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json()).toMatchObject({ state: 'active', attention: null });
    await pullToEnd(t, c);
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM orders WHERE shop_id = ${c.shop.id}`.execute(t.db);
    expect(Number(rows[0]!.n)).toBe(5);
  });

  it('pauses and resumes', async () => {
    const f = await platform();
    const c = await connectedShop(t, f, { months: 0 }, connectors);
    const paused = await t.app.inject({
      method: 'PATCH',
      url: `/v1/connections/${c.connectionId}`,
      headers: bearer(c.shop.apiKey),
      payload: { paused: true },
    });
    expect(paused.json()).toMatchObject({ state: 'paused', pull: { nextAt: null } });
    const callsBefore = f.calls().length;
    expect((await pullConnection(c.deps, c.shop.id, c.connectionId)).pages).toBe(0);
    expect(f.calls().length).toBe(callsBefore);
    const resumed = await t.app.inject({
      method: 'PATCH',
      url: `/v1/connections/${c.connectionId}`,
      headers: bearer(c.shop.apiKey),
      payload: { paused: false },
    });
    expect(resumed.json()).toMatchObject({ state: 'active' });
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/v1/connections/${c.connectionId}`,
      headers: bearer(c.shop.apiKey),
    });
    expect(removed.statusCode).toBe(204);
  });

  it('backfill with points asked for earns them; the wake-up URL only schedules a pull', async () => {
    const f = await platform();
    await f.seedHistory({
      orders: 20,
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-02-01T00:00:00Z'),
      refundEvery: 0,
      currency: 'PLN',
    });
    const shop = await createTestShop(t, 'Z punktami');
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/connections',
      headers: bearer(shop.apiKey),
      payload: {
        platform: 'woocommerce',
        ...f.connection,
        backfill: { months: 3, earnPoints: true },
      },
    });
    expect(res.statusCode).toBe(201);
    const { id, hookUrl } = res.json<{ id: string; hookUrl: string }>();
    await publish(t, shop, { rules: [{ id: 'spend', code: 'spend', args: { pointsPerUnit: 1 } }] });
    const c = {
      shop,
      connectionId: id,
      deps: {
        db: t.db,
        clock: t.clock,
        box: t.box,
        connectors,
        policy: { ports: 'any' as const, privateNetworks: true },
      },
    };
    await pullToEnd(t, c);
    const { rows } = await sql<{ n: string }>`
      SELECT count(*) AS n FROM point_entries WHERE shop_id = ${shop.id} AND kind = 'earn'`.execute(
      t.db,
    );
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);

    const path = new URL(hookUrl).pathname;
    await sql`UPDATE connections SET next_pull_at = ${new Date('2030-01-01T00:00:00Z')} WHERE id = ${id}`.execute(
      t.db,
    );
    const wrong = await t.app.inject({
      method: 'POST',
      url: `${path}x`,
      headers: { 'content-type': 'application/json' },
      payload: '{"id": 1234567890123456789012.0}',
    });
    expect(wrong.statusCode).toBe(404);
    const woken = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/json' },
      payload: '{"id": 1234567890123456789012.0}',
    });
    expect(woken.statusCode).toBe(202);
    const row = await t.db
      .selectFrom('connections')
      .select('next_pull_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.next_pull_at.getTime()).toBe(SCENARIO_NOW.getTime());
  });

  it('disables in the platform a code used up or expired in Lojal, once', async () => {
    const f = await platform();
    const c = await connectedShop(t, f, { months: 0 }, connectors);
    // Two codes of a campaign, queued for the platform as they are issued.
    await issueCampaignCodes(t, c.shop, 'Wiosna', 10, 2);
    expect(await pushCodes(c.deps, c.shop.id, c.connectionId)).toMatchObject({ created: 2 });
    expect(f.codes().map((x) => x.active)).toEqual([true, true]);
    // One is used at a POS that reports to Lojal; nothing in the platform knows.
    await sql`UPDATE coupons SET used_count = 1 WHERE id = (
                SELECT min(id) FROM coupons WHERE shop_id = ${c.shop.id})`.execute(t.db);
    expect(await pushCodes(c.deps, c.shop.id, c.connectionId)).toMatchObject({ disabled: 1 });
    expect(
      f
        .codes()
        .map((x) => x.active)
        .sort(),
    ).toEqual([false, true]);
    expect(await pushCodes(c.deps, c.shop.id, c.connectionId)).toMatchObject({ disabled: 0 });
  });

  it('queues the codes already issued when code pushing is switched on later', async () => {
    const f = await platform();
    const shop = await createTestShop(t, 'Później');
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/connections',
      headers: bearer(shop.apiKey),
      payload: {
        platform: 'woocommerce',
        ...f.connection,
        backfill: { months: 0 },
        pushCodes: false,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json<{ id: string }>().id;
    await issueCampaignCodes(t, shop, 'Jesień', 5, 3);
    const on = await t.app.inject({
      method: 'PATCH',
      url: `/v1/connections/${id}`,
      headers: bearer(shop.apiKey),
      payload: { pushCodes: true },
    });
    expect(on.json()).toMatchObject({ pushCodes: true, push: { codes: { pending: 3 } } });
    // New settings without the credentials are refused: the stored key never goes to a new address.
    const moved = await t.app.inject({
      method: 'PATCH',
      url: `/v1/connections/${id}`,
      headers: bearer(shop.apiKey),
      payload: { settings: { url: 'http://127.0.0.2:9/' } },
    });
    expect(moved.statusCode).toBe(400);
    expect(moved.json<{ errors: Array<{ path: string }> }>().errors[0]!.path).toBe('credentials');
  });

  it('an outage does not count towards giving up on a code; a refusal does', async () => {
    const f = await platform();
    const c = await connectedShop(t, f, { months: 0 }, connectors);
    await issueCampaignCodes(t, c.shop, 'Zima', 5, 1);
    const attempts = async () =>
      (
        await t.db
          .selectFrom('platform_codes')
          .select('attempts')
          .where('connection_id', '=', c.connectionId)
          .executeTakeFirstOrThrow()
      ).attempts;
    f.setDown(true);
    expect(await pushCodes(c.deps, c.shop.id, c.connectionId)).toMatchObject({ failed: 1 });
    expect(await attempts()).toBe(0);
    f.setDown(false);
    f.refuseCodes(true);
    clock.set(new Date(SCENARIO_NOW.getTime() + 3_600_000));
    expect(await pushCodes(c.deps, c.shop.id, c.connectionId)).toMatchObject({ failed: 1 });
    expect(await attempts()).toBe(1);
    clock.set(SCENARIO_NOW);
  });
});

describe('connections where private networks are not allowed (production)', () => {
  it('refuses an API address override before calling anything', async () => {
    const t = await createTestApp({
      connectors: { baselinker: baselinkerConnector as PlatformConnector },
    });
    try {
      const shop = await createTestShop(t);
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/connections',
        headers: bearer(shop.apiKey),
        payload: {
          platform: 'baselinker',
          credentials: { token: 'x'.repeat(40) },
          settings: { apiUrl: 'https://attacker.example/connector.php' },
        },
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json<{ errors: Array<{ path: string }> }>().errors.map((e) => e.path)).toContain(
        'settings.apiUrl',
      );
    } finally {
      await t.close();
    }
  });
});
