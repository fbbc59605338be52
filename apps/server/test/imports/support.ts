import { Readable } from 'node:stream';
import { expect } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { readImportFile } from '../../src/imports/read-import-file.ts';
import { runImport, type RunOptions } from '../../src/imports/run-import.ts';
import { importView } from '../../src/imports/import-view.ts';
import type { ImportKind } from '../../src/imports/import-records.ts';
import type { ImportFormat } from '../../src/imports/import-formats.ts';

/** A file's text in small chunks, as an upload arrives (records split across chunks). */
export function chunked(text: string, size = 97): Readable {
  const parts: Buffer[] = [];
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
}

export async function shopRow(t: TestApp, shopId: string) {
  return t.db.selectFrom('shops').selectAll().where('id', '=', shopId).executeTakeFirstOrThrow();
}

/** Reads and applies a file through the use cases (the CLI's path); returns the report. */
export async function importText(
  t: TestApp,
  shopId: string,
  kind: ImportKind,
  text: string,
  options: { format?: ImportFormat; dryRun?: boolean; run?: RunOptions } = {},
) {
  const shop = await shopRow(t, shopId);
  const id = await readImportFile(t.db, t.pool, t.clock, shop, {
    kind,
    format: options.format ?? 'lojal-csv',
    fileName: `${kind}.csv`,
    dryRun: options.dryRun ?? false,
    actor: 'test',
    body: chunked(text),
    maxBytes: 10_000_000,
  });
  await runImport(t.db, t.clock, shop, id, options.run);
  return importView(t.db, shopId, id);
}

/** The errors of a report by line. */
export function errorsByLine(report: { errors: Array<{ line: number; message: string }> }) {
  return new Map(report.errors.map((e) => [e.line, e.message]));
}

/** Every table row count an import may touch, to show that something changed nothing. */
export async function tableCounts(t: TestApp, shopId: string) {
  const counts: Record<string, number> = {};
  for (const table of [
    'customers',
    'orders',
    'order_lines',
    'refunds',
    'point_entries',
    'point_lots',
    'customer_tiers',
    'referral_codes',
    'coupons',
    'gift_cards',
    'consent_events',
  ] as const) {
    const row = await t.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('shop_id', '=', shopId)
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  const updated = await t.db
    .selectFrom('customers')
    .select((eb) => eb.fn.max('updated_at').as('at'))
    .where('shop_id', '=', shopId)
    .executeTakeFirstOrThrow();
  counts.customersUpdatedAt = updated.at ? new Date(updated.at).getTime() : 0;
  return counts;
}

export function expectNoErrors(report: { errors: unknown[]; status: string }) {
  expect(report.errors).toEqual([]);
  expect(report.status).toBe('done');
}
