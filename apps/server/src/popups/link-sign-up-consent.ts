import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { recordConsent } from '../automations/consent.ts';

/** The shop's customer with this e-mail (the earliest, if the shop has several), or null. */
export async function customerByEmail(
  db: Kysely<Database>,
  shopId: string,
  email: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('customers')
    .select('id')
    .where('shop_id', '=', shopId)
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .where('redacted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * A confirmed sign-up becomes the customer's consent to e-mail marketing, with its proof: the
 * exact text shown, the page, the client, and the time it was confirmed (double opt-in). Once
 * per sign-up: the caller holds the sign-up's row lock or claims it in the same statement.
 */
export async function linkSignUpConsent(
  tx: Kysely<Database>,
  clock: Clock,
  signUp: {
    shop_id: string;
    id: string;
    text_shown: string | null;
    page: string | null;
    client_address: string | null;
    user_agent: string | null;
    confirmed_at: Date | null;
  },
  customerId: string,
): Promise<string> {
  const { eventId } = await recordConsent(tx, clock, {
    shopId: signUp.shop_id,
    customerId,
    channel: 'email',
    purpose: 'marketing',
    granted: true,
    source: 'popup',
    textShown: signUp.text_shown,
    clientAddress: signUp.client_address,
    userAgent: signUp.user_agent,
    page: signUp.page,
    ...(signUp.confirmed_at && { at: signUp.confirmed_at }),
  });
  await tx
    .updateTable('popup_sign_ups')
    .set({ customer_id: customerId, consent_event_id: eventId })
    .where('shop_id', '=', signUp.shop_id)
    .where('id', '=', signUp.id)
    .execute();
  return eventId;
}
