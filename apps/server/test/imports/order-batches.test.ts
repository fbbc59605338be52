import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { readImportFile } from '../../src/imports/read-import-file.ts';
import { runImport } from '../../src/imports/run-import.ts';
import { importView } from '../../src/imports/import-view.ts';
import {
  chunked,
  errorsByLine,
  expectNoErrors,
  importText,
  shopRow,
  tableCounts,
} from './support.ts';

const clock = fixedClock('2026-06-01T10:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

/** Orders o0… of customers k0–k4, every 7th of "nobody", every 11th of the erased k9; two lines each. */
function ordersFile(n: number) {
  const rows = ['order_id,customer_id,currency,total,placed_at,lines'];
  for (let i = 0; i < n; i++) {
    const customer = i % 7 === 3 ? 'nobody' : i % 11 === 6 ? 'k9' : `k${i % 5}`;
    const lines = `"[{""productId"":""p${i}"",""quantity"":1,""price"":100},{""productId"":""q"",""quantity"":2,""price"":${i}}]"`;
    rows.push(`o${i},${customer},PLN,${100 + 2 * i},2025-03-01T10:00:00Z,${lines}`);
  }
  return rows.join('\n');
}

async function newShopWithCustomers(name: string) {
  const shop = await createTestShop(t, name);
  const customers = ['customer_id,email'];
  for (const id of ['k0', 'k1', 'k2', 'k3', 'k4', 'k9']) customers.push(`${id},${id}@example.com`);
  expectNoErrors(await importText(t, shop.id, 'customers', customers.join('\n')));
  await sql`UPDATE customers SET redacted_at = ${clock.now()}
    WHERE shop_id = ${shop.id} AND external_id = 'k9'`.execute(t.db);
  return shop;
}

async function readOrders(shopId: string, text: string) {
  return readImportFile(t.db, t.pool, t.clock, await shopRow(t, shopId), {
    kind: 'orders',
    format: 'lojal-csv',
    fileName: 'orders.csv',
    dryRun: false,
    actor: 'test',
    body: chunked(text),
    maxBytes: 1_000_000,
  });
}

/** Each imported order with the number of its lines, by the shop's order id. */
async function ordersWithLines(shopId: string) {
  const { rows } = await sql<{ external_id: string; lines: number; customer: string | null }>`
    SELECT o.external_id, count(l.position)::int AS lines, c.external_id AS customer
    FROM orders o
    LEFT JOIN order_lines l ON l.shop_id = o.shop_id AND l.order_id = o.id
    LEFT JOIN customers c ON c.shop_id = o.shop_id AND c.id = o.customer_id
    WHERE o.shop_id = ${shopId} GROUP BY o.external_id, c.external_id`.execute(t.db);
  return new Map(rows.map((r) => [r.external_id, { lines: r.lines, customer: r.customer }]));
}

describe('orders applied in batches', () => {
  it('refuse each row of an unknown or erased customer at its line, and a crash between batches applies every other row once', async () => {
    const shop = await newShopWithCustomers('Sklep w partiach');
    const n = 60;
    const refused = new Map<number, string>();
    for (let i = 0; i < n; i++) {
      // The header is line 1: order i is on line i + 2.
      if (i % 7 === 3)
        refused.set(i + 2, 'customer_id: no customer "nobody" (import the customers first)');
      else if (i % 11 === 6) refused.set(i + 2, 'customer_id: the customer was erased');
    }
    const row = await shopRow(t, shop.id);
    const id = await readOrders(shop.id, ordersFile(n));
    await expect(
      runImport(t.db, t.clock, row, id, { batchRows: 13, crashAfterBatches: 2 }),
    ).rejects.toThrow('stopped after 2 batches');
    expect((await importView(t.db, shop.id, id)).status).toBe('running');
    clock.set(new Date(clock.now().getTime() + 3 * 60_000));
    await runImport(t.db, t.clock, row, id, { batchRows: 13 });

    const report = await importView(t.db, shop.id, id);
    expect(report.status).toBe('done');
    expect(errorsByLine(report)).toEqual(refused);
    const created = n - refused.size;
    expect(report.progress).toMatchObject({ rowsApplied: created, rowsFailed: refused.size });
    expect(report.changes).toEqual({ 'orders.created': created, 'orders.lines': 2 * created });
    const orders = await ordersWithLines(shop.id);
    expect(orders.size).toBe(created);
    for (let i = 0; i < n; i++) {
      if (refused.has(i + 2)) expect(orders.has(`o${i}`)).toBe(false);
      else expect(orders.get(`o${i}`)).toEqual({ lines: 2, customer: `k${i % 5}` });
    }

    // The same rows in another file: nothing changes, the same rows are refused.
    const before = await tableCounts(t, shop.id);
    const again = await importText(t, shop.id, 'orders', `${ordersFile(n)}\n`, {
      run: { batchRows: 13 },
    });
    expect(again.changes).toEqual({ 'orders.unchanged': created });
    expect(errorsByLine(again)).toEqual(refused);
    expect(await tableCounts(t, shop.id)).toEqual(before);
  });

  it('leave an order another writer inserts while the batch runs as that writer made it, without lines', async () => {
    const shop = await newShopWithCustomers('Sklep z wyścigiem');
    const id = await readOrders(shop.id, ordersFile(3));
    const k0 = await t.db
      .selectFrom('customers')
      .select('id')
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', 'k0')
      .executeTakeFirstOrThrow();
    // The platform's own delivery of o0 is being written when the batch starts.
    const other = await t.pool.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        `INSERT INTO orders (shop_id, id, external_id, customer_id, currency, total, placed_at)
         VALUES ($1, 'ord_from_platform', 'o0', $2, 'PLN', 777, '2025-03-01T09:00:00Z')`,
        [shop.id, k0.id],
      );
      const running = runImport(t.db, t.clock, await shopRow(t, shop.id), id);
      // The batch's insert of o0 waits for the other writer's transaction…
      for (let waited = 0; ; waited++) {
        const { rows } = await other.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event = 'transactionid'`,
        );
        if (rows[0]!.n > 0) break;
        if (waited > 200) throw new Error('the batch never waited for the other writer');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      // …which commits first.
      await other.query('COMMIT');
      await running;
    } finally {
      other.release();
    }
    const report = await importView(t.db, shop.id, id);
    expectNoErrors(report);
    expect(report.changes).toEqual({
      'orders.created': 2,
      'orders.lines': 4,
      'orders.unchanged': 1,
    });
    const o0 = await t.db
      .selectFrom('orders')
      .select(['id', 'total'])
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', 'o0')
      .executeTakeFirstOrThrow();
    expect(o0).toEqual({ id: 'ord_from_platform', total: 777 });
    const orders = await ordersWithLines(shop.id);
    expect(orders.get('o0')).toEqual({ lines: 0, customer: 'k0' });
    for (const i of [1, 2]) expect(orders.get(`o${i}`)).toMatchObject({ lines: 2 });
  });
});
