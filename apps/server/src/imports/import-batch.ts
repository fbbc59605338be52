import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import type { ImportRecord } from './import-records.ts';

/** One batch of an import being applied: its lines (from, to] and what applying needs. */
export interface ImportBatch {
  tx: Tx;
  shop: ShopRow;
  importId: string;
  from: number;
  to: number;
  now: Date;
  /** Who the ledger entries and tier assignments name: `import:<id>`. */
  actor: string;
  /** How the ledger and tier history describe it: "import imp_… (smile)". */
  label: string;
}

/** A row refused while applying, with the reason the report shows at its line. */
export interface RowFailure {
  line: number;
  error: string;
}

/** What a batch did: the rows refused and the counts of changes ("customers.created": 3). */
export interface BatchOutcome {
  failed: RowFailure[];
  changes: Record<string, number>;
}

export interface StagedRow {
  line: number;
  record: ImportRecord;
}

/** The batch's rows not refused so far, in line order. */
export async function loadBatchRows(batch: ImportBatch, skip: number[] = []): Promise<StagedRow[]> {
  const rows = await sql<{ line: string | number; data: ImportRecord }>`
    SELECT line, data FROM import_rows
    WHERE shop_id = ${batch.shop.id} AND import_id = ${batch.importId}
      AND line > ${batch.from} AND line <= ${batch.to} AND error IS NULL
      AND NOT (line = ANY(${skip}::bigint[]))
    ORDER BY line`.execute(batch.tx);
  return rows.rows.map((r) => ({ line: Number(r.line), record: r.data }));
}

/** Lojal ids of customers by the shop's own ids (absent: no such customer). */
export async function customerIdsByExternal(
  tx: Tx,
  shopId: string,
  externalIds: string[],
): Promise<Map<string, { id: string; redacted: boolean }>> {
  const out = new Map<string, { id: string; redacted: boolean }>();
  const ids = [...new Set(externalIds)];
  if (ids.length === 0) return out;
  const rows = await sql<{ id: string; external_id: string; redacted: boolean }>`
    SELECT id, external_id, redacted_at IS NOT NULL AS redacted FROM customers
    WHERE shop_id = ${shopId} AND external_id = ANY(${ids}::text[])`.execute(tx);
  for (const r of rows.rows) out.set(r.external_id, { id: r.id, redacted: r.redacted });
  return out;
}

export function addChange(changes: Record<string, number>, name: string, n: number): void {
  if (n !== 0) changes[name] = (changes[name] ?? 0) + n;
}
