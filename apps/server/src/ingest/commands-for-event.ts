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
import { commandsFromPrestaShop } from './prestashop.ts';
import { PayloadError, type Command } from './facts.ts';
import { boundCommands } from './bound-commands.ts';

type PlatformAdapter = (topic: string, payload: unknown, receivedAt: Date) => Command[];

/** Each platform's pure adapter: a webhook's or a pulled record's topic and body to commands. */
const PLATFORM_ADAPTERS: Partial<Record<Exclude<InboundSource, 'api'>, PlatformAdapter>> = {
  shopify: commandsFromShopify,
  woocommerce: commandsFromWooCommerce,
  prestashop: commandsFromPrestaShop,
};

export interface StoredEvent {
  shop_id: string;
  id: string;
  source: InboundSource;
  topic: string;
  body: Buffer;
  received_at: Date;
}

/**
 * Turns a stored raw event into commands: the platform adapters are pure functions, and their
 * commands are held to the same bounds whatever the source; `now` is the processor's clock.
 */
export function commandsForEvent(event: StoredEvent, now: Date): Command[] {
  // Times are bounded by the receipt; an injected clock set ahead of the system clock moves the
  // present with it (see presentOf).
  const present = now.getTime() > Date.now() ? now : event.received_at;
  return boundCommands(adapterCommands(event), present);
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
        return [{ kind: 'redact-customer', externalId: erasure.data.customerId }];
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
