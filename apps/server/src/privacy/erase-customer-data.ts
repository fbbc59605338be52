import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import { newId } from '../shared/ids.ts';
import { scrubAudit } from '../audit/scrub-audit.ts';
import { forgetConsentClients } from '../automations/forget-consent-clients.ts';
import { forgetCustomerNotes } from '../customers/forget-customer-notes.ts';
import { forgetGiftCardTexts } from '../gift-cards/forget-gift-card-texts.ts';
import { forgetImportRows } from '../imports/forget-import-rows.ts';
import { redactInboundEvents } from '../ingest/redact-inbound-events.ts';
import { hashSuppressedAddresses } from '../messaging/suppression-hash.ts';
import { forgetOrderDetails, replaceDiscountCode } from '../orders/forget-order-details.ts';
import { forgetAdjustmentReasons } from '../points/forget-adjustment-reasons.ts';
import { forgetSignInLinks } from '../portal/forget-sign-in-links.ts';
import { replaceReferralCodes } from '../referrals/ensure-referral-codes.ts';
import { forgetReferralTraces } from '../referrals/forget-referral-traces.ts';
import { forgetReviewTexts } from '../reviews/forget-review-texts.ts';
import { forgetSurveyComments } from '../surveys/forget-survey-comments.ts';
import { forgetTierNotes } from '../tiers/forget-tier-notes.ts';

export interface ErasedCustomer {
  customerId: string;
  /** The e-mail, the phone in its stored forms and the names just cleared from the customer. */
  erased: string[];
  request?: { by: string; basis: string; reason?: string; requestedAt?: Date };
}

/**
 * Erasure (RODO art. 17) everywhere past the customer row, which ingestion has already cleared
 * (names, e-mail, phone, birthday; the orders' e-mail and address), in the same transaction.
 * Each feature forgets what the personal-data register (db/personal-data.ts) marks in its own
 * tables, through its own `forget…` use case: cleared, deleted, hashed or replaced. Amounts,
 * points, ratings and every row's keys stay, so ledger sums and analytics totals are unchanged.
 * Messaging forgets its copies in its own reaction (automations/forget-customer-messages.ts),
 * pop-ups theirs (popups/popups-reaction.ts); this runs before both, while the messages still
 * hold the addresses to hash. Safe to repeat: a second run finds nothing left and records the
 * request again only if one was given.
 */
export async function eraseCustomerData(
  tx: Tx,
  shopId: string,
  customers: ErasedCustomer[],
  now: Date,
): Promise<void> {
  if (customers.length === 0) return;
  const ids = customers.map((c) => c.customerId);
  const externalIds = (
    await tx
      .selectFrom('customers')
      .select('external_id')
      .where('shop_id', '=', shopId)
      .where('id', 'in', ids)
      .execute()
  ).map((r) => r.external_id);

  // Referral codes built from the name: new random ones; friends' orders carry the new one too.
  const codes = await replaceReferralCodes(tx, shopId, ids);
  for (const { old, code } of codes) await replaceDiscountCode(tx, shopId, old, code);

  // Addresses on the suppression lists: kept as salted hashes only, so suppression still works.
  const addresses = await addressesOf(tx, shopId, ids, customers);
  await hashSuppressedAddresses(tx, shopId, addresses);

  // Network identifiers and free text about the person, feature by feature.
  await forgetReferralTraces(tx, shopId, ids);
  await forgetConsentClients(tx, shopId, ids);
  const notes = await forgetCustomerNotes(tx, shopId, ids);
  const reviews = await forgetReviewTexts(tx, shopId, ids);
  await forgetSurveyComments(tx, shopId, ids);
  await forgetAdjustmentReasons(tx, shopId, ids);
  await forgetGiftCardTexts(tx, shopId, ids);
  await forgetTierNotes(tx, shopId, ids);
  await forgetOrderDetails(tx, shopId, ids);
  await forgetSignInLinks(tx, shopId, ids);
  await sql`
    DELETE FROM customer_data_exports
    WHERE shop_id = ${shopId} AND customer_id = ANY(${ids}::text[])`.execute(tx);

  // Raw deliveries and imported rows that name the person (their id, e-mail, phone, old
  // referral code), and audit entries about them: bodies and before/after replaced, metadata kept.
  const named = [
    ...externalIds.flatMap((id) => [`"${id}"`, `:${id},`, `:${id}}`, `: ${id},`, `: ${id}}`]),
    ...addresses.map((a) => a.address),
    ...codes.map((c) => c.old),
  ];
  await redactInboundEvents(tx, shopId, named);
  await forgetImportRows(tx, shopId, externalIds, named);
  await scrubAudit(
    tx,
    shopId,
    [...ids, ...externalIds, ...notes, ...reviews],
    [...addresses.map((a) => a.address), ...codes.map((c) => c.old)],
  );

  for (const c of customers) {
    if (!c.request) continue;
    await tx
      .insertInto('customer_erasures')
      .values({
        shop_id: shopId,
        id: newId('era'),
        customer_id: c.customerId,
        requested_by: c.request.by,
        basis: c.request.basis,
        reason: c.request.reason ?? null,
        event_id: null,
        requested_at: c.request.requestedAt ?? now,
        applied_at: now,
      })
      .execute();
  }
}

interface Address {
  channel: 'email' | 'sms' | 'push';
  address: string;
}

/** The person's addresses: as just erased, and as their messages and sign-ups were sent to. */
async function addressesOf(
  tx: Tx,
  shopId: string,
  ids: string[],
  customers: ErasedCustomer[],
): Promise<Address[]> {
  const out = new Map<string, Address>();
  const add = (channel: Address['channel'], address: string | null) => {
    if (!address) return;
    const value = channel === 'email' ? address.trim().toLowerCase() : address.trim();
    if (value && !value.startsWith('hmac:'))
      out.set(`${channel} ${value}`, { channel, address: value });
  };
  for (const c of customers) {
    for (const value of c.erased) {
      if (value.includes('@')) add('email', value);
      else if (/^\+?[\d\s\-()./]{6,}$/.test(value)) add('sms', value);
    }
  }
  const sent = await tx
    .selectFrom('messages')
    .select(['channel', 'to_address'])
    .where('shop_id', '=', shopId)
    .where('customer_id', 'in', ids)
    .where('to_address', 'is not', null)
    .where('channel', 'in', ['email', 'sms'])
    .execute();
  for (const m of sent) add(m.channel as 'email' | 'sms', m.to_address);
  const signUps = await tx
    .selectFrom('popup_sign_ups')
    .select('email')
    .where('shop_id', '=', shopId)
    .where('customer_id', 'in', ids)
    .execute();
  for (const s of signUps) add('email', s.email);
  return [...out.values()];
}
