import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { CONNECTORS } from '../../src/app/connectors.ts';
import type { ConnectionDeps } from '../../src/connections/connection-deps.ts';
import type { Platform } from '../../src/connections/connector.ts';
import { pullConnection } from '../../src/connections/pull-connection.ts';
import { pushCodes } from '../../src/connections/push-codes.ts';
import { codeReadyInPlatform } from '../../src/connections/code-readiness.ts';
import {
  bearer,
  createTestApp,
  createTestShop,
  fixedClock,
  postEvent,
  type TestApp,
} from '../support/app.ts';
import type { FakePlatform } from './fake-platform.ts';
import { publish } from '../points/support.ts';

/** The moment the scenarios run at: history lies before it. */
export const SCENARIO_NOW = new Date('2026-03-02T10:00:00Z');

type Shop = Awaited<ReturnType<typeof createTestShop>>;

/** Lojal with one shop connected to a fresh fake, and the runtime's dependencies for the test. */
export async function connectedShop(
  t: TestApp,
  fake: FakePlatform,
  backfill: { months: number; earnPoints?: boolean },
  connectors: ConnectionDeps['connectors'] = CONNECTORS,
): Promise<{ shop: Shop; connectionId: string; deps: ConnectionDeps }> {
  const shop = await createTestShop(t, `Sklep ${fake.platform}`);
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/connections',
    headers: bearer(shop.apiKey),
    payload: {
      platform: fake.platform,
      credentials: fake.connection.credentials,
      settings: fake.connection.settings,
      backfill: { months: backfill.months, earnPoints: backfill.earnPoints ?? false },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const deps: ConnectionDeps = {
    db: t.db,
    clock: t.clock,
    box: t.box,
    connectors,
    policy: { ports: 'any', privateNetworks: true },
  };
  return { shop, connectionId: res.json<{ id: string }>().id, deps };
}

/** Pulls until the platform has nothing more, then processes everything stored. */
export async function pullToEnd(
  t: TestApp,
  c: { shop: Shop; connectionId: string; deps: ConnectionDeps },
): Promise<{ stored: number; runs: number }> {
  let stored = 0;
  let runs = 0;
  for (;;) {
    const run = await pullConnection(c.deps, c.shop.id, c.connectionId, { pages: 50 });
    stored += run.stored;
    runs++;
    if (!run.more || runs > 200) break;
  }
  await t.processor.drain();
  return { stored, runs };
}

async function lojalCounts(t: TestApp, shopId: string) {
  const { rows } = await sql<{
    orders: string;
    revenue: string | null;
    refunds: string;
    refunded: string | null;
    failed: string;
    points: string;
  }>`
    SELECT (SELECT count(*) FROM orders WHERE shop_id = ${shopId} AND paid_at IS NOT NULL) AS orders,
           (SELECT sum(total) FROM orders WHERE shop_id = ${shopId} AND paid_at IS NOT NULL) AS revenue,
           (SELECT count(*) FROM refunds WHERE shop_id = ${shopId}) AS refunds,
           (SELECT sum(amount) FROM refunds WHERE shop_id = ${shopId}) AS refunded,
           (SELECT count(*) FROM inbound_events WHERE shop_id = ${shopId}
               AND status IN ('failed', 'waiting')) AS failed,
           (SELECT count(*) FROM point_entries WHERE shop_id = ${shopId}) AS points`.execute(t.db);
  const r = rows[0]!;
  return {
    orders: Number(r.orders),
    revenue: Number(r.revenue ?? 0),
    refunds: Number(r.refunds),
    refunded: Number(r.refunded ?? 0),
    failed: Number(r.failed),
    ledgerEntries: Number(r.points),
  };
}

/** A customer with points and a 20 zł reward with a 100 zł minimum basket, redeemed once. */
async function redeemOnce(
  t: TestApp,
  shop: Shop,
  key: string,
): Promise<{ code: string; expiresAt: Date; status: number }> {
  const customer = `scenario-${key}`;
  expect(
    (
      await postEvent(t, shop, {
        type: 'customer.created',
        id: customer,
        data: { id: customer, email: `${customer}@example.com` },
      })
    ).statusCode,
  ).toBe(202);
  await t.processor.drain();
  const reward = await t.app.inject({
    method: 'POST',
    url: '/v1/rewards',
    headers: bearer(shop.apiKey),
    payload: {
      name: `Rabat ${key}`,
      kind: 'fixed_discount',
      amount: 2000,
      minBasket: 10000,
      pointsCost: 100,
    },
  });
  expect(reward.statusCode, reward.body).toBe(201);
  const adjust = await t.app.inject({
    method: 'POST',
    url: `/v1/customers/${customer}/adjustments`,
    headers: bearer(shop.apiKey),
    payload: { points: 500, reason: 'scenario' },
  });
  expect(adjust.statusCode, adjust.body).toBe(201);
  const redeem = () =>
    t.app.inject({
      method: 'POST',
      url: `/v1/customers/${customer}/redemptions`,
      headers: { ...bearer(shop.apiKey), 'idempotency-key': `redeem-${key}` },
      payload: { rewardId: reward.json<{ id: string }>().id },
    });
  const first = await redeem();
  expect(first.statusCode, first.body).toBe(201);
  // The shopper's browser retries: the same redemption, not a second code.
  const again = await redeem();
  expect(again.json()).toEqual(first.json());
  const coupon = first.json<{ coupon: { code: string; expiresAt: string } }>().coupon;
  return { code: coupon.code, expiresAt: new Date(coupon.expiresAt), status: first.statusCode };
}

/**
 * Which scenario a fake is started for: a platform whose real limit would make the 1,000-order
 * backfill slow may lift it there, never in `rate-limit`, which must meet the platform's real
 * (or a faithfully scaled) limit.
 */
export type PlatformScenario = 'backfill' | 'outage' | 'rate-limit' | 'codes';

/**
 * The scenarios, the same for every platform, against its fake: history backfill equals
 * a direct count, an outage loses and doubles nothing, the platform's limit is never passed, a
 * redemption creates exactly one code with the same terms, and a refused code waits as
 * "being prepared" until it succeeds.
 */
export function describePlatformScenarios(
  platform: Platform,
  startFake: (now: Date, scenario: PlatformScenario) => Promise<FakePlatform>,
  connectors: ConnectionDeps['connectors'] = CONNECTORS,
): void {
  describe(`${platform}: the shared platform scenarios`, () => {
    let t: TestApp;
    const clock = fixedClock(SCENARIO_NOW);
    const fakes: FakePlatform[] = [];
    const fake = async (scenario: PlatformScenario) => {
      const f = await startFake(SCENARIO_NOW, scenario);
      fakes.push(f);
      return f;
    };

    beforeAll(async () => {
      t = await createTestApp({ clock, config: { platformPrivateNetworks: true }, connectors });
    });
    afterAll(async () => {
      await Promise.all(fakes.map((f) => f.close()));
      await t?.close();
    });

    it('backfills 1,000 orders with refunds: Lojal counts what the platform counts, and no points', async () => {
      clock.set(SCENARIO_NOW);
      const f = await fake('backfill');
      const direct = await f.seedHistory({
        orders: 1000,
        from: new Date('2025-04-01T00:00:00Z'),
        to: new Date('2026-03-01T00:00:00Z'),
        refundEvery: 10,
        currency: 'PLN',
      });
      expect(direct.orders).toBe(1000);
      const c = await connectedShop(t, f, { months: 12 }, connectors);
      // A live earning rule: history still earns nothing, as the merchant did not ask for it.
      await publish(t, c.shop, {
        rules: [{ id: 'spend', code: 'spend', args: { pointsPerUnit: 1 } }],
      });
      await pullToEnd(t, c);
      const counts = await lojalCounts(t, c.shop.id);
      expect(counts).toMatchObject({
        orders: direct.orders,
        revenue: direct.revenue,
        refunds: direct.refunds,
        refunded: direct.refunded,
        failed: 0,
        ledgerEntries: 0,
      });
      const status = await t.app.inject({
        method: 'GET',
        url: `/v1/connections/${c.connectionId}`,
        headers: bearer(c.shop.apiKey),
      });
      expect(status.json()).toMatchObject({
        state: 'active',
        backfill: { doneAt: expect.any(String) },
      });
      // A second pull of the same history stores nothing new.
      await sql`UPDATE connections SET backfill_done_at = NULL, backfill_cursor = NULL
                WHERE id = ${c.connectionId}`.execute(t.db);
      expect((await pullToEnd(t, c)).stored).toBe(0);
      expect(await lojalCounts(t, c.shop.id)).toEqual(counts);
    });

    it('loses and doubles nothing when the platform is down for 10 minutes', async () => {
      clock.set(SCENARIO_NOW);
      const f = await fake('outage');
      const c = await connectedShop(t, f, { months: 0 }, connectors);
      const direct = await f.seedHistory({
        orders: 30,
        from: new Date(SCENARIO_NOW.getTime() - 60_000),
        to: SCENARIO_NOW,
        refundEvery: 5,
        currency: 'PLN',
      });
      f.setDown(true);
      const failed = await pullConnection(c.deps, c.shop.id, c.connectionId);
      expect(failed.nextAt!.getTime()).toBeGreaterThan(SCENARIO_NOW.getTime());
      const during = await t.app.inject({
        method: 'GET',
        url: `/v1/connections/${c.connectionId}`,
        headers: bearer(c.shop.apiKey),
      });
      expect(during.json()).toMatchObject({ state: 'retrying', errors: [{ direction: 'pull' }] });
      clock.set(new Date(SCENARIO_NOW.getTime() + 10 * 60_000));
      f.setDown(false);
      await pullToEnd(t, c);
      const after = await lojalCounts(t, c.shop.id);
      expect(after).toMatchObject({
        orders: direct.orders,
        revenue: direct.revenue,
        refunds: direct.refunds,
        refunded: direct.refunded,
        failed: 0,
      });
      expect((await pullToEnd(t, c)).stored).toBe(0);
      expect(await lojalCounts(t, c.shop.id)).toEqual(after);
    });

    it('never calls the platform faster than its limit', async () => {
      clock.set(SCENARIO_NOW);
      const f = await fake('rate-limit');
      await f.seedHistory({
        orders: 300,
        from: new Date('2025-12-01T00:00:00Z'),
        to: new Date('2026-03-01T00:00:00Z'),
        refundEvery: 7,
        currency: 'PLN',
      });
      const c = await connectedShop(t, f, { months: 6 }, connectors);
      await pullToEnd(t, c);
      const calls = f.calls();
      expect(calls.length).toBeGreaterThan(1);
      expect(calls.filter((call) => call.status === 429)).toEqual([]);
      const { requests, perMs } = f.rateLimit;
      for (const [i, call] of calls.entries()) {
        const inWindow = calls.filter((x, j) => j >= i && x.at < call.at + perMs).length;
        expect(inWindow).toBeLessThanOrEqual(requests);
      }
    });

    const pushes = connectors[platform]?.pushCodes !== undefined;
    it.runIf(pushes)(
      'a redemption, retried, creates exactly one code there with the same terms',
      async () => {
        clock.set(SCENARIO_NOW);
        const f = await fake('codes');
        const c = await connectedShop(t, f, { months: 0 }, connectors);
        const coupon = await redeemOnce(t, c.shop, 'terms');
        expect(await codeReadyInPlatform(t.db, c.shop.id, coupon.code, 0)).toBe(false);
        const run = await pushCodes(c.deps, c.shop.id, c.connectionId);
        expect(run).toMatchObject({ created: 1, failed: 0 });
        // Run again, as a retried job would: nothing more is created.
        await pushCodes(c.deps, c.shop.id, c.connectionId);
        const codes = f.codes();
        expect(codes).toHaveLength(1);
        expect(codes[0]).toMatchObject({
          code: coupon.code,
          kind: 'fixed',
          amount: 2000,
          minBasket: 10000,
          usageLimit: 1,
          active: true,
        });
        expect(
          Math.abs(codes[0]!.expiresAt!.getTime() - coupon.expiresAt.getTime()),
        ).toBeLessThanOrEqual(86_400_000);
        expect(await codeReadyInPlatform(t.db, c.shop.id, coupon.code, 0)).toBe(true);
      },
    );

    it.runIf(pushes)(
      'a code the platform refuses stays "being prepared" and is created on retry',
      async () => {
        clock.set(SCENARIO_NOW);
        const f = await fake('codes');
        const c = await connectedShop(t, f, { months: 0 }, connectors);
        f.refuseCodes(true);
        const coupon = await redeemOnce(t, c.shop, 'refused');
        const refused = await pushCodes(c.deps, c.shop.id, c.connectionId);
        expect(refused).toMatchObject({ created: 0, failed: 1 });
        expect(f.codes()).toHaveLength(0);
        expect(await codeReadyInPlatform(t.db, c.shop.id, coupon.code, 0)).toBe(false);
        const status = await t.app.inject({
          method: 'GET',
          url: `/v1/connections/${c.connectionId}`,
          headers: bearer(c.shop.apiKey),
        });
        expect(status.json()).toMatchObject({
          push: { codes: { pending: 1, failing: 1 } },
          errors: [{ direction: 'push' }],
        });
        f.refuseCodes(false);
        // Not before its backoff…
        expect(await pushCodes(c.deps, c.shop.id, c.connectionId)).toMatchObject({ created: 0 });
        clock.set(new Date(SCENARIO_NOW.getTime() + 5 * 60_000));
        expect(await pushCodes(c.deps, c.shop.id, c.connectionId)).toMatchObject({ created: 1 });
        expect(f.codes().map((x) => x.code)).toEqual([coupon.code]);
        expect(await codeReadyInPlatform(t.db, c.shop.id, coupon.code, 0)).toBe(true);
      },
    );
  });
}
