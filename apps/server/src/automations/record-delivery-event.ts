import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { notLaterThan } from '../shared/client-time.ts';
import { problems } from '../shared/errors.ts';
import { recordConsent } from './consent.ts';

export type DeliveryEventKind = 'delivered' | 'bounced' | 'complained';

/** Statuses in which the provider has the message: only these can be delivered or bounce. */
const HANDED_OVER = ['sent', 'delivered', 'uncertain'] as const;

/**
 * What the shop's e-mail or SMS provider reported about a message. Delivered stamps the time
 * (and moves a sent message to delivered); a bounce marks it bounced and suppresses the address
 * for everything; a complaint ("this is spam") suppresses it for all but transactional mail and
 * withdraws consent for the message's purpose on its channel. Each kind is recorded once per
 * message, so providers' retries change nothing.
 */
export async function recordDeliveryEvent(
  db: Kysely<Database>,
  clock: Clock,
  shopId: string,
  messageId: string,
  input: { kind: DeliveryEventKind; at?: Date | undefined },
) {
  const at = notLaterThan(input.at ?? clock.now(), clock.now());
  return db.transaction().execute(async (tx) => {
    const message = await tx
      .selectFrom('messages')
      .select(['id', 'customer_id', 'channel', 'purpose', 'to_address', 'status'])
      .where('shop_id', '=', shopId)
      .where('id', '=', messageId)
      .forUpdate()
      .executeTakeFirst();
    if (!message) throw problems.notFound(`Message ${messageId}`);
    const channel = message.channel;
    if (channel !== 'email' && channel !== 'sms') {
      throw problems.unprocessable(
        'not-applicable',
        'Not applicable',
        `Delivery events are for e-mail and SMS; message ${messageId} is ${channel}.`,
      );
    }
    const seen = await tx
      .selectFrom('message_events')
      .select('id')
      .where('shop_id', '=', shopId)
      .where('message_id', '=', messageId)
      .where('kind', '=', input.kind)
      .executeTakeFirst();
    if (seen) return { messageId, kind: input.kind, recorded: false, status: message.status };
    await tx
      .insertInto('message_events')
      .values({ shop_id: shopId, message_id: messageId, kind: input.kind, at })
      .execute();
    const inMessage = tx
      .updateTable('messages')
      .where('shop_id', '=', shopId)
      .where('id', '=', messageId);
    if (input.kind === 'delivered') {
      // A report may beat our own "sent" write; the time is kept either way.
      await inMessage.set({ delivered_at: at }).where('delivered_at', 'is', null).execute();
      await inMessage.set({ status: 'delivered' }).where('status', '=', 'sent').execute();
    } else if (input.kind === 'bounced') {
      await inMessage
        .set({ status: 'bounced', status_reason: 'bounce reported by the provider' })
        .where('status', 'in', HANDED_OVER)
        .execute();
    }
    if (input.kind !== 'delivered' && message.to_address) {
      const reason = input.kind;
      await tx
        .insertInto('suppressions')
        .values({
          shop_id: shopId,
          channel,
          address: message.to_address,
          reason,
          message_id: messageId,
          created_at: at,
        })
        // A bounce outranks a complaint or STOP (it stops transactional mail too); never the reverse.
        .onConflict((oc) =>
          reason === 'bounced'
            ? oc
                .columns(['shop_id', 'channel', 'address'])
                .doUpdateSet({ reason, message_id: messageId })
            : oc.doNothing(),
        )
        .execute();
    }
    if (input.kind === 'complained' && message.customer_id && message.purpose !== 'transactional') {
      const current = await tx
        .selectFrom('consents')
        .select('granted')
        .where('shop_id', '=', shopId)
        .where('customer_id', '=', message.customer_id)
        .where('channel', '=', channel)
        .where('purpose', '=', message.purpose)
        .executeTakeFirst();
      if (current?.granted !== false) {
        await recordConsent(tx, clock, {
          shopId,
          customerId: message.customer_id,
          channel,
          purpose: message.purpose,
          granted: false,
          source: 'api',
          messageId,
          at,
          bySubject: true, // "this is spam" is the person's own word
        });
      }
    }
    const after = await tx
      .selectFrom('messages')
      .select('status')
      .where('shop_id', '=', shopId)
      .where('id', '=', messageId)
      .executeTakeFirstOrThrow();
    return { messageId, kind: input.kind, recorded: true, status: after.status };
  });
}
