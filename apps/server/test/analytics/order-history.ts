import fc from 'fast-check';
import type { ApiEvent } from '../../src/ingest/api-event.ts';

/** One step of a random order history: an order paid (or re-sent), refunded, cancelled, fulfilled. */
export type OrderStep =
  | { kind: 'paid'; order: string; customer: string | null; placedAt: string; total: number }
  | { kind: 'refund'; order: string; amount: number }
  | { kind: 'cancel'; order: string }
  | { kind: 'fulfil'; order: string };

/**
 * Random steps over a few orders, customers and placement instants: guests (`customer: null`)
 * one time in `guestFreq`, payments `paidWeight` times as often as a cancellation.
 */
export function orderStepArb(options: {
  orders: readonly string[];
  customers: readonly string[];
  instants: readonly string[];
  paidWeight: number;
  guestFreq: number;
}): fc.Arbitrary<OrderStep> {
  const order = fc.constantFrom(...options.orders);
  return fc.oneof(
    {
      weight: options.paidWeight,
      arbitrary: fc.record({
        kind: fc.constant('paid' as const),
        order,
        customer: fc.option(fc.constantFrom(...options.customers), {
          nil: null,
          freq: options.guestFreq,
        }),
        placedAt: fc.constantFrom(...options.instants),
        total: fc.integer({ min: 100, max: 50_000 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('refund' as const),
        order,
        amount: fc.integer({ min: 1, max: 5000 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), order }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('fulfil' as const), order }) },
  );
}

/** Steps as API events, each a minute after the one before from `firstAt`. */
export function orderStepsToEvents(steps: OrderStep[], firstAt: Date): ApiEvent[] {
  return steps.map((step, i) => {
    const occurredAt = new Date(firstAt.getTime() + i * 60_000).toISOString();
    switch (step.kind) {
      case 'paid':
        return {
          type: 'order.paid',
          id: `e${i}`,
          occurredAt,
          data: {
            id: step.order,
            customer: step.customer ? { id: step.customer } : null,
            currency: 'PLN',
            total: step.total,
            createdAt: step.placedAt,
          },
        };
      case 'refund':
        return {
          type: 'order.refunded',
          id: `e${i}`,
          occurredAt,
          data: { orderId: step.order, refundId: `r${i}`, amount: step.amount, currency: 'PLN' },
        };
      case 'cancel':
        return { type: 'order.cancelled', id: `e${i}`, occurredAt, data: { orderId: step.order } };
      case 'fulfil':
        return {
          type: 'order.fulfilled',
          id: `e${i}`,
          occurredAt,
          data: { orderId: step.order, fulfilledAt: occurredAt },
        };
    }
  });
}
