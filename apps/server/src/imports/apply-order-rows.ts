import { sql } from 'kysely';
import { addChange, type BatchOutcome, type ImportBatch, type RowFailure } from './import-batch.ts';

/** PostgreSQL's foreign_key_violation: an order line whose order another writer took first. */
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Orders with their lines, set-based from the staged rows: an order whose id the shop has in
 * Lojal already is left as it is (the platform's own deliveries keep it current), so a second
 * import adds nothing. Imported orders earn no points and start no flows: they are history,
 * counted by analytics and by tiers measured on spend or orders.
 *
 * One statement per batch: the batch's rows are read and their customers looked up once, and
 * the refused rows (a customer Lojal does not have, or erased), the orders and their lines all
 * come from that one pass.
 */
export async function applyOrderRows(batch: ImportBatch): Promise<BatchOutcome> {
  const { tx } = batch;
  for (let attempt = 1; ; attempt++) {
    await sql`SAVEPOINT import_orders`.execute(tx);
    try {
      const outcome = await insertBatch(batch);
      await sql`RELEASE SAVEPOINT import_orders`.execute(tx);
      return outcome;
    } catch (error) {
      if ((error as { code?: string }).code !== FOREIGN_KEY_VIOLATION || attempt >= 3) throw error;
      // Another writer (the platform's own delivery) inserted one of the batch's orders after
      // this statement's snapshot: its lines named the batch's order id, which was not
      // inserted. Again: the order is there now, so it is left as it is with no lines.
      await sql`ROLLBACK TO SAVEPOINT import_orders`.execute(tx);
    }
  }
}

async function insertBatch(batch: ImportBatch): Promise<BatchOutcome> {
  const { shop, now, tx } = batch;
  // `src` is the batch's rows with their customer and whether the order is there already (in
  // this statement's snapshot). `ON CONFLICT` still covers an order inserted after it; its
  // lines then fail the foreign key and the caller runs the batch's statement again.
  // The lines are taken from `src`, never joined back to the inserted orders: a CTE's rows
  // are unknown to the planner, and such a join was a nested loop of n² comparisons (50,000
  // orders: 1.25 billion, 8 minutes).
  const result = await sql<{ rows: string; orders: string; lines: string; refused: Refused[] }>`
    WITH src AS MATERIALIZED (
      SELECT r.line, r.data AS d, c.id AS customer,
             CASE WHEN NOT (r.data ? 'customerId') THEN NULL
                  WHEN c.id IS NULL THEN 'missing'
                  WHEN c.redacted_at IS NOT NULL THEN 'erased' END AS refused,
             EXISTS (SELECT 1 FROM orders o
                     WHERE o.shop_id = ${shop.id} AND o.external_id = r.data->>'orderId') AS known
      FROM import_rows r
      LEFT JOIN customers c ON c.shop_id = ${shop.id} AND c.external_id = r.data->>'customerId'
      WHERE r.shop_id = ${shop.id} AND r.import_id = ${batch.importId}
        AND r.line > ${batch.from} AND r.line <= ${batch.to} AND r.error IS NULL
    ), ins AS (
      INSERT INTO orders (shop_id, id, external_id, customer_id, email, currency, total, subtotal,
        shipping, discount, discount_codes, placed_at, paid_at, cancelled_at, fulfilled_at,
        created_at, updated_at)
      SELECT ${shop.id}, d->>'lojalId', d->>'orderId', customer, d->>'email', d->>'currency',
             (d->>'total')::bigint, (d->>'subtotal')::bigint, (d->>'shipping')::bigint,
             (d->>'discount')::bigint,
             COALESCE(ARRAY(SELECT jsonb_array_elements_text(d->'discountCodes')), '{}'),
             (d->>'placedAt')::timestamptz, COALESCE(d->>'paidAt', d->>'placedAt')::timestamptz,
             (d->>'cancelledAt')::timestamptz, (d->>'fulfilledAt')::timestamptz, ${now}, ${now}
      FROM src WHERE refused IS NULL AND NOT known
      -- By customer: the (shop, customer, placed_at) index and the customers the foreign key
      -- checks are visited in order, each page once per batch (profiled, one batch each at
      -- about 500,000 orders: 55,000 pages dirtied instead of 79,000, a fifth less WAL).
      ORDER BY customer, d->>'placedAt'
      ON CONFLICT (shop_id, external_id) DO NOTHING
      RETURNING 1
    ), lines AS (
      INSERT INTO order_lines (shop_id, order_id, position, product_id, sku, title, category_ids,
        quantity, unit_price)
      SELECT ${shop.id}, d->>'lojalId', l.n - 1, l.v->>'productId', l.v->>'sku', l.v->>'title',
             '{}', (l.v->>'quantity')::int, (l.v->>'price')::bigint
      FROM src CROSS JOIN LATERAL jsonb_array_elements(COALESCE(d->'lines', '[]')) WITH ORDINALITY AS l(v, n)
      WHERE refused IS NULL AND NOT known
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM src)::text AS rows,
           (SELECT count(*) FROM ins)::text AS orders,
           (SELECT count(*) FROM lines)::text AS lines,
           (SELECT COALESCE(jsonb_agg(jsonb_build_array(line, d->>'customerId', refused)), '[]')
            FROM src WHERE refused IS NOT NULL) AS refused`.execute(tx);
  const row = result.rows[0]!;
  const failed: RowFailure[] = row.refused.map(([line, customer, why]) => ({
    line: Number(line),
    error:
      why === 'erased'
        ? 'customer_id: the customer was erased'
        : `customer_id: no customer "${customer}" (import the customers first)`,
  }));
  const changes: Record<string, number> = {};
  const orders = Number(row.orders);
  addChange(changes, 'orders.created', orders);
  addChange(changes, 'orders.lines', Number(row.lines));
  addChange(changes, 'orders.unchanged', Number(row.rows) - failed.length - orders);
  return { failed, changes };
}

type Refused = [line: number | string, customer: string, why: 'missing' | 'erased'];
