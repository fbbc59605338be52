import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { readImportFile } from '../../src/imports/read-import-file.ts';
import { runImport } from '../../src/imports/run-import.ts';
import { importView } from '../../src/imports/import-view.ts';
import { rebuildAnalyticsRollups } from '../../src/analytics/rebuild-analytics-rollups.ts';
import { chunked, expectNoErrors, importText, shopRow } from './support.ts';

const clock = fixedClock('2026-06-01T10:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

/** Every analytics rollup table of a shop, as rows, in key order. */
async function rollups(shopId: string) {
  const out: Record<string, unknown[]> = {};
  for (const [table, order] of [
    ['customer_order_days', 'customer_id, day'],
    ['customer_rollups', 'customer_id'],
    ['cohort_activity', 'cohort_month, month'],
    ['shop_order_days', 'day'],
    ['customer_day_pairs', 'kind, a, b'],
    ['customer_lift_pairs', 'b, a, holdout'],
    ['customer_rfm_values', 'fact, value'],
  ] as const) {
    const { rows } = await sql`SELECT * FROM ${sql.table(table)} WHERE shop_id = ${shopId}
      ORDER BY ${sql.raw(order)}`.execute(t.db);
    out[table] = rows;
  }
  return out;
}

// Orders around Warsaw's day and month boundaries, repeat buyers, a guest, a cancelled order.
function ordersFile(from: number, to: number) {
  const lines = ['order_id,customer_id,email,currency,total,placed_at,cancelled_at'];
  for (let i = from; i < to; i++) {
    const at = new Date(Date.UTC(2025, 0, 31, 22, 30) + i * 7 * 3_600_000).toISOString();
    const customer = i % 9 === 0 ? '' : `k${i % 7}`;
    const email = customer === '' ? `gosc${i}@example.com` : '';
    lines.push(`o${i},${customer},${email},PLN,${1000 + i * 13},${at},${i % 11 === 5 ? at : ''}`);
  }
  return lines.join('\n');
}

describe('the analytics rollups after an orders import', () => {
  it('equal a rebuild whether the import maintained them per batch or deferred them to its end, across a crash', async () => {
    for (const deferRollupsFrom of [Number.MAX_SAFE_INTEGER, 0]) {
      const shop = await createTestShop(t, `Sklep ${deferRollupsFrom}`);
      const customers = ['customer_id,email'];
      for (let i = 0; i < 7; i++) customers.push(`k${i},k${i}@example.com`);
      expectNoErrors(await importText(t, shop.id, 'customers', customers.join('\n')));
      // Orders the platform sent before the import, kept by the triggers as always.
      expectNoErrors(await importText(t, shop.id, 'orders', ordersFile(0, 20)));
      const before = await rollups(shop.id);
      const row = await shopRow(t, shop.id);
      const id = await readImportFile(t.db, t.pool, t.clock, row, {
        kind: 'orders',
        format: 'lojal-csv',
        fileName: 'orders.csv',
        dryRun: false,
        actor: 'test',
        body: chunked(ordersFile(20, 120)),
        maxBytes: 1_000_000,
      });
      await expect(
        runImport(t.db, t.clock, row, id, {
          batchRows: 30,
          crashAfterBatches: 2,
          deferRollupsFrom,
        }),
      ).rejects.toThrow('stopped after 2 batches');
      // Deferred, the committed batches' orders wait for the import's end; else they are in.
      if (deferRollupsFrom === 0) expect(await rollups(shop.id)).toEqual(before);
      else expect(await rollups(shop.id)).not.toEqual(before);
      clock.set(new Date(clock.now().getTime() + 3 * 60_000));
      await runImport(t.db, t.clock, row, id, { batchRows: 30, deferRollupsFrom });
      const report = await importView(t.db, shop.id, id);
      expectNoErrors(report);
      expect(report.changes).toEqual({ 'orders.created': 100 });

      const after = await rollups(shop.id);
      expect(after.customer_rollups!.length).toBe(7);
      await rebuildAnalyticsRollups(t.db, shop.id);
      expect(after).toEqual(await rollups(shop.id));
    }
  });
});
