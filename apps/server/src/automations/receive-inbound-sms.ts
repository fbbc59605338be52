import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { isStopMessage } from '../messaging/sms-stop.ts';
import type { Clock } from '../shared/clock.ts';
import { recordConsent } from './consent.ts';
import { CONSENT_PURPOSES } from './manage-consents.ts';

/**
 * A reply to the shop's SMS. A stop request ("STOP", "NIE", "Rezygnuję"…) withdraws SMS consent
 * for every purpose from every customer of the shop with that phone, with the text as proof, and
 * suppresses the number so nothing but transactional SMS goes to it even for a customer created
 * later. Repeat-safe: a consent already withdrawn is not recorded again. Other texts change
 * nothing (Lojal does not hold conversations).
 */
export async function receiveInboundSms(
  db: Kysely<Database>,
  clock: Clock,
  shopId: string,
  input: { from: string; text: string },
): Promise<{ stopped: boolean; customers: number }> {
  if (!isStopMessage(input.text)) return { stopped: false, customers: 0 };
  const now = clock.now();
  return db.transaction().execute(async (tx) => {
    const digits = input.from.replace(/\D/g, '');
    // Narrowed by the last nine digits in SQL; which stored forms are the same number is decided below.
    const candidates = await tx
      .selectFrom('customers')
      .select(['id', 'phone'])
      .where('shop_id', '=', shopId)
      .where('phone', 'is not', null)
      .where(sql<string>`right(regexp_replace(phone, '[^0-9]', '', 'g'), 9)`, '=', digits.slice(-9))
      .execute();
    const customers = candidates.filter((c) => samePhone(c.phone!, digits));
    const current = customers.length
      ? await tx
          .selectFrom('consents')
          .select(['customer_id', 'purpose', 'granted'])
          .where('shop_id', '=', shopId)
          .where('channel', '=', 'sms')
          .where(
            'customer_id',
            'in',
            customers.map((c) => c.id),
          )
          .execute()
      : [];
    const withdrawn = new Set(
      current.filter((c) => !c.granted).map((c) => `${c.customer_id}:${c.purpose}`),
    );
    for (const customer of customers) {
      for (const purpose of CONSENT_PURPOSES) {
        if (withdrawn.has(`${customer.id}:${purpose}`)) continue;
        await recordConsent(tx, clock, {
          shopId,
          customerId: customer.id,
          channel: 'sms',
          purpose,
          granted: false,
          source: 'sms_stop',
          textShown: input.text,
          at: now,
        });
      }
    }
    // Messages carry the phone as the shop sent it, so each stored form is suppressed too.
    const addresses = new Set([input.from, ...customers.map((c) => c.phone!)]);
    await tx
      .insertInto('suppressions')
      .values(
        [...addresses].map((address) => ({
          shop_id: shopId,
          channel: 'sms' as const,
          address,
          reason: 'stop' as const,
          created_at: now,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
    return { stopped: true, customers: customers.length };
  });
}

/**
 * Whether a phone as a shop stored it ("+48 600 100 200", "0048600100200", "600-100-200") is
 * the E.164 number given as digits. A number without its country code counts when the E.164
 * number ends with it (national trunk zeros dropped).
 */
function samePhone(stored: string, e164Digits: string): boolean {
  const trimmed = stored.trim();
  const digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+')) return digits === e164Digits;
  if (digits.startsWith('00')) return digits.slice(2) === e164Digits;
  const national = digits.replace(/^0+/, '');
  return national.length >= 9 && (national === e164Digits || e164Digits.endsWith(national));
}
