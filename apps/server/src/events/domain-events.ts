import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';

/**
 * What happened to a shop's customers and orders, once, after ingestion normalised it.
 * Each is emitted exactly once per state change (a duplicate delivery changes nothing and
 * emits nothing), inside the transaction that made the change.
 */
export type DomainEvent =
  | { type: 'customer.created'; shopId: string; customerId: string; at: Date }
  | { type: 'customer.updated'; shopId: string; customerId: string; at: Date }
  | { type: 'order.paid'; shopId: string; orderId: string; customerId: string | null; at: Date }
  | {
      type: 'order.refunded';
      shopId: string;
      orderId: string;
      refundId: string;
      amount: number;
      at: Date;
    }
  | { type: 'order.cancelled'; shopId: string; orderId: string; at: Date }
  | { type: 'order.fulfilled'; shopId: string; orderId: string; at: Date }
  | { type: 'customer.redacted'; shopId: string; customerId: string; at: Date };

export type Tx = Transaction<Database>;

/** A feature's reaction to domain events (points, tiers, referrals, automations…). */
export interface Reaction {
  name: string;
  on: ReadonlyArray<DomainEvent['type']>;
  react(tx: Tx, clock: Clock, event: DomainEvent): Promise<void>;
}

/**
 * The one place where an event is turned into effects: features add their reaction here and
 * never touch ingestion. Reactions run in the writer's transaction, so an effect and the state
 * change that caused it commit together or not at all.
 */
export const reactions: Reaction[] = [];

export async function emit(tx: Tx, clock: Clock, event: DomainEvent): Promise<void> {
  for (const reaction of reactions) {
    if (reaction.on.includes(event.type)) await reaction.react(tx, clock, event);
  }
}
