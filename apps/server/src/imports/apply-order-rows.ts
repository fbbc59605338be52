import { sql } from 'kysely';
import { addChange, type BatchOutcome, type ImportBatch, type RowFailure } from './import-batch.ts';

/**
 * Orders with their lines, set-based from the staged rows: an order whose id the shop has in
 * Lojal already is left as it is (the platform's own deliveries keep it current), so a second
 * import adds nothing. Imported orders earn no points and start no flows: they are history,
 * counted by analytics and by tiers measured on spend or orders.
 */
export async function applyOrderRows(batch: ImportBatch): Promise<BatchOutcome> {
  const { shop, importId, from, to, now, tx } = batch;
  const unknown = await sql<{ line: string; customer: string; erased: boolean }>`
    SELECT r.line, r.data->>'customerId' AS customer, c.redacted_at IS NOT NULL AS erased
    FROM import_rows r
    LEFT JOIN customers c ON c.shop_id = r.shop_id AND c.external_id = r.data->>'customerId'
    WHERE r.shop_id = ${shop.id} AND r.import_id = ${importId} AND r.line > ${from} AND r.line <= ${to}
      AND r.error IS NULL AND r.data ? 'customerId' AND (c.id IS NULL OR c.redacted_at IS NOT NULL)`.execute(
    tx,
  );
  const failed: RowFailure[] = unknown.rows.map((r) => ({
    line: Number(r.line),
    error: r.erased
      ? 'customer_id: the customer was erased'
      : `customer_id: no customer "${r.customer}" (import the customers first)`,
  }));
  const skip = failed.map((f) => f.line);
  const inserted = await sql<{ orders: string; lines: string }>`
    WITH src AS (
      SELECT r.line, r.data AS d, c.id AS customer_id
      FROM import_rows r
      LEFT JOIN customers c ON c.shop_id = r.shop_id AND c.external_id = r.data->>'customerId'
      WHERE r.shop_id = ${shop.id} AND r.import_id = ${importId} AND r.line > ${from} AND r.line <= ${to}
        AND r.error IS NULL AND NOT (r.line = ANY(${skip}::bigint[]))
    ), ins AS (
      INSERT INTO orders (shop_id, id, external_id, customer_id, email, currency, total, subtotal,
        shipping, discount, discount_codes, placed_at, paid_at, cancelled_at, fulfilled_at,
        created_at, updated_at)
      SELECT ${shop.id}, d->>'lojalId', d->>'orderId', customer_id, d->>'email', d->>'currency',
             (d->>'total')::bigint, (d->>'subtotal')::bigint, (d->>'shipping')::bigint,
             (d->>'discount')::bigint,
             COALESCE(ARRAY(SELECT jsonb_array_elements_text(d->'discountCodes')), '{}'),
             (d->>'placedAt')::timestamptz, COALESCE(d->>'paidAt', d->>'placedAt')::timestamptz,
             (d->>'cancelledAt')::timestamptz, (d->>'fulfilledAt')::timestamptz, ${now}, ${now}
      FROM src
      ON CONFLICT (shop_id, external_id) DO NOTHING
      RETURNING id
    ), lines AS (
      INSERT INTO order_lines (shop_id, order_id, position, product_id, sku, title, category_ids,
        quantity, unit_price)
      SELECT ${shop.id}, o.id, l.n - 1, l.v->>'productId', l.v->>'sku', l.v->>'title', '{}',
             (l.v->>'quantity')::int, (l.v->>'price')::bigint
      FROM (SELECT d->>'lojalId' AS id, d FROM src WHERE d->>'lojalId' IN (SELECT id FROM ins)) AS o
      CROSS JOIN LATERAL jsonb_array_elements(COALESCE(o.d->'lines', '[]')) WITH ORDINALITY AS l(v, n)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM ins)::text AS orders, (SELECT count(*) FROM lines)::text AS lines`.execute(
    tx,
  );
  const changes: Record<string, number> = {};
  const orders = Number(inserted.rows[0]?.orders ?? 0);
  const rows = await sql<{ n: string }>`
    SELECT count(*)::text AS n FROM import_rows
    WHERE shop_id = ${shop.id} AND import_id = ${importId} AND line > ${from} AND line <= ${to}
      AND error IS NULL`.execute(tx);
  addChange(changes, 'orders.created', orders);
  addChange(changes, 'orders.lines', Number(inserted.rows[0]?.lines ?? 0));
  addChange(changes, 'orders.unchanged', Number(rows.rows[0]!.n) - failed.length - orders);
  return { failed, changes };
}
