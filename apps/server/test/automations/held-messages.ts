import { sql } from 'kysely';
import type { SentOutcome } from '../../src/automations/delivery-writes.ts';
import type { Db } from '../../src/db/connect.ts';

/** Messages `${prefix}1…n` in `status`, held by claim `token`. */
export async function messagesHeldBy(
  db: Db,
  shopId: string,
  prefix: string,
  n: number,
  status: 'claimed' | 'sending',
  token: string,
) {
  await sql`
    INSERT INTO messages (shop_id, id, send_key, channel, purpose, template_key, locale, to_address,
                          status, not_before, created_at, claim_token, claimed_at, attempts)
    SELECT ${shopId}, ${prefix} || i, ${prefix} || '-key-' || i, 'email', 'loyalty', 'welcome.thank_you', 'pl',
           'a' || i || '@example.pl', ${status}, now(), now(), ${token}, now(), 1
    FROM generate_series(1, ${n}) i`.execute(db);
  return Array.from({ length: n }, (_, i) => ({
    shop_id: shopId,
    id: `${prefix}${i + 1}`,
    claim_token: token,
  }));
}

export function sentOutcome(
  message: SentOutcome['message'],
  bodyText = 'Dziękujemy!',
): SentOutcome {
  return {
    message,
    sentAt: new Date('2028-02-29T23:30:00Z'),
    providerId: `250 OK ${message.id}`,
    segments: null,
    subject: 'Dziękujemy za zakupy',
    bodyText,
  };
}
