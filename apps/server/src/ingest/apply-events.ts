import { sql } from 'kysely';
import type { Clock } from '../shared/clock.ts';
import type { Tx } from '../db/connect.ts';
import { emit, type Reaction } from '../events/domain-events.ts';
import { applyCustomerFacts, applyRedaction } from './apply-customer-facts.ts';
import { applyActivity } from './apply-activity.ts';
import { applyDataRequest } from './apply-data-request.ts';
import { applyProductFacts } from './apply-product-facts.ts';
import { applyOrderFacts } from './apply-order-facts.ts';
import { applyMilestone, applyRefund } from './apply-order-change.ts';
import type { BatchState } from './batch-state.ts';
import type { Command } from './facts.ts';
import { commandsForEvent, type StoredEvent } from './commands-for-event.ts';
import { loadBatchState } from './load-batch-state.ts';
import { saveBatchState, scrubErasedFromRawEvents } from './save-batch-state.ts';
import { eraseShopPersonalData, scrubShopRawEvents } from './erase-shop.ts';

export type Outcome =
  | { status: 'processed'; reason?: string }
  | { status: 'ignored'; reason: string }
  | { status: 'waiting'; waitingFor: string }
  | { status: 'failed'; reason: string };

/**
 * Applies a shop's events in order, in the caller's transaction: adapters turn each into
 * commands, the commands change an in-memory state loaded in one go, the state is saved in a
 * few statements, domain events reach the features' reactions, and every event's outcome is
 * recorded. An event whose payload is unusable is recorded as failed; any other error aborts
 * the whole call (the processor then retries event by event).
 */
export async function applyEvents(
  tx: Tx,
  clock: Clock,
  shopId: string,
  events: StoredEvent[],
  reactions: readonly Reaction[],
): Promise<Outcome[]> {
  const commands: Array<Command[] | Error> = [];
  const now = clock.now();
  for (const [i, event] of events.entries()) {
    try {
      commands.push(commandsForEvent(event, now));
    } catch (error) {
      commands.push(error as Error);
    }
    // Parsing a large batch must not hold up HTTP requests served by the same event loop.
    if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
  }
  const state = await loadBatchState(
    tx,
    shopId,
    clock.now(),
    commands.flatMap((c) => (c instanceof Error ? [] : c)),
  );
  const outcomes: Outcome[] = commands.map((c) =>
    c instanceof Error ? { status: 'failed', reason: c.message } : applyCommands(state, c),
  );
  // An event that waited for an order that came later in this batch is applied now.
  for (let progress = true; progress;) {
    progress = false;
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'waiting' && state.woken.has(outcome.waitingFor)) {
        outcomes[i] = applyCommands(state, commands[i] as Command[]);
        progress = true;
      }
    });
  }
  await saveBatchState(tx, state);
  if (state.eraseShop) {
    state.domainEvents.push(...(await eraseShopPersonalData(tx, shopId, state.now)));
  }
  await emit(tx, clock, reactions, state.domainEvents);
  await recordOutcomes(tx, shopId, events, outcomes);
  await scrubErasedFromRawEvents(tx, state);
  await scrubDeliveriesOfErased(tx, state, events, commands);
  if (state.eraseShop) await scrubShopRawEvents(tx, shopId);
  return outcomes;
}

/**
 * A delivery for a customer erased earlier (a late order, a retried webhook, a concurrent
 * update) is applied without the person (merge-customer-facts keeps their fields empty, orders
 * lose e-mail and address) and its raw body does not stay either: it is replaced once handled.
 */
