import { sql } from 'kysely';
import { newId } from '../shared/ids.ts';
import {
  addChange,
  loadBatchRows,
  type BatchOutcome,
  type ImportBatch,
  type RowFailure,
} from './import-batch.ts';

/**
 * Refunds of imported (or known) orders: the order must exist, in the refund's currency, and
 * its refunds may not exceed its total. A refund id the order has already is left as it is.
 * Like imported orders, they move no points: the balance imported is the balance after them.
 */
export async function applyRefundRows(batch: ImportBatch): Promise<BatchOutcome> {
  const { tx, shop, now } = batch;
  const failed: RowFailure[] = [];
  const changes: Record<string, number> = {};
  const rows = await loadBatchRows(batch);
  if (rows.length === 0) return { failed, changes };
  const orders = await sql<{
    id: string;
    external_id: string;
    currency: string;
    total: string;
    refunded_amount: string;
  }>`
    SELECT id, external_id, currency, total::text, refunded_amount::text FROM orders
    WHERE shop_id = ${shop.id} AND external_id = ANY(${rows.map((r) => String(r.record.orderId))}::text[])
    FOR UPDATE`.execute(tx);
  const byExternal = new Map(orders.rows.map((o) => [o.external_id, o]));
  const existing = await sql<{ order_id: string; external_id: string }>`
    SELECT order_id, external_id FROM refunds
    WHERE shop_id = ${shop.id} AND order_id = ANY(${orders.rows.map((o) => o.id)}::text[])`.execute(
    tx,
  );
  const known = new Set(existing.rows.map((r) => `${r.order_id}:${r.external_id}`));
  const refunded = new Map(orders.rows.map((o) => [o.id, Number(o.refunded_amount)]));
  const fresh = [];
  for (const { line, record: r } of rows) {
    const order = byExternal.get(String(r.orderId));
    const amount = Number(r.amount);
    if (!order) {
      failed.push({
        line,
        error: `order_id: no order "${String(r.orderId)}" (import the orders first)`,
      });
    } else if (known.has(`${order.id}:${String(r.refundId)}`)) {
      addChange(changes, 'refunds.unchanged', 1);
    } else if (order.currency !== r.currency) {
      failed.push({ line, error: `currency: the order is in ${order.currency}` });
    } else if (refunded.get(order.id)! + amount > Number(order.total)) {
      failed.push({
        line,
        error: `amount: refunds would exceed the order's total of ${order.total} minor units`,
      });
    } else {
      refunded.set(order.id, refunded.get(order.id)! + amount);
      fresh.push({ line, order, r, amount });
    }
  }
  if (fresh.length > 0) {
    await tx
      .insertInto('refunds')
      .values(
        fresh.map(({ order, r, amount }) => ({
          shop_id: shop.id,
          id: newId('rfd'),
          order_id: order.id,
          external_id: String(r.refundId),
          amount,
          currency: order.currency,
          reason: (r.reason as string | undefined) ?? null,
          refunded_at: String(r.refundedAt),
          created_at: now,
        })),
      )
      .execute();
    const touched = [...new Set(fresh.map((f) => f.order.id))];
    await sql`
      UPDATE orders o SET refunded_amount = t.refunded, updated_at = ${now}
      FROM unnest(${touched}::text[], ${touched.map((id) => refunded.get(id)!)}::bigint[]) AS t(id, refunded)
      WHERE o.shop_id = ${shop.id} AND o.id = t.id`.execute(tx);
    addChange(changes, 'refunds.created', fresh.length);
  }
  return { failed, changes };
}
