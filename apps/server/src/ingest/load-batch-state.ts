import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import type { Command } from './facts.ts';
import { phoneRegionOf } from '../shared/phone.ts';
import { emptyBatchState, type BatchState } from './batch-state.ts';

/**
 * Reads, and locks, every customer and order the commands mention, the refunds already stored
 * for those orders, and what parked events of the shop wait for: one query each.
 */
export async function loadBatchState(
  tx: Tx,
  shopId: string,
  now: Date,
  commands: Command[],
): Promise<BatchState> {
  const shop = await tx
    .selectFrom('shops')
    .select(['locale', 'currency', 'timezone'])
    .where('id', '=', shopId)
    .executeTakeFirst();
  const state = emptyBatchState(
    shopId,
    now,
    shop ? phoneRegionOf(shop) : undefined,
    shop?.locale === 'pl' ? 'pl' : 'en',
  );
  const customerIds = new Set<string>();
  const orderIds = new Set<string>();
  for (const c of commands) {
    if (c.kind === 'customer') customerIds.add(c.customer.externalId);
    if (c.kind === 'redact-customer') customerIds.add(c.externalId);
    if (c.kind === 'data-request') customerIds.add(c.request.customerExternalId);
    if (c.kind === 'activity') customerIds.add(c.activity.customer.externalId);
    if (c.kind === 'order') {
      orderIds.add(c.order.externalId);
      if (c.order.customer) customerIds.add(c.order.customer.externalId);
    }
    if (c.kind === 'refund') orderIds.add(c.refund.orderExternalId);
    if (c.kind === 'cancel' || c.kind === 'fulfil') orderIds.add(c.orderExternalId);
  }
  if (customerIds.size > 0) {
    const rows = await tx
      .selectFrom('customers')
      .selectAll()
      .where('shop_id', '=', shopId)
      .where('external_id', '=', sql<string>`any(${[...customerIds]}::text[])`)
      .forUpdate()
      .execute();
    for (const row of rows) state.customers.set(row.external_id, row);
  }
  if (orderIds.size > 0) {
    const rows = await tx
      .selectFrom('orders')
      .selectAll()
      .where('shop_id', '=', shopId)
      .where('external_id', '=', sql<string>`any(${[...orderIds]}::text[])`)
      .forUpdate()
      .execute();
    for (const row of rows) state.orders.set(row.external_id, row);
    if (rows.length > 0) {
      const refunds = await tx
        .selectFrom('refunds')
        .select(['order_id', 'external_id'])
        .where('shop_id', '=', shopId)
        .where('order_id', '=', sql<string>`any(${rows.map((r) => r.id)}::text[])`)
        .execute();
      for (const r of refunds) state.refundKeys.add(`${r.order_id}|${r.external_id}`);
    }
  }
  const parked = await sql<{ waiting_for: string }>`
    SELECT DISTINCT waiting_for FROM inbound_events
    WHERE shop_id = ${shopId} AND status = 'waiting' AND waiting_for IS NOT NULL`.execute(tx);
  for (const r of parked.rows) state.parked.add(r.waiting_for);
  return state;
}
