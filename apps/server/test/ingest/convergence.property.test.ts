import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { apiEventDelivery, type ApiEvent } from '../../src/ingest/api-event.ts';
import { InboxWriter } from '../../src/ingest/inbox-writer.ts';
import { createTestApp, createTestShop, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const BASE = Date.UTC(2026, 10, 1);
const at = (minute: number) => new Date(BASE + minute * 60_000).toISOString();

/** A shop's history: every event has its own time, as a platform's would. */
const historyArb = fc
  .record({
    customerUpdates: fc.array(
      fc.record({
        customer: fc.constantFrom('c1', 'c2'),
        email: fc.option(fc.constantFrom('a@example.pl', 'b@example.pl', 'c@example.pl'), {
          nil: undefined,
        }),
        firstName: fc.option(fc.constantFrom('Ala', 'Ola', 'Ela'), { nil: undefined }),
      }),
      { maxLength: 4 },
    ),
    orderVersions: fc.array(
      fc.record({
        order: fc.constantFrom('o1', 'o2', 'o3'),
        total: fc.integer({ min: 100, max: 50_000 }),
        guest: fc.boolean(),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    refunds: fc.array(
      fc.record({
        order: fc.constantFrom('o1', 'o2', 'o3'),
        amount: fc.integer({ min: 1, max: 5000 }),
      }),
      {
        maxLength: 3,
      },
    ),
    cancels: fc.subarray(['o1', 'o2', 'o3']),
    fulfils: fc.subarray(['o1', 'o2', 'o3']),
  })
  .chain((h) => {
    const count =
      h.customerUpdates.length +
      h.orderVersions.length +
      h.refunds.length +
      h.cancels.length +
      h.fulfils.length;
    return fc
      .uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: count, maxLength: count })
      .map((minutes) => toEvents(h, minutes));
  });

function toEvents(
  h: {
    customerUpdates: { customer: string; email?: string; firstName?: string }[];
    orderVersions: { order: string; total: number; guest: boolean }[];
    refunds: { order: string; amount: number }[];
    cancels: string[];
    fulfils: string[];
  },
  minutes: number[],
): ApiEvent[] {
  let k = 0;
  const next = () => at(minutes[k++]!);
  const events: ApiEvent[] = [];
  h.customerUpdates.forEach((u, i) =>
    events.push({
      type: 'customer.updated',
      id: `cu${i}`,
      occurredAt: next(),
      data: { id: u.customer, email: u.email, firstName: u.firstName },
    }),
  );
  // an order keeps its customer (or lack of one) across versions
  const guestOrder = new Map<string, boolean>();
  h.orderVersions.forEach((v, i) => {
    const guest = guestOrder.get(v.order) ?? v.guest;
    guestOrder.set(v.order, guest);
    events.push({
      type: 'order.paid',
      id: `ov${i}`,
      occurredAt: next(),
      data: {
        id: v.order,
        customer: guest ? null : { id: v.order === 'o1' ? 'c1' : 'c2' },
        currency: 'PLN',
        total: v.total,
        lines: [{ productId: `p-${v.total % 7}`, quantity: 1 + (v.total % 3), price: v.total }],
        createdAt: at(0),
      },
    });
  });
  h.refunds.forEach((r, i) =>
    events.push({
      type: 'order.refunded',
      id: `r${i}`,
      occurredAt: next(),
      data: { orderId: r.order, refundId: `r${i}`, amount: r.amount, currency: 'PLN' },
    }),
  );
  h.cancels.forEach((o) =>
    events.push({
      type: 'order.cancelled',
      id: `x-${o}`,
      occurredAt: next(),
      data: { orderId: o },
    }),
  );
  h.fulfils.forEach((o) => {
    const when = next();
    events.push({
      type: 'order.fulfilled',
      id: `f-${o}`,
      occurredAt: when,
      data: { orderId: o, fulfilledAt: when },
    });
  });
  return events;
}

async function deliver(shopId: string, deliveries: ApiEvent[], drainEvery: number) {
  const inbox = new InboxWriter(t.db);
  for (const [i, event] of deliveries.entries()) {
    await inbox.write(apiEventDelivery(shopId, event));
    if ((i + 1) % drainEvery === 0) await t.processor.drain();
  }
  await t.processor.drain();
}

/** Everything ingestion decided, without Lojal's own ids. */
async function finalState(shopId: string) {
  const customers = await sql`
    SELECT external_id, email, first_name FROM customers WHERE shop_id = ${shopId} ORDER BY external_id`.execute(
    t.db,
  );
  const orders = await sql`
    SELECT o.external_id, c.external_id AS customer, o.total, o.paid_at, o.cancelled_at, o.fulfilled_at,
           o.refunded_amount,
           (SELECT json_agg(json_build_array(l.product_id, l.quantity, l.unit_price) ORDER BY l.position)
              FROM order_lines l WHERE l.shop_id = o.shop_id AND l.order_id = o.id) AS lines
    FROM orders o LEFT JOIN customers c ON c.shop_id = o.shop_id AND c.id = o.customer_id
    WHERE o.shop_id = ${shopId} ORDER BY o.external_id`.execute(t.db);
  const refunds = await sql`
    SELECT external_id, amount FROM refunds WHERE shop_id = ${shopId} ORDER BY external_id`.execute(
    t.db,
  );
  const unfinished = await sql`
    SELECT DISTINCT topic, status, waiting_for FROM inbound_events
    WHERE shop_id = ${shopId} AND status NOT IN ('processed', 'ignored') ORDER BY 1, 2, 3`.execute(
    t.db,
  );
  return {
    customers: customers.rows,
    orders: orders.rows,
    refunds: refunds.rows,
    unfinished: unfinished.rows,
  };
}

describe('ingestion converges', () => {
  it('any order and any duplication of a set of deliveries yields the same final state', async () => {
    await fc.assert(
      fc.asyncProperty(
        historyArb.chain((events) =>
          fc.record({
            events: fc.constant(events),
            shuffled: fc.shuffledSubarray(events, {
              minLength: events.length,
              maxLength: events.length,
            }),
            repeats: fc.array(fc.nat({ max: Math.max(0, events.length - 1) }), {
              maxLength: events.length,
            }),
            drainEvery: fc.integer({ min: 1, max: 8 }),
          }),
        ),
        async ({ events, shuffled, repeats, drainEvery }) => {
          const inOrder = [...events].sort((a, b) => a.occurredAt!.localeCompare(b.occurredAt!));
          const disordered = [...shuffled];
          for (const r of repeats) disordered.splice(r % (disordered.length + 1), 0, events[r]!);

          const reference = await createTestShop(t, 'Reference');
          const chaotic = await createTestShop(t, 'Chaotic');
          await deliver(reference.id, inOrder, 1000);
          await deliver(chaotic.id, disordered, drainEvery);

          const expected = await finalState(reference.id);
          const actual = await finalState(chaotic.id);
          expect(actual).toEqual(expected);
          // nothing may stay parked when every order eventually arrived
          const ordersThatArrived = new Set(
            events.filter((e) => e.type === 'order.paid').map((e) => e.data.id),
          );
          for (const row of actual.unfinished as { status: string }[])
            expect(row.status).toBe('waiting');
          if (
            events.every((e) => !('orderId' in e.data) || ordersThatArrived.has(e.data.orderId))
          ) {
            expect(actual.unfinished).toEqual([]);
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
