import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createShopOver, startServerProcess } from '../support/server-process.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe('SIGTERM', () => {
  it('lets requests in flight finish, stores what it acknowledged, and exits 0', async () => {
    const server = await startServerProcess(database.url);
    const shop = await createShopOver(server.url);
    const statuses: Array<number | 'error'> = [];
    const acknowledged: string[] = [];
    const requests = Array.from({ length: 200 }, async (_, i) => {
      const body = JSON.stringify({
        type: 'customer.created',
        id: `term-${i}`,
        data: { id: `c-${i}`, email: `c${i}@example.pl` },
      });
      try {
        const res = await fetch(`${server.url}/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${shop.apiKey}`, 'content-type': 'application/json' },
          body,
        });
        statuses.push(res.status);
        if (res.status === 202) acknowledged.push(`customer.created:term-${i}`);
      } catch {
        statuses.push('error');
      }
    });
    setTimeout(() => server.child.kill('SIGTERM'), 30);
    await Promise.all(requests);
    const exitCode = await server.exited;
    expect(exitCode, server.output()).toBe(0);

    // Answers are 202 (done before shutting down) or 503 (arrived after it began), or the
    // connection was refused once the listener closed; none of them is lost half-way.
    expect(statuses.every((s) => s === 202 || s === 503 || s === 'error')).toBe(true);
    expect(acknowledged.length).toBeGreaterThan(0);
    const { rows } = await database.pool.query<{ delivery_id: string }>(
      'SELECT delivery_id FROM inbound_events WHERE shop_id = $1',
      [shop.id],
    );
    const stored = new Set(rows.map((r) => r.delivery_id));
    for (const id of acknowledged) expect(stored.has(id)).toBe(true);
    expect(server.output()).not.toMatch(/"level":50/); // no error logged
  }, 60_000);
});
