import type { Clock } from '../shared/clock.ts';
import { parseJsonLossless } from '../shared/json.ts';
import type { InboundSource } from '../db/schema.ts';
import type { Tx } from '../events/domain-events.ts';
import { upsertCustomer } from '../customers/upsert-customer.ts';
import { redactCustomer } from '../customers/redact-customer.ts';
import { recordOrder } from '../orders/record-order.ts';
import { recordRefund } from '../orders/record-refund.ts';
import { markOrder } from '../orders/mark-order.ts';
import type { ParkedKeys } from '../orders/waiting-events.ts';
import { apiEventSchema, commandsFromApiEvent } from './api-event.ts';
import { commandsFromShopify } from './shopify.ts';
import { commandsFromWooCommerce } from './woocommerce.ts';
import { PayloadError, type Command } from './facts.ts';

export interface StoredEvent {
  shop_id: string;
  id: string;
  source: InboundSource;
  topic: string;
  body: Buffer;
  received_at: Date;
}

export type Outcome =
  | { status: 'processed' }
  | { status: 'ignored'; reason: string }
  | { status: 'waiting'; waitingFor: string };

/** Turns a stored raw event into commands: the platform adapters are pure functions. */
export function commandsForEvent(event: StoredEvent): Command[] {
  const text = event.body.toString('utf8');
  let payload: unknown;
  try {
    payload = event.source === 'api' ? JSON.parse(text) : parseJsonLossless(text);
  } catch (error) {
    throw new PayloadError(`the body is not valid JSON: ${(error as Error).message}`);
  }
  switch (event.source) {
    case 'api': {
      const parsed = apiEventSchema.safeParse(payload);
      if (!parsed.success) throw new PayloadError(`invalid API event: ${parsed.error.message}`);
      return commandsFromApiEvent(parsed.data, event.received_at);
    }
    case 'shopify':
      return commandsFromShopify(event.topic, payload, event.received_at);
    case 'woocommerce':
      return commandsFromWooCommerce(event.topic, payload, event.received_at);
  }
}

/** Applies one event's commands in the caller's transaction. */
export async function processEvent(
  tx: Tx,
  clock: Clock,
  event: StoredEvent,
  parked?: ParkedKeys,
): Promise<Outcome> {
  const shopId = event.shop_id;
  const commands = commandsForEvent(event);
  const ignored: string[] = [];
  for (const command of commands) {
    switch (command.kind) {
      case 'customer':
        await upsertCustomer(tx, clock, shopId, command.customer);
        break;
      case 'order':
        await recordOrder(tx, clock, shopId, command.order, parked);
        break;
      case 'refund': {
        const result = await recordRefund(tx, clock, shopId, command.refund);
        if ('waitingFor' in result) return { status: 'waiting', waitingFor: result.waitingFor };
        break;
      }
      case 'cancel':
      case 'fulfil': {
        const milestone = command.kind === 'cancel' ? 'cancelled' : 'fulfilled';
        const at = command.kind === 'cancel' ? command.cancelledAt : command.fulfilledAt;
        const result = await markOrder(tx, clock, shopId, command.orderExternalId, milestone, at);
        if ('waitingFor' in result) return { status: 'waiting', waitingFor: result.waitingFor };
        break;
      }
      case 'redact-customer':
        await redactCustomer(tx, clock, shopId, command.externalId);
        break;
      case 'ignore':
        ignored.push(command.reason);
        break;
    }
  }
  return ignored.length === commands.length
    ? { status: 'ignored', reason: ignored.join('; ') }
    : { status: 'processed' };
}
