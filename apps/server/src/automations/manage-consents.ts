import type { Db } from '../db/connect.ts';
import type { ConsentChannel, ConsentPurpose } from '../db/schema.ts';
import { findCustomerId } from '../customers/find-customer-id.ts';
import type { Clock } from '../shared/clock.ts';
import { consentAllows, recordConsent, type ConsentChange } from './consent.ts';

export const CONSENT_CHANNELS: ConsentChannel[] = ['email', 'sms', 'push'];
export const CONSENT_PURPOSES: ConsentPurpose[] = ['marketing', 'loyalty', 'feedback'];

/**
 * A customer's consent per channel and purpose: what applies now (their answer, or the
 * default when they gave none) and the whole history with its proof.
 */
export async function customerConsents(db: Db, shopId: string, customerId: string) {
  const [customer, current, history] = await Promise.all([
    db
      .selectFrom('customers')
      .select(['accepts_email_marketing', 'accepts_sms_marketing'])
      .where('shop_id', '=', shopId)
      .where('id', '=', customerId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('consents')
      .selectAll()
      .where('shop_id', '=', shopId)
      .where('customer_id', '=', customerId)
      .execute(),
    db
      .selectFrom('consent_events')
      .selectAll()
      .where('shop_id', '=', shopId)
      .where('customer_id', '=', customerId)
      .orderBy('id', 'desc')
      .limit(200)
      .execute(),
  ]);
  const recorded = new Map(current.map((c) => [`${c.channel}:${c.purpose}`, c]));
  return {
    consents: CONSENT_CHANNELS.flatMap((channel) =>
      CONSENT_PURPOSES.map((purpose) => {
        const own = recorded.get(`${channel}:${purpose}`);
        return {
          channel,
          purpose,
          granted: consentAllows({
            channel,
            purpose,
            recorded: own?.granted,
            acceptsEmailMarketing: customer.accepts_email_marketing,
            acceptsSmsMarketing: customer.accepts_sms_marketing,
          }),
          source: own ? ('recorded' as const) : ('default' as const),
          changedAt: own?.changed_at.toISOString() ?? null,
        };
      }),
    ),
    history: history.map((e) => ({
      id: e.id,
      channel: e.channel,
      purpose: e.purpose,
      granted: e.granted,
      source: e.source,
      textShown: e.text_shown,
      clientAddress: e.client_address,
      userAgent: e.user_agent,
      messageId: e.message_id,
      page: e.page,
      occurredAt: e.occurred_at.toISOString(),
    })),
  };
}

/** Records answers given through the API (a checkout checkbox, a POS), by the shop's customer id. */
export async function recordConsents(
  db: Db,
  clock: Clock,
  shopId: string,
  externalId: string,
  changes: Array<Omit<ConsentChange, 'shopId' | 'customerId'>>,
) {
  return db.transaction().execute(async (tx) => {
    const customerId = await findCustomerId(tx, shopId, externalId);
    for (const change of changes) await recordConsent(tx, clock, { ...change, shopId, customerId });
    return customerId;
  });
}
