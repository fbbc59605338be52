import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import type { BatchState } from './batch-state.ts';

const CHUNK = 1000; // rows per statement, well under PostgreSQL's 65,535 parameters

/**
 * Writes what a batch changed, a handful of statements whatever its size: customers and orders
 * as upserts of whole rows, replaced lines, new refunds, redactions, and wakes the parked
 * events whose order has now arrived.
 */
export async function saveBatchState(tx: Tx, state: BatchState): Promise<void> {
  const customers = [...state.customers.values()].filter((c) => state.dirtyCustomers.has(c.id));
  for (const rows of chunks(customers)) {
    await tx
      .insertInto('customers')
      .values(rows.map((c) => ({ ...c, field_times: JSON.stringify(c.field_times) })))
      .onConflict((oc) =>
        oc.columns(['shop_id', 'id']).doUpdateSet((eb) => ({
          email: eb.ref('excluded.email'),
          phone: eb.ref('excluded.phone'),
          first_name: eb.ref('excluded.first_name'),
          last_name: eb.ref('excluded.last_name'),
          birthday: eb.ref('excluded.birthday'),
          accepts_email_marketing: eb.ref('excluded.accepts_email_marketing'),
          accepts_sms_marketing: eb.ref('excluded.accepts_sms_marketing'),
          tags: eb.ref('excluded.tags'),
          field_times: eb.ref('excluded.field_times'),
          source_updated_at: eb.ref('excluded.source_updated_at'),
          redacted_at: eb.ref('excluded.redacted_at'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }

  const orders = [...state.orders.values()].filter((o) => state.dirtyOrders.has(o.id));
  for (const rows of chunks(orders)) {
    await tx
      .insertInto('orders')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['shop_id', 'id']).doUpdateSet((eb) => ({
          customer_id: eb.ref('excluded.customer_id'),
          email: eb.ref('excluded.email'),
          currency: eb.ref('excluded.currency'),
          total: eb.ref('excluded.total'),
          subtotal: eb.ref('excluded.subtotal'),
          shipping: eb.ref('excluded.shipping'),
          tax: eb.ref('excluded.tax'),
          discount: eb.ref('excluded.discount'),
          discount_codes: eb.ref('excluded.discount_codes'),
          refunded_amount: eb.ref('excluded.refunded_amount'),
          placed_at: eb.ref('excluded.placed_at'),
          paid_at: eb.ref('excluded.paid_at'),
          cancelled_at: eb.ref('excluded.cancelled_at'),
          fulfilled_at: eb.ref('excluded.fulfilled_at'),
          shipping_address: eb.ref('excluded.shipping_address'),
          customer_locale: eb.ref('excluded.customer_locale'),
          source_updated_at: eb.ref('excluded.source_updated_at'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }

  if (state.newLines.size > 0) {
    await tx
      .deleteFrom('order_lines')
      .where('shop_id', '=', state.shopId)
      .where('order_id', '=', sql<string>`any(${[...state.newLines.keys()]}::text[])`)
      .execute();
    const lines = [...state.newLines].flatMap(([orderId, facts]) =>
      facts.map((line, position) => ({
        shop_id: state.shopId,
        order_id: orderId,
        position,
        external_id: line.externalId,
        product_id: line.productId,
        variant_id: line.variantId,
        sku: line.sku,
        title: line.title,
        category_ids: line.categoryIds,
        quantity: line.quantity,
        unit_price: line.unitPrice,
        properties: line.properties ? JSON.stringify(line.properties) : null,
      })),
    );
    for (const rows of chunks(lines)) await tx.insertInto('order_lines').values(rows).execute();
  }

  for (const rows of chunks(state.newRefunds)) {
    await tx
      .insertInto('refunds')
      .values(
        rows.map((r) => ({
          shop_id: state.shopId,
          id: r.id,
          order_id: r.orderId,
          external_id: r.externalId,
          amount: r.amount,
          currency: r.currency,
          reason: r.reason,
          refunded_at: r.refundedAt,
        })),
      )
      .execute();
  }

  for (const rows of chunks([...state.products.values()])) {
    await tx
      .insertInto('products')
      .values(
        rows.map((p) => ({
          shop_id: state.shopId,
          external_id: p.externalId,
          name: p.name,
          url: p.url,
          image_url: p.imageUrl,
          price: p.price,
          currency: p.currency,
          category_ids: p.categoryIds,
          active: p.active,
          source_updated_at: p.asOf,
          updated_at: state.now,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['shop_id', 'external_id'])
          .doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            url: eb.ref('excluded.url'),
            image_url: eb.ref('excluded.image_url'),
            price: eb.ref('excluded.price'),
            currency: eb.ref('excluded.currency'),
            category_ids: eb.ref('excluded.category_ids'),
            active: eb.ref('excluded.active'),
            source_updated_at: eb.ref('excluded.source_updated_at'),
            updated_at: eb.ref('excluded.updated_at'),
          }))
          .where('products.source_updated_at', '<=', (eb) => eb.ref('excluded.source_updated_at')),
      )
      .execute();
  }

  for (const rows of chunks(state.newActivities)) {
    await tx
      .insertInto('customer_activities')
      .values(
        rows.map((a) => ({
          shop_id: state.shopId,
          id: a.id,
          customer_id: a.customerId,
          type: a.type,
          external_id: a.externalId,
          data: JSON.stringify(a.data),
          occurred_at: a.occurredAt,
          created_at: state.now,
        })),
      )
      .execute();
  }

  for (const rows of chunks(state.newTasks)) {
    await tx
      .insertInto('customer_tasks')
      .values(
        rows.map((t) => ({
          shop_id: state.shopId,
          id: t.id,
          customer_id: t.customerId,
          title: t.title,
          due_at: t.dueAt,
          source: t.source,
          created_by: t.source,
          created_at: state.now,
        })),
      )
      .execute();
  }

  if (orders.length > 0) {
    // An order of a customer erased earlier never keeps an e-mail, whatever the delivery said.
    await sql`
      UPDATE orders o SET email = NULL, shipping_address = NULL FROM customers c
      WHERE o.shop_id = ${state.shopId} AND o.id = ANY(${orders.map((o) => o.id)}::text[])
        AND (o.email IS NOT NULL OR o.shipping_address IS NOT NULL)
        AND c.shop_id = o.shop_id AND c.id = o.customer_id AND c.redacted_at IS NOT NULL`.execute(
      tx,
    );
  }

  if (state.redacted.size > 0) {
    const redacted = sql<string>`any(${[...state.redacted]}::text[])`;
    await tx
      .updateTable('orders')
      .set({ email: null, shipping_address: null })
      .where('shop_id', '=', state.shopId)
      .where('customer_id', '=', redacted)
      .execute();
    // What the customer wrote for the referral programme goes too.
    await tx
      .deleteFrom('referral_share_messages')
      .where('shop_id', '=', state.shopId)
      .where('customer_id', '=', redacted)
      .execute();
    await tx
      .updateTable('referrals')
      .set({ thank_you_note: null })
      .where('shop_id', '=', state.shopId)
      .where('friend_customer_id', '=', redacted)
      .execute();
  }

  const wake = [...state.woken].filter((key) => state.parked.has(key));
  if (wake.length > 0) {
    await tx
      .updateTable('inbound_events')
      .set({ status: 'pending', waiting_for: null })
      .where('shop_id', '=', state.shopId)
      .where('status', '=', 'waiting')
      .where('waiting_for', '=', sql<string>`any(${wake}::text[])`)
      .execute();
  }
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Erasure reaches the raw log too: deliveries already handled that mention an erased e-mail or
 * phone number keep their metadata but lose their body. Pending deliveries are left to be
 * processed (and then redacted on their way in).
 */
export async function scrubErasedFromRawEvents(tx: Tx, state: BatchState): Promise<void> {
  for (const value of state.erased) {
    await sql`
      UPDATE inbound_events SET body = convert_to('{"redacted":true}', 'UTF8')
      WHERE shop_id = ${state.shopId} AND status IN ('processed', 'ignored', 'failed')
        AND position(convert_to(${value}::text, 'UTF8') IN body) > 0`.execute(tx);
  }
}
