import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import type { OrderFacts } from '../ingest/facts.ts';
import { emit, type Tx } from '../events/domain-events.ts';
import { upsertCustomer } from '../customers/upsert-customer.ts';
import { wakeEventsWaitingFor, type ParkedKeys } from './waiting-events.ts';

/**
 * Stores an order or merges newer data into it. Order data (amounts, lines, codes) follows the
 * newest source time; paid / cancelled / fulfilled only ever move forward and keep their
 * earliest time, so deliveries in any order end in the same order, and each transition is
 * emitted once. Callers hold the shop's processing lock (see event-processor.ts).
 */
export async function recordOrder(
  tx: Tx,
  clock: Clock,
  shopId: string,
  facts: OrderFacts,
  parked?: ParkedKeys,
): Promise<void> {
  const customerId = facts.customer
    ? await upsertCustomer(tx, clock, shopId, facts.customer)
    : null;
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
  // Most deliveries bring a new order: try the insert first, merge only when it exists.
  const fresh = await tx
    .insertInto('orders')
    .values({
      shop_id: shopId,
      id: newId('ord'),
      external_id: facts.externalId,
      customer_id: customerId,
      ...data,
      paid_at: facts.paidAt,
      cancelled_at: facts.cancelledAt,
      fulfilled_at: facts.fulfilledAt,
    })
    .onConflict((oc) => oc.columns(['shop_id', 'external_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (fresh) {
    await insertLines(tx, shopId, fresh.id, facts);
    await emitTransitions(tx, clock, shopId, fresh.id, customerId, NOTHING_YET, facts);
    await wakeEventsWaitingFor(tx, shopId, facts.externalId, parked);
    return;
  }

  const existing = await tx
    .selectFrom('orders')
    .select(['id', 'customer_id', 'paid_at', 'cancelled_at', 'fulfilled_at', 'source_updated_at'])
    .where('shop_id', '=', shopId)
    .where('external_id', '=', facts.externalId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const milestones = {
    paid_at: earliest(existing.paid_at, facts.paidAt),
    cancelled_at: earliest(existing.cancelled_at, facts.cancelledAt),
    fulfilled_at: earliest(existing.fulfilled_at, facts.fulfilledAt),
  };
  const newer = !existing.source_updated_at || facts.asOf >= existing.source_updated_at;
  const orderCustomerId = newer && customerId ? customerId : existing.customer_id;
  await tx
    .updateTable('orders')
    .set({
      ...(newer && data),
      customer_id: orderCustomerId,
      ...milestones,
      updated_at: clock.now(),
    })
    .where('shop_id', '=', shopId)
    .where('id', '=', existing.id)
    .execute();
  if (newer) {
    await tx
      .deleteFrom('order_lines')
      .where('shop_id', '=', shopId)
      .where('order_id', '=', existing.id)
      .execute();
    await insertLines(tx, shopId, existing.id, facts);
  }
  await emitTransitions(tx, clock, shopId, existing.id, orderCustomerId, existing, {
    paidAt: milestones.paid_at,
    cancelledAt: milestones.cancelled_at,
    fulfilledAt: milestones.fulfilled_at,
  });
}

type Milestones = { paid_at: Date | null; cancelled_at: Date | null; fulfilled_at: Date | null };
const NOTHING_YET: Milestones = { paid_at: null, cancelled_at: null, fulfilled_at: null };

/** Emits each milestone the order reached with this change, in the order they happen. */
async function emitTransitions(
  tx: Tx,
  clock: Clock,
  shopId: string,
  orderId: string,
  customerId: string | null,
  before: Milestones,
  after: Pick<OrderFacts, 'paidAt' | 'cancelledAt' | 'fulfilledAt'>,
): Promise<void> {
  if (!before.paid_at && after.paidAt) {
    await emit(tx, clock, { type: 'order.paid', shopId, orderId, customerId, at: after.paidAt });
  }
  if (!before.cancelled_at && after.cancelledAt) {
    await emit(tx, clock, { type: 'order.cancelled', shopId, orderId, at: after.cancelledAt });
  }
  if (!before.fulfilled_at && after.fulfilledAt) {
    await emit(tx, clock, { type: 'order.fulfilled', shopId, orderId, at: after.fulfilledAt });
  }
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
