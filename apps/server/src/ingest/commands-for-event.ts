import { parseJsonLossless } from '../shared/json.ts';
import type { InboundSource } from '../db/schema.ts';
import {
  apiEventSchema,
  commandsFromApiEvent,
  ERASURE_TOPIC,
  erasureEventSchema,
} from './api-event.ts';
import { commandsFromShopify } from './shopify.ts';
import { commandsFromWooCommerce } from './woocommerce.ts';
import { commandsFromShoper } from './shoper.ts';
import { commandsFromIdoSell } from './idosell.ts';
import { commandsFromBaseLinker } from './baselinker.ts';
import { commandsFromDotykacka } from './dotykacka.ts';
import { commandsFromPrestaShop } from './prestashop.ts';
import { PayloadError, type Command } from './facts.ts';
import { boundCommands } from './bound-commands.ts';

type PlatformAdapter = (topic: string, payload: unknown, receivedAt: Date) => Command[];

/** Each platform's pure adapter: a webhook's or a pulled record's topic and body to commands. */
const PLATFORM_ADAPTERS: Partial<Record<Exclude<InboundSource, 'api'>, PlatformAdapter>> = {
  shopify: commandsFromShopify,
  woocommerce: commandsFromWooCommerce,
  shoper: commandsFromShoper,
  idosell: commandsFromIdoSell,
  baselinker: commandsFromBaseLinker,
  dotykacka: commandsFromDotykacka,
  prestashop: commandsFromPrestaShop,
};

export interface StoredEvent {
  shop_id: string;
  id: string;
  source: InboundSource;
  topic: string;
  body: Buffer;
  received_at: Date;
  /** The delivery's signature was checked (webhooks); only such a delivery may erase a shop. */
  verified?: boolean;
  /** History a connection imported without points (connections/store-pulled-records.ts). */
  history?: boolean;
}

/**
 * Turns a stored raw event into commands: the platform adapters are pure functions, and their
 * commands are held to the same bounds whatever the source; `now` is the processor's clock.
 */
export function commandsForEvent(event: StoredEvent, now: Date): Command[] {
  // Times are bounded by the receipt; an injected clock set ahead of the system clock moves the
  // present with it (see presentOf).
  const present = now.getTime() > Date.now() ? now : event.received_at;
  const commands = adapterCommands(event);
  if (commands.some((c) => c.kind === 'redact-shop') && event.verified !== true) {
    throw new PayloadError('erasing a shop needs a delivery whose signature was verified');
  }
  const bounded = boundCommands(commands, present);
  if (!event.history) return bounded;
  return bounded.map(asHistory);
}

function adapterCommands(event: StoredEvent): Command[] {
  const text = event.body.toString('utf8');
  let payload: unknown;
  try {
    payload = event.source === 'api' ? JSON.parse(text) : parseJsonLossless(text);
  } catch (error) {
    throw new PayloadError(`the body is not valid JSON: ${(error as Error).message}`);
  }
  switch (event.source) {
    case 'api': {
      if (event.topic === ERASURE_TOPIC) {
        const erasure = erasureEventSchema.safeParse(payload);
        if (!erasure.success) throw new PayloadError(`invalid erasure: ${erasure.error.message}`);
        const { customerId, by, basis, reason } = erasure.data;
        return [
          {
            kind: 'redact-customer',
            externalId: customerId,
            request: {
              by: by ?? 'api',
              basis: basis ?? 'RODO art. 17 request',
              ...(reason && { reason }),
              requestedAt: event.received_at,
            },
          },
        ];
      }
      const parsed = apiEventSchema.safeParse(payload);
      if (!parsed.success) throw new PayloadError(`invalid API event: ${parsed.error.message}`);
      return commandsFromApiEvent(parsed.data, event.received_at);
    }
    default: {
      const adapter = PLATFORM_ADAPTERS[event.source];
      if (!adapter) throw new PayloadError(`no adapter reads ${event.source} records yet`);
      return adapter(event.topic, payload, event.received_at);
    }
  }
}

/** A command of imported history: its order and customers marked so reactions can leave them be. */
function asHistory(command: Command): Command {
  if (command.kind === 'customer')
    return { ...command, customer: { ...command.customer, history: true } };
  if (command.kind === 'order') {
    const o = command.order;
    return {
      ...command,
      order: { ...o, history: true, customer: o.customer && { ...o.customer, history: true } },
    };
  }
  return command;
}
