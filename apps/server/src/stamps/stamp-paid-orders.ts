import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import type { DomainEvent, Reaction } from '../events/domain-events.ts';
import { addStamps, type StampRequest } from './add-stamps.ts';
import { stampsForOrder, type OrderForStamps } from './stamp-card.ts';

/**
 * Paid orders stamp the shop's active order and product cards, in the ingestion transaction and
 * in bulk: the orders, their lines and the cards are read in a few statements for the whole
 * batch. An order stamps each card once: (card, order) is claimed in stamp_order_awards first,
 * so a redelivered or replayed order finds its claim and stamps nothing.
 */
export async function stampPaidOrders(tx: Tx, events: DomainEvent[]): Promise<void> {
  const paid = events.filter((e) => e.type === 'order.paid' && e.customerId !== null);
  if (paid.length === 0) return;
  const shopId = paid[0]!.shopId;
  const programmes = await tx
    .selectFrom('stamp_programmes')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('active', '=', true)
    .where('earn_by', 'in', ['order', 'product'])
    .orderBy('id')
    .execute();
  if (programmes.length === 0) return;

  const orders = await loadOrders(
    tx,
    shopId,
    paid.map((e) => (e as { orderId: string }).orderId),
  );
  const wanted: StampRequest[] = [];
  for (const event of paid) {
    const order = orders.get((event as { orderId: string }).orderId);
    if (!order) continue;
    for (const programme of programmes) {
      const count = stampsForOrder(
        {
          earnBy: programme.earn_by,
          productIds: programme.product_ids,
          categoryIds: programme.category_ids,
          minOrder: programme.min_order,
        },
        order,
      );
      if (count > 0) {
        wanted.push({
          programme,
          customerId: order.customerId,
          count,
          at: order.paidAt,
          source: 'order',
          orderId: order.id,
        });
      }
    }
  }
  if (wanted.length === 0) return;

  const claimed = await sql<{ programme_id: string; order_id: string }>`
    INSERT INTO stamp_order_awards (shop_id, programme_id, order_id, customer_id, earned, given, created_at)
    SELECT ${shopId}, t.p, t.o, t.c, t.n, 0, t.at
    FROM unnest(${wanted.map((w) => w.programme.id)}::text[], ${wanted.map((w) => w.orderId!)}::text[],
                ${wanted.map((w) => w.customerId)}::text[], ${wanted.map((w) => w.count)}::int[],
                ${wanted.map((w) => w.at.toISOString())}::timestamptz[]) AS t(p, o, c, n, at)
    ON CONFLICT DO NOTHING
    RETURNING programme_id, order_id`.execute(tx);
  const fresh = new Set(claimed.rows.map((r) => `${r.programme_id}|${r.order_id}`));
  const requests = wanted.filter((w) => fresh.has(`${w.programme.id}|${w.orderId}`));
  if (requests.length === 0) return;

  const shop = await tx
    .selectFrom('shops')
    .select(['id', 'timezone', 'currency'])
    .where('id', '=', shopId)
    .executeTakeFirstOrThrow();
  const outcomes = await addStamps(tx, shop, requests);
  // What the daily limit let through, so a customer can be told why an order gave fewer.
  await sql`
    UPDATE stamp_order_awards a SET given = t.given
    FROM unnest(${requests.map((r) => r.programme.id)}::text[], ${requests.map((r) => r.orderId!)}::text[],
                ${outcomes.map((o) => o.given)}::int[]) AS t(p, o, given)
    WHERE a.shop_id = ${shopId} AND a.programme_id = t.p AND a.order_id = t.o`.execute(tx);
}

async function loadOrders(tx: Tx, shopId: string, orderIds: string[]) {
  const rows = await tx
    .selectFrom('orders')
    .select(['id', 'customer_id', 'total', 'subtotal', 'shipping', 'tax', 'paid_at'])
    .where('shop_id', '=', shopId)
    .where('id', '=', sql<string>`any(${orderIds}::text[])`)
    .where('customer_id', 'is not', null)
    .where('paid_at', 'is not', null)
    .where('cancelled_at', 'is', null)
    .execute();
  const lines = await tx
    .selectFrom('order_lines')
    .select(['order_id', 'product_id', 'category_ids', 'quantity'])
    .where('shop_id', '=', shopId)
    .where('order_id', '=', sql<string>`any(${rows.map((r) => r.id)}::text[])`)
    .execute();
  const out = new Map<string, OrderForStamps & { id: string; customerId: string; paidAt: Date }>();
  for (const r of rows) {
    out.set(r.id, {
      id: r.id,
      customerId: r.customer_id!,
      paidAt: r.paid_at!,
      total: r.total,
      subtotal: r.subtotal,
      shipping: r.shipping,
      tax: r.tax,
      lines: [],
    });
  }
  for (const l of lines) {
    out.get(l.order_id)?.lines.push({
      productId: l.product_id,
      categoryIds: l.category_ids,
      quantity: l.quantity,
    });
  }
  return out;
}

export const stampsReaction: Reaction = {
  name: 'stamps',
  on: ['order.paid'],
  react: (tx, _clock, events) => stampPaidOrders(tx, events),
};
