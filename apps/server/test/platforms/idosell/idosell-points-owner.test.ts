import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, fixedClock, type TestApp } from '../../support/app.ts';
import { publish } from '../../points/support.ts';
import { connectedShop, pullToEnd, SCENARIO_NOW } from '../platform-scenarios.ts';
import { startFakeIdoSell, type FakeIdoSell } from './fake-idosell.ts';

const MINUTE = 60_000;

describe('IdoSell pointsOwner: who keeps the points', () => {
  let t: TestApp;
  const fakes: FakeIdoSell[] = [];
  beforeAll(async () => {
    t = await createTestApp({
      clock: fixedClock(SCENARIO_NOW),
      config: { platformPrivateNetworks: true },
    });
  });
  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.close()));
    await t?.close();
  });

  /**
   * A shop with a live earning rule, connected to an IdoSell shop with 20 orders of February
   * (backfilled, the merchant asking for points on them) and 5 orders of the last minutes (sync).
   */
  async function importWith(pointsOwner: 'lojal' | 'idosell') {
    const fake = await startFakeIdoSell();
    fakes.push(fake);
    const history = await fake.seedHistory({
      orders: 20,
      from: new Date('2026-02-01T00:00:00Z'),
      to: new Date('2026-02-20T00:00:00Z'),
      refundEvery: 0,
      currency: 'PLN',
    });
    // changed two minutes after placing: inside the sync window that starts 3 minutes back
    const recent = { orders: 5, revenue: 0 };
    for (let i = 0; i < recent.orders; i++) {
      const placed = new Date(SCENARIO_NOW.getTime() - 4 * MINUTE + i * 1000);
      const total = 10_000 + i * 100;
      fake.addOrder({
        serial: 9000 + i,
        added: wall(placed),
        changed: wall(new Date(placed.getTime() + 2 * MINUTE)),
        status: 'finished',
        products: total,
        clientId: 900 + i,
        email: `nowy${i}@example.pl`,
      });
      recent.revenue += total;
    }
    const connection = {
      ...fake.connection,
      settings: { ...(fake.connection.settings as object), pointsOwner },
    };
    const c = await connectedShop(t, { ...fake, connection }, { months: 2, earnPoints: true });
    await publish(t, c.shop, {
      rules: [{ id: 'spend', code: 'spend', args: { pointsPerUnit: 1 } }],
    });
    await pullToEnd(t, c);
    const { rows } = await sql<{
      orders: string;
      revenue: string;
      earned: string;
      history: string;
    }>`
      SELECT (SELECT count(*) FROM orders WHERE shop_id = ${c.shop.id} AND paid_at IS NOT NULL) AS orders,
             (SELECT sum(total) FROM orders WHERE shop_id = ${c.shop.id} AND paid_at IS NOT NULL) AS revenue,
             (SELECT count(*) FROM point_entries WHERE shop_id = ${c.shop.id}) AS earned,
             (SELECT count(*) FROM inbound_events WHERE shop_id = ${c.shop.id}
                 AND headers ? 'x-lojal-history') AS history`.execute(t.db);
    const r = rows[0]!;
    return {
      expected: {
        orders: history.orders + recent.orders,
        revenue: history.revenue + recent.revenue,
      },
      orders: Number(r.orders),
      revenue: Number(r.revenue),
      ledgerEntries: Number(r.earned),
      storedAsHistory: Number(r.history),
    };
  }

  function wall(at: Date): string {
    // the fake's zone-less shop time (Europe/Warsaw is UTC+1 in February and March)
    return new Date(at.getTime() + 60 * MINUTE).toISOString().slice(0, 19).replace('T', ' ');
  }

  it('lojal: the backfill asked for points and the live orders earn them', async () => {
    const r = await importWith('lojal');
    expect({ orders: r.orders, revenue: r.revenue }).toEqual(r.expected);
    expect(r.ledgerEntries).toBe(25);
    expect(r.storedAsHistory).toBe(0);
  });

  it('idosell: every order counts for analytics and tiers, none earns points, not even live ones', async () => {
    const r = await importWith('idosell');
    expect({ orders: r.orders, revenue: r.revenue }).toEqual(r.expected);
    expect(r.ledgerEntries).toBe(0);
    expect(r.storedAsHistory).toBe(25);
    // the customers count (tiers, segments), marked as imported history
    const tiers = await sql<{ n: string }>`
      SELECT count(*) AS n FROM customers c JOIN shops s ON s.id = c.shop_id
      WHERE s.name = 'Sklep idosell' AND c.email LIKE 'nowy%'`.execute(t.db);
    expect(Number(tiers.rows[0]!.n)).toBeGreaterThan(0);
  });
});
