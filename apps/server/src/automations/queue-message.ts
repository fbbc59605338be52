import type { Kysely } from 'kysely';
import type { Database, MessageChannel, MessagePurpose } from '../db/schema.ts';
import { newId } from '../shared/ids.ts';
import { outsideQuietHours, type QuietHours } from './quiet-hours.ts';

export interface NewMessage {
  shopId: string;
  customerId: string;
  channel: MessageChannel;
  purpose: MessagePurpose;
  template: string;
  locale: string;
  /** Deterministic: the same key never queues a second message. */
  sendKey: string;
  /** When it is due; quiet hours may move SMS and push later. */
  at: Date;
  timezone: string;
  quiet: QuietHours;
  variables?: Record<string, unknown>;
  toAddress?: string | null;
  flow?: { flowId: string; runId: string; stepId: string; variant: string | null };
}

/** Channels a person may be woken by: held back during the shop's quiet hours. */
const QUIET_CHANNELS: ReadonlySet<MessageChannel> = new Set(['sms', 'push']);

/**
 * Puts a message in the queue once per send key. The address is taken now (e-mail, phone);
 * push goes to the customer's subscriptions at sending. Consent, suppressions and the weekly
 * cap are checked when it is sent, so a change of mind in between counts.
 */
export async function queueMessage(
  db: Kysely<Database>,
  message: NewMessage,
): Promise<{ id: string; queued: boolean }> {
  const notBefore = QUIET_CHANNELS.has(message.channel)
    ? outsideQuietHours(message.at, message.timezone, message.quiet)
    : message.at;
  const id = newId('msg');
  const inserted = await db
    .insertInto('messages')
    .values({
      shop_id: message.shopId,
      id,
      send_key: message.sendKey,
      customer_id: message.customerId,
      channel: message.channel,
      purpose: message.purpose,
      template_key: message.template,
      locale: message.locale,
      variables: JSON.stringify(message.variables ?? {}),
      flow_id: message.flow?.flowId ?? null,
      run_id: message.flow?.runId ?? null,
      step_id: message.flow?.stepId ?? null,
      variant: message.flow?.variant ?? null,
      to_address: message.toAddress ?? null,
      status: 'queued',
      not_before: notBefore,
      created_at: message.at,
    })
    .onConflict((oc) => oc.columns(['shop_id', 'send_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, queued: true };
  const existing = await db
    .selectFrom('messages')
    .select('id')
    .where('shop_id', '=', message.shopId)
    .where('send_key', '=', message.sendKey)
    .executeTakeFirstOrThrow();
  return { id: existing.id, queued: false };
}
