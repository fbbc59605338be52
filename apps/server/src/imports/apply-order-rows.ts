import { sql } from 'kysely';
import { addChange, type BatchOutcome, type ImportBatch, type RowFailure } from './import-batch.ts';

/**
 * Orders with their lines, set-based from the staged rows: an order whose id the shop has in
 * Lojal already is left as it is (the platform's own deliveries keep it current), so a second
 * import adds nothing. Imported orders earn no points and start no flows: they are history,
 * counted by analytics and by tiers measured on spend or orders.
 */
export async function applyOrderRows(batch: ImportBatch): Promise<BatchOutcome> {
  const { shop, now, tx } = batch;
  const unknown = await sql<{ line: string; customer: string; erased: boolean }>`
    SELECT r.line, r.data->>'customerId' AS customer, c.redacted_at IS NOT NULL AS erased
    FROM import_rows r
    LEFT JOIN customers c ON c.shop_id = r.shop_id AND c.external_id = r.data->>'customerId'
    WHERE ${inBatch(batch)} AND r.data ? 'customerId' AND (c.id IS NULL OR c.redacted_at IS NOT NULL)`.execute(
    tx,
  );
  const failed: RowFailure[] = unknown.rows.map((r) => ({
    line: Number(r.line),
    error: r.erased
      ? 'customer_id: the customer was erased'
      : `customer_id: no customer "${r.customer}" (import the customers first)`,
  }));
  const skip = failed.map((f) => f.line);
  // Two statements, not one with data-modifying CTEs: a CTE's rows are unknown to the planner
  // (one, it guesses), and matching the inserted orders back to their rows by a nested loop
  // over two CTE scans cost n² comparisons (50,000 orders: 1.25 billion, 8 minutes).
  const inserted = await sql<{ orders: string }>`
    WITH ins AS (
      INSERT INTO orders (shop_id, id, external_id, customer_id, email, currency, total, subtotal,
        shipping, discount, discount_codes, placed_at, paid_at, cancelled_at, fulfilled_at,
        created_at, updated_at)
      SELECT ${shop.id}, d->>'lojalId', d->>'orderId', c.id, d->>'email', d->>'currency',
             (d->>'total')::bigint, (d->>'subtotal')::bigint, (d->>'shipping')::bigint,
             (d->>'discount')::bigint,
             COALESCE(ARRAY(SELECT jsonb_array_elements_text(d->'discountCodes')), '{}'),
             (d->>'placedAt')::timestamptz, COALESCE(d->>'paidAt', d->>'placedAt')::timestamptz,
             (d->>'cancelledAt')::timestamptz, (d->>'fulfilledAt')::timestamptz, ${now}, ${now}
      FROM (SELECT r.data AS d FROM import_rows r
            WHERE ${inBatch(batch)} AND NOT (r.line = ANY(${skip}::bigint[]))) src
      LEFT JOIN customers c ON c.shop_id = ${shop.id} AND c.external_id = d->>'customerId'
      ON CONFLICT (shop_id, external_id) DO NOTHING
      RETURNING 1
    )
    SELECT count(*)::text AS orders FROM ins`.execute(tx);
  // The lines of the orders just inserted: their ids are the rows' own (drawn when the file was
  // read), so an order that was there already (ON CONFLICT) has another id and gets no lines.
  const lines = await sql`
    INSERT INTO order_lines (shop_id, order_id, position, product_id, sku, title, category_ids,
      quantity, unit_price)
    SELECT ${shop.id}, o.id, l.n - 1, l.v->>'productId', l.v->>'sku', l.v->>'title', '{}',
           (l.v->>'quantity')::int, (l.v->>'price')::bigint
    FROM import_rows r
    JOIN orders o ON o.shop_id = ${shop.id} AND o.id = r.data->>'lojalId'
    CROSS JOIN LATERAL jsonb_array_elements(COALESCE(r.data->'lines', '[]')) WITH ORDINALITY AS l(v, n)
    WHERE ${inBatch(batch)} AND NOT (r.line = ANY(${skip}::bigint[]))`.execute(tx);
  const changes: Record<string, number> = {};
  const orders = Number(inserted.rows[0]?.orders ?? 0);
  const rows = await sql<{ n: string }>`
    SELECT count(*)::text AS n FROM import_rows r WHERE ${inBatch(batch)}`.execute(tx);
  addChange(changes, 'orders.created', orders);
  addChange(changes, 'orders.lines', Number(lines.numAffectedRows ?? 0));
  addChange(changes, 'orders.unchanged', Number(rows.rows[0]!.n) - failed.length - orders);
  return { failed, changes };
}

/** The batch's rows not refused when read, as a WHERE clause over import_rows r. */
function inBatch(batch: ImportBatch) {
  return sql`r.shop_id = ${batch.shop.id} AND r.import_id = ${batch.importId}
    AND r.line > ${batch.from} AND r.line <= ${batch.to} AND r.error IS NULL`;
}