async function scrubDeliveriesOfErased(
  tx: Tx,
  state: BatchState,
  events: StoredEvent[],
  commands: Array<Command[] | Error>,
): Promise<void> {
  const erased = (externalId: string | undefined | null) =>
    !!externalId && !!state.customers.get(externalId)?.redacted_at;
  const erasedIds = new Set(
    [...state.customers.values()].filter((c) => c.redacted_at).map((c) => c.id),
  );
  const orderOfErased = (orderExternalId: string) => {
    const customerId = state.orders.get(orderExternalId)?.customer_id;
    return !!customerId && erasedIds.has(customerId);
  };
  const ids = events
    .filter((_, i) => {
      const list = commands[i];
      if (!list || list instanceof Error) return false;
      return list.some((c) => {
        switch (c.kind) {
          case 'customer':
            return erased(c.customer.externalId);
          case 'order':
            return erased(c.order.customer?.externalId) || orderOfErased(c.order.externalId);
          case 'activity':
            return erased(c.activity.customer.externalId);
          case 'refund':
            return !!c.refund.orderExternalId && orderOfErased(c.refund.orderExternalId);
          default:
            return false;
        }
      });
    })
    .map((e) => e.id);
  if (ids.length === 0) return;
  await sql`
    UPDATE inbound_events SET body = convert_to('{"redacted":true}', 'UTF8')
    WHERE shop_id = ${state.shopId} AND id = ANY(${ids}::text[])
      AND status IN ('processed', 'ignored', 'failed')`.execute(tx);
}

function applyCommands(state: BatchState, commands: Command[]): Outcome {
  const ignored: string[] = [];
  state.notes = [];
  for (const command of commands) {
    switch (command.kind) {
      case 'customer':
        applyCustomerFacts(state, command.customer);
        break;
      case 'order':
        applyOrderFacts(state, command.order);
        break;
      case 'refund': {
        const result = applyRefund(state, command.refund);
        if ('waitingFor' in result) return { status: 'waiting', waitingFor: result.waitingFor };
        break;
      }
      case 'cancel':
      case 'fulfil': {
        const result =
          command.kind === 'cancel'
            ? applyMilestone(state, command.orderExternalId, 'cancelled', command.cancelledAt)
            : applyMilestone(state, command.orderExternalId, 'fulfilled', command.fulfilledAt);
        if ('waitingFor' in result) return { status: 'waiting', waitingFor: result.waitingFor };
        break;
      }
      case 'redact-customer':
        applyRedaction(state, command.externalId, command.request);
        break;
      case 'activity':
        applyActivity(state, command.activity);
        break;
      case 'data-request':
        if (!applyDataRequest(state, command.request)) {
          ignored.push('Lojal holds no data about this customer: nothing to export');
        }
        break;
      case 'redact-shop':
        state.eraseShop = true;
        break;
      case 'product':
        applyProductFacts(state, command.product);
        break;
      case 'ignore':
        ignored.push(command.reason);
        break;
    }
  }
  if (ignored.length === commands.length) return { status: 'ignored', reason: ignored.join('; ') };
  return state.notes.length > 0
    ? { status: 'processed', reason: state.notes.join('; ') }
    : { status: 'processed' };
}

/** One statement for the outcomes of a batch. */
export async function recordOutcomes(
  tx: Tx,
  shopId: string,
  events: StoredEvent[],
  outcomes: Outcome[],
) {
  if (events.length === 0) return;
  await sql`
    UPDATE inbound_events e SET
      status = r.status,
      waiting_for = r.waiting_for,
      reason = r.reason,
      attempts = e.attempts + 1,
      processed_at = CASE WHEN r.status IN ('processed', 'ignored') THEN now() END
    FROM unnest(${events.map((e) => e.id)}::text[], ${outcomes.map((o) => o.status)}::text[],
                ${outcomes.map((o) => (o.status === 'waiting' ? o.waitingFor : null))}::text[],
                ${outcomes.map((o) => (o.status === 'waiting' ? null : (o.reason ?? null)))}::text[])
      AS r(id, status, waiting_for, reason)
    -- the = ANY keeps the primary key in use even before statistics know the table has grown
    WHERE e.shop_id = ${shopId} AND e.id = ANY(${events.map((e) => e.id)}::text[]) AND e.id = r.id`.execute(
    tx,
  );
}
