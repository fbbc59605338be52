import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';

/**
 * Erasure (RODO art. 17) for imported files' working copies: the rows keyed by one of the
 * person's external ids, or holding any of `named`, lose their data and key; the line and any
 * refusal stay in the import's report.
 */
export async function forgetImportRows(
  tx: Tx,
  shopId: string,
  externalIds: string[],
  named: string[],
): Promise<void> {
  await sql`
    UPDATE import_rows SET data = NULL, key = NULL
    WHERE shop_id = ${shopId} AND (data IS NOT NULL OR key IS NOT NULL)
      AND (key = ANY(${externalIds}::text[])
           OR EXISTS (SELECT 1 FROM unnest(${named}::text[]) v
                      WHERE position(v IN COALESCE(data::text, '') || ' ' || COALESCE(key, '')) > 0))`.execute(
    tx,
  );
}
