import type { Db } from '../db/connect.ts';
import type { StorefrontConsent } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { recordConsent } from '../automations/consent.ts';
import { findCustomerId } from '../customers/find-customer-id.ts';

/**
 * The consent to have one's first name shown in social proof ("Ania recently bought this"):
 * recorded like every other consent, with the text the person saw, in consents and
 * consent_events. There is no default: without a recorded yes, no name is ever shown.
 */
export const NAME_CONSENT: StorefrontConsent = { channel: 'storefront', purpose: 'social_proof' };

export interface NameConsentAnswer {
  granted: boolean;
  textShown: string;
  /** `api`: the shop recorded it; `storefront`: the customer answered in the widget or portal. */
  source: 'api' | 'storefront';
  clientAddress?: string | null;
  userAgent?: string | null;
  at?: Date;
}

/** Records the customer's answer (by the shop's own customer id) and returns the current one. */
export async function recordNameConsent(
  db: Db,
  clock: Clock,
  input: { shopId: string; externalId: string } & NameConsentAnswer,
): Promise<{ granted: boolean; changedAt: string | null }> {
  const customerId = await db.transaction().execute(async (tx) => {
    const id = await findCustomerId(tx, input.shopId, input.externalId);
    await recordConsent(tx, clock, {
      shopId: input.shopId,
      customerId: id,
      ...NAME_CONSENT,
      granted: input.granted,
      source: input.source,
      textShown: input.textShown,
      clientAddress: input.clientAddress ?? null,
      userAgent: input.userAgent ?? null,
      ...(input.at && { at: input.at }),
    });
    return id;
  });
  return nameConsentOf(db, input.shopId, customerId);
}

/** The current answer by Lojal's customer id; no answer on record means no. */
export async function nameConsentOf(
  db: Db,
  shopId: string,
  customerId: string,
): Promise<{ granted: boolean; changedAt: string | null }> {
  const row = await db
    .selectFrom('consents')
    .select(['granted', 'changed_at'])
    .where('shop_id', '=', shopId)
    .where('customer_id', '=', customerId)
    .where('channel', '=', NAME_CONSENT.channel)
    .where('purpose', '=', NAME_CONSENT.purpose)
    .executeTakeFirst();
  return { granted: row?.granted === true, changedAt: row?.changed_at.toISOString() ?? null };
}
