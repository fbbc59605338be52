import { sql, type Kysely } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ConsentChannel, ConsentPurpose, Database } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { recordConsent } from './consent.ts';
import { customerConsents } from './manage-consents.ts';
import type { MessageLinkPayload } from './message-links.ts';

interface Client {
  address: string | null;
  userAgent: string | null;
}

async function messageOf(db: Db, link: MessageLinkPayload) {
  if (!link.m) return undefined;
  return db
    .selectFrom('messages')
    .select(['id', 'channel', 'purpose'])
    .where('shop_id', '=', link.s)
    .where('id', '=', link.m)
    .where('customer_id', '=', link.c)
    .executeTakeFirst();
}

/**
 * One event from a message's links, and the first time of each kind on the message itself (a
 * click also counts as an open, even with images blocked).
 */
async function recordLinkEvent(
  db: Kysely<Database>,
  link: MessageLinkPayload,
  messageId: string,
  event: { kind: 'opened' | 'clicked' | 'unsubscribed'; at: Date; url?: string; client: Client },
): Promise<void> {
  await db
    .insertInto('message_events')
    .values({
      shop_id: link.s,
      message_id: messageId,
      kind: event.kind,
      url: event.url ?? null,
      client_address: event.client.address,
      at: event.at,
    })
    .execute();
  if (event.kind === 'unsubscribed') return;
  await db
    .updateTable('messages')
    .set({
      opened_at: sql`coalesce(opened_at, ${event.at})`,
      ...(event.kind === 'clicked' && { clicked_at: sql`coalesce(clicked_at, ${event.at})` }),
    })
    .where('shop_id', '=', link.s)
    .where('id', '=', messageId)
    .execute();
}

/** The open pixel was loaded (mail clients that prefetch images make this a hint, not proof). */
export async function recordOpen(db: Db, clock: Clock, link: MessageLinkPayload, client: Client) {
  const message = await messageOf(db, link);
  if (!message) return;
  await db
    .transaction()
    .execute((tx) =>
      recordLinkEvent(tx, link, message.id, { kind: 'opened', at: clock.now(), client }),
    );
}

/** A tracked link was followed: recorded, and the destination returned for the redirect. */
export async function recordClick(
  db: Db,
  clock: Clock,
  link: MessageLinkPayload,
  client: Client,
): Promise<string | null> {
  if (!link.u || !/^https?:\/\//i.test(link.u)) return null;
  const message = await messageOf(db, link);
  if (message) {
    const url = link.u;
    await db
      .transaction()
      .execute((tx) =>
        recordLinkEvent(tx, link, message.id, { kind: 'clicked', at: clock.now(), url, client }),
      );
  }
  return link.u;
}

/**
 * One-click unsubscribe: the customer no longer gets messages of this message's purpose on its
 * channel (a transactional message's link ends marketing). Recorded with its proof; repeating
 * it changes nothing more.
 */
export async function unsubscribe(
  db: Db,
  clock: Clock,
  link: MessageLinkPayload,
  source: 'unsubscribe_link' | 'list_unsubscribe',
  client: Client,
): Promise<{ channel: ConsentChannel; purpose: ConsentPurpose }> {
  const message = await messageOf(db, link);
  const channel: ConsentChannel =
    message && message.channel !== 'webhook' ? message.channel : 'email';
  const purpose: ConsentPurpose =
    message && message.purpose !== 'transactional' ? message.purpose : 'marketing';
  await db.transaction().execute(async (tx) => {
    await recordConsent(tx, clock, {
      shopId: link.s,
      customerId: link.c,
      channel,
      purpose,
      granted: false,
      source,
      textShown: source === 'list_unsubscribe' ? 'List-Unsubscribe=One-Click' : null,
      clientAddress: client.address,
      userAgent: client.userAgent,
      messageId: message?.id ?? null,
    });
    if (message)
      await recordLinkEvent(tx, link, message.id, {
        kind: 'unsubscribed',
        at: clock.now(),
        client,
      });
  });
  return { channel, purpose };
}

/** Saves the answers from the preferences page; only changed ones are recorded. */
export async function savePreferences(
  db: Db,
  clock: Clock,
  link: MessageLinkPayload,
  answers: Array<{
    channel: ConsentChannel;
    purpose: ConsentPurpose;
    granted: boolean;
    textShown: string;
  }>,
  client: Client,
): Promise<number> {
  const current = await customerConsents(db, link.s, link.c);
  const now = new Map(current.consents.map((c) => [`${c.channel}:${c.purpose}`, c.granted]));
  let changed = 0;
  await db.transaction().execute(async (tx) => {
    for (const a of answers) {
      if (now.get(`${a.channel}:${a.purpose}`) === a.granted) continue;
      await recordConsent(tx, clock, {
        shopId: link.s,
        customerId: link.c,
        channel: a.channel,
        purpose: a.purpose,
        granted: a.granted,
        source: 'preferences_page',
        textShown: a.textShown,
        clientAddress: client.address,
        userAgent: client.userAgent,
        messageId: link.m ?? null,
      });
      changed += 1;
    }
  });
  return changed;
}
