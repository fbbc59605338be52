import type { Tx } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';

/**
 * What happened to a shop's customers and orders, once, after ingestion normalised it.
 * Each is emitted exactly once per state change (a duplicate delivery changes nothing and
 * emits nothing), inside the transaction that made the change.
 */
export type DomainEvent =
  | {
      type: 'customer.created';
      shopId: string;
      customerId: string;
      at: Date;
      /** Met in imported history (see order.paid's history). */
      history?: boolean;
    }
  | { type: 'customer.updated'; shopId: string; customerId: string; at: Date }
  | {
      type: 'order.paid';
      shopId: string;
      orderId: string;
      customerId: string | null;
      at: Date;
      /** Imported history (a connection's backfill without points): no points, stamps, badges, referral rewards. */
      history?: boolean;
    }
  | {
      type: 'order.refunded';
      shopId: string;
      orderId: string;
      refundId: string;
      amount: number;
      at: Date;
      /** The refunded lines' external ids, when the platform names them. */
      lineIds?: string[];
    }
  | {
      /**
       * A refund recorded before the platform named its lines names them now (WooCommerce: the
       * order webhook gives a refund's amount, the pulled refund its lines). No money moves.
       */
      type: 'order.lines-refunded';
      shopId: string;
      orderId: string;
      lineIds: string[];
      at: Date;
    }
  | { type: 'order.cancelled'; shopId: string; orderId: string; at: Date }
  | { type: 'order.fulfilled'; shopId: string; orderId: string; at: Date }
  | {
      type: 'customer.redacted';
      shopId: string;
      customerId: string;
      at: Date;
      /** The e-mail, phone (in its stored forms) and names just erased, for the features to find their copies. */
      erased?: string[];
      /** Who asked and why, when a person or platform asked (not for a whole shop's erasure). */
      request?: { by: string; basis: string; reason?: string; requestedAt?: Date };
    }
  | {
      /** A platform relayed the customer's request for their data (Shopify customers/data_request). */
      type: 'customer.data-requested';
      shopId: string;
      customerId: string;
      at: Date;
      source: string;
      requestRef: string | null;
    }
  | {
      type: 'activity.recorded';
      shopId: string;
      customerId: string;
      activityId: string;
      /** The sender's event id, if any. */
      externalId: string | null;
      activityType: string;
      data: Record<string, unknown>;
      at: Date;
    };

/** A feature's reaction to domain events (points, tiers, referrals, automations…). */
export interface Reaction {
  name: string;
  on: ReadonlyArray<DomainEvent['type']>;
  /** Gets all of a batch's events of its types at once, in order, so it can work in bulk. */
  react(tx: Tx, clock: Clock, events: DomainEvent[]): Promise<void>;
}

/**
 * Hands a batch's domain events to each reaction, in the list's order, inside the writer's
 * transaction, so an effect and the state change that caused it commit together or not at all.
 */
export async function emit(
  tx: Tx,
  clock: Clock,
  reactions: readonly Reaction[],
  events: DomainEvent[],
): Promise<void> {
  for (const reaction of reactions) {
    const mine = events.filter((e) => reaction.on.includes(e.type));
    if (mine.length > 0) await reaction.react(tx, clock, mine);
  }
}

/**
 * The reaction without imported history: a backfilled order (a connection's history imported
 * without points) still counts for tiers and analytics, but earns no points, stamps, badges or
 * referral and affiliate rewards, and triggers no message.
 */
export function ignoringHistory(reaction: Reaction): Reaction {
  return {
    ...reaction,
    react: (tx, clock, events) => {
      const live = events.filter(
        (e) => !((e.type === 'order.paid' || e.type === 'customer.created') && e.history),
      );
      return live.length === 0 ? Promise.resolve() : reaction.react(tx, clock, live);
    },
  };
}
