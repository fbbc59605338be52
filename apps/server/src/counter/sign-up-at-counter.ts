import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { ConsentChannel, ConsentPurpose, CounterSignUpConsent } from '../db/schema.ts';
import type { ShopRow } from '../shops/shop.ts';
import type { InboxWriter } from '../ingest/inbox-writer.ts';
import { apiEventDelivery } from '../ingest/api-event.ts';
import type { StaffIdentity } from '../stamps/authenticate-staff.ts';
import { listConsentTexts } from '../automations/consent-texts.ts';
import { findCustomersByContact } from '../customers/find-by-contact.ts';
import { phoneRegionOf, toE164 } from '../shared/phone.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { LocalizedProblem } from '../shared/localized-problem.ts';

/** The consents the counter's sign-up screen asks for, in this order. */
export const COUNTER_CONSENTS: ReadonlyArray<{ channel: ConsentChannel; purpose: ConsentPurpose }> =
  [
    { channel: 'email', purpose: 'loyalty' },
    { channel: 'email', purpose: 'marketing' },
    { channel: 'sms', purpose: 'marketing' },
  ];

export interface CounterSignUp {
  firstName: string;
  lastName?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  /** The language the screen showed the consent texts in. */
  locale: 'pl' | 'en';
  consents: CounterSignUpConsent[];
  /** The device's own id for this sign-up, made when it was filled in (a UUID). */
  reference: string;
}

/** The consent texts the screen shows, in both languages: the shop's words or the defaults. */
export async function counterConsentTexts(db: Db, shopId: string) {
  const texts = await listConsentTexts(db, shopId);
  return COUNTER_CONSENTS.map(({ channel, purpose }) => ({
    channel,
    purpose,
    text: {
      pl: texts.find((t) => t.channel === channel && t.purpose === purpose && t.locale === 'pl')!
        .text,
      en: texts.find((t) => t.channel === channel && t.purpose === purpose && t.locale === 'en')!
        .text,
    },
  }));
}

/** The shop's own id of a customer signed up at the counter: one per sign-up reference. */
export const counterCustomerId = (reference: string) => `counter-${reference}`;

/**
 * A customer signs up at the counter. Each consent's text must be the one the screen showed
 * (the shop's text for that channel, purpose and language, word for word): it is the proof.
 * The customer is created through the event log like any other (`customer.created`, so the
 * programme's sign-up points, welcome flows and the rest run), and the consents are recorded
 * with their proof when that event is applied (counter/record-sign-up-consents.ts). The same
 * reference twice is one sign-up.
 */
export async function signUpAtCounter(
  db: Db,
  inbox: InboxWriter,
  clock: Clock,
  shop: ShopRow,
  staff: StaffIdentity,
  input: CounterSignUp,
) {
  const customerId = counterCustomerId(input.reference);
  const email = input.email?.trim().toLowerCase() || null;
  const phone = input.phone?.trim() ? toE164(input.phone.trim(), phoneRegionOf(shop)) : null;
  if (input.phone?.trim() && !phone) {
    throw problems.validation([{ path: 'phone', message: 'is not a valid phone number' }]);
  }
  const texts = await counterConsentTexts(db, shop.id);
  const errors = input.consents.flatMap((c, i) => {
    const shown = texts.find((t) => t.channel === c.channel && t.purpose === c.purpose);
    if (!shown) {
      return [{ path: `consents.${i}`, message: 'the counter does not ask for this consent' }];
    }
    return shown.text[input.locale] === c.text
      ? []
      : [
          {
            path: `consents.${i}.text`,
            message: `is not the shop's consent text in ${input.locale}: send the text exactly as shown`,
          },
        ];
  });
  if (errors.length > 0) throw problems.validation(errors);

  const existing = await db
    .selectFrom('counter_sign_ups')
    .select('id')
    .where('shop_id', '=', shop.id)
    .where('customer_external_id', '=', customerId)
    .executeTakeFirst();
  if (!existing) {
    for (const contact of [email, phone]) {
      if (!contact) continue;
      const known = await findCustomersByContact(db, shop, contact, 1);
      if (known.length > 0) {
        throw new LocalizedProblem(409, 'customer-exists', 'Customer already signed up', {
          pl: 'Ten klient jest już w programie: znajdź go po telefonie lub e-mailu.',
          en: 'This customer is already in the programme: find them by phone or e-mail.',
        });
      }
    }
    const now = clock.now();
    await db
      .insertInto('counter_sign_ups')
      .values({
        shop_id: shop.id,
        id: newId('csu'),
        customer_external_id: customerId,
        staff_member_id: staff.id,
        locale: input.locale,
        consents: JSON.stringify(input.consents),
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['shop_id', 'customer_external_id']).doNothing())
      .execute();
    await inbox.write(
      apiEventDelivery(shop.id, {
        type: 'customer.created',
        id: `counter-sign-up-${input.reference}`,
        occurredAt: now.toISOString(),
        data: {
          id: customerId,
          firstName: input.firstName.trim(),
          ...(input.lastName?.trim() && { lastName: input.lastName.trim() }),
          ...(email && { email }),
          ...(phone && { phone }),
        },
      }),
    );
  }
  return { customerId, status: 'joining' as const };
}
