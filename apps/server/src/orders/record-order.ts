import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import type { OrderFacts } from '../ingest/facts.ts';
import { emit, type Tx } from '../events/domain-events.ts';
import { upsertCustomer } from '../customers/upsert-customer.ts';
import { lockOrder, wakeEventsWaitingFor } from './lock-order.ts';

/**
 * Stores an order or merges newer data into it. Order data (amounts, lines, codes) follows the
 * newest source time; paid / cancelled / fulfilled only ever move forward and keep their
 * earliest time, so deliveries in any order end in the same order, and each transition is
 * emitted once.
 */
export async function recordOrder(
  tx: Tx,
  clock: Clock,
  shopId: string,
  facts: OrderFacts,
): Promise<void> {
  await lockOrder(tx, shopId, facts.externalId);
  const customerId = facts.customer
    ? await upsertCustomer(tx, clock, shopId, facts.customer)
    : null;
  const existing = await tx
    .selectFrom('orders')
    .select(['id', 'customer_id', 'paid_at', 'cancelled_at', 'fulfilled_at', 'source_updated_at'])
    .where('shop_id', '=', shopId)
    .where('external_id', '=', facts.externalId)
    .forUpdate()
    .executeTakeFirst();

  const data = {
    email: facts.email,
    currency: facts.currency,
    total: facts.total,
    subtotal: facts.subtotal,
    shipping: facts.shipping,
    tax: facts.tax,
    discount: facts.discount,
    discount_codes: facts.discountCodes,
    placed_at: facts.placedAt,
    source_updated_at: facts.asOf,
  };
  const before = existing ?? { paid_at: null, cancelled_at: null, fulfilled_at: null };
  const milestones = {
    paid_at: earliest(before.paid_at, facts.paidAt),
    cancelled_at: earliest(before.cancelled_at, facts.cancelledAt),
    fulfilled_at: earliest(before.fulfilled_at, facts.fulfilledAt),
  };

  let orderId: string;
  let orderCustomerId: string | null;
  if (!existing) {
    orderId = newId('ord');
    orderCustomerId = customerId;
    await tx
      .insertInto('orders')
      .values({
        shop_id: shopId,
        id: orderId,
        external_id: facts.externalId,
        customer_id: customerId,
        ...data,
        ...milestones,
      })
      .execute();
    await insertLines(tx, shopId, orderId, facts);
  } else {
    orderId = existing.id;
    const newer = !existing.source_updated_at || facts.asOf >= existing.source_updated_at;
    orderCustomerId = newer && customerId ? customerId : existing.customer_id;
    await tx
      .updateTable('orders')
      .set({
        ...(newer && data),
        customer_id: orderCustomerId,
        ...milestones,
        updated_at: clock.now(),
      })
      .where('shop_id', '=', shopId)
      .where('id', '=', orderId)
      .execute();
    if (newer) {
      await tx
        .deleteFrom('order_lines')
        .where('shop_id', '=', shopId)
        .where('order_id', '=', orderId)
        .execute();
      await insertLines(tx, shopId, orderId, facts);
    }
  }

  if (!before.paid_at && milestones.paid_at) {
    await emit(tx, clock, {
      type: 'order.paid',
      shopId,
      orderId,
      customerId: orderCustomerId,
      at: milestones.paid_at,
    });
  }
  if (!before.cancelled_at && milestones.cancelled_at) {
    await emit(tx, clock, {
      type: 'order.cancelled',
      shopId,
      orderId,
      at: milestones.cancelled_at,
    });
  }
  if (!before.fulfilled_at && milestones.fulfilled_at) {
    await emit(tx, clock, {
      type: 'order.fulfilled',
      shopId,
      orderId,
      at: milestones.fulfilled_at,
    });
  }
  if (!existing) await wakeEventsWaitingFor(tx, shopId, facts.externalId);
}

function earliest(current: Date | null, incoming: Date | null): Date | null {
  if (!current) return incoming;
  if (!incoming) return current;
  return incoming < current ? incoming : current;
}

async function insertLines(
  tx: Tx,
  shopId: string,
  orderId: string,
  facts: OrderFacts,
): Promise<void> {
  if (facts.lines.length === 0) return;
  await tx
    .insertInto('order_lines')
    .values(
      facts.lines.map((line, position) => ({
        shop_id: shopId,
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
      })),
    )
    .execute();
}
