import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacSha256Base64 } from '../../src/shared/secrets.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createShopOver, startServerProcess } from '../support/server-process.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

function shopifyOrder(i: number): string {
  return JSON.stringify({
    id: 880000000000000000 + i,
    admin_graphql_api_id: `gid://shopify/Order/${880000000000000000n + BigInt(i)}`,
    currency: 'PLN',
    total_price: '120.00',
    subtotal_price: '100.00',
    financial_status: 'paid',
    created_at: '2026-11-20T10:00:00+01:00',
    updated_at: '2026-11-20T10:00:00+01:00',
    customer: {
      id: 1,
      admin_graphql_api_id: `gid://shopify/Customer/${770000000000000000n + BigInt(i % 50)}`,
      email: `c${i % 50}@example.pl`,
    },
    line_items: [{ id: i, product_id: 5, quantity: 1, price: '100.00', title: 'Kawa' }],
  });
}

describe('a crash in the middle of a burst of deliveries', () => {
  it('keeps every delivery that got a 2xx, exactly once, and processes it after restart', async () => {
    const first = await startServerProcess(database.url);
    const shop = await createShopOver(first.url);
    const acknowledged = new Set<number>();
    let sent = 0;
    let killed = false;
    const send = async (i: number) => {
      const body = shopifyOrder(i);
      try {
        const res = await fetch(`${first.url}/v1/webhooks/shopify/${shop.id}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-shopify-topic': 'orders/paid',
            'x-shopify-webhook-id': `crash-${i}`,
            'x-shopify-hmac-sha256': hmacSha256Base64(shop.webhookSecret, body),
          },
          body,
        });
        if (res.ok) acknowledged.add(i);
      } catch {
        // the connection died with the server: the sender would retry later
      }
    };
    // 16 senders; the server is killed once 300 deliveries have been sent.
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (sent < 600) {
          const i = sent++;
          if (i === 300 && !killed) {
            killed = true;
            first.child.kill('SIGKILL');
          }
          await send(i);
        }
      }),
    );
    await first.exited;
    expect(acknowledged.size).toBeGreaterThan(100);

    const second = await startServerProcess(database.url);
    try {
      // processing resumes by itself after the restart
      for (let i = 0; i < 200; i++) {
        const { rows } = await database.pool.query(
          "SELECT count(*)::int AS n FROM inbound_events WHERE status = 'pending'",
        );
        if (rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const { rows: events } = await database.pool.query<{ delivery_id: string; status: string }>(
        'SELECT delivery_id, status FROM inbound_events WHERE shop_id = $1',
        [shop.id],
      );
      const stored = new Map(events.map((e) => [e.delivery_id, e.status]));
      expect(events.length).toBe(stored.size); // no delivery stored twice
      for (const i of acknowledged) expect(stored.get(`crash-${i}`)).toBe('processed');
      const { rows: orders } = await database.pool.query<{ external_id: string }>(
        'SELECT external_id FROM orders WHERE shop_id = $1',
        [shop.id],
      );
      const orderIds = new Set(orders.map((o) => o.external_id));
      expect(orderIds.size).toBe(orders.length);
      expect(orders.length).toBe(events.length);
      for (const i of acknowledged)
        expect(orderIds.has(String(880000000000000000n + BigInt(i)))).toBe(true);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 90_000);
});
