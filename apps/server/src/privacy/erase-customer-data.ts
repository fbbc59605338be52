import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../db/connect.ts';
import { newId } from '../shared/ids.ts';
import { replaceReferralCodes } from '../referrals/ensure-referral-codes.ts';
import { normalizeCode } from '../coupons/coupon-code.ts';
import { ensureSuppressionSalt, hashAddress } from '../messaging/suppression-hash.ts';

export interface ErasedCustomer {
  customerId: string;
  /** The e-mail, the phone in its stored forms and the names just cleared from the customer. */
  erased: string[];
  request?: { by: string; basis: string; reason?: string; requestedAt?: Date };
}

const REDACTED_BODY = '{"redacted":true}';

/**
 * Erasure (RODO art. 17) everywhere past the customer row, which ingestion has already cleared
 * (names, e-mail, phone, birthday; the orders' e-mail and address), in the same transaction:
 * what the personal-data register (db/personal-data.ts) marks for the customer is cleared,
 * deleted, hashed or replaced. Amounts, points, ratings and every row's keys stay, so ledger
 * sums and analytics totals are unchanged. Messaging forgets its copies in its own reaction
 * (automations/forget-customer-messages.ts), pop-ups theirs (popups/popups-reaction.ts); this
 * runs before both, while the messages still hold the addresses to hash. Safe to repeat: a
 * second run finds nothing left and records the request again only if one was given.
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
  const mine = sql`(${sql.join(ids.map((id) => sql`${id}`))})`;
  // What audit entries name the customer by: the customer, their notes, tasks and reviews.
  const { rows: owned } = await sql<{ id: string }>`
    SELECT id FROM customer_notes WHERE shop_id = ${shopId} AND customer_id IN ${mine}
    UNION ALL SELECT id FROM customer_tasks WHERE shop_id = ${shopId} AND customer_id IN ${mine}
    UNION ALL SELECT id FROM reviews WHERE shop_id = ${shopId} AND customer_id IN ${mine}`.execute(
    tx,
  );
  const targets = [...ids, ...externalIds, ...owned.map((r) => r.id)];

  // Referral codes built from the name: new random ones; friends' orders carry the new one too.
  const codes = await replaceReferralCodes(tx, shopId, ids);
  for (const { old, code } of codes) {
    await sql`
      UPDATE orders SET discount_codes = (
        SELECT array_agg(CASE WHEN upper(regexp_replace(d, '[\\s-]', '', 'g')) = ${normalizeCode(old)}
                              THEN ${code} ELSE d END ORDER BY n)
        FROM unnest(discount_codes) WITH ORDINALITY AS t(d, n))
      WHERE shop_id = ${shopId} AND EXISTS (SELECT 1 FROM unnest(discount_codes) d
        WHERE upper(regexp_replace(d, '[\\s-]', '', 'g')) = ${normalizeCode(old)})`.execute(tx);
  }

  // Addresses on the suppression lists: kept as salted hashes only, so suppression still works.
  const addresses = await addressesOf(tx, shopId, ids, customers);
  if (addresses.length > 0) await hashSuppressions(tx, shopId, addresses);

  // Network identifiers: referral visits and sightings, referrals, consent proofs.
  await sql`
    UPDATE referral_visits SET client_address = NULL, user_agent = NULL
    WHERE shop_id = ${shopId} AND referrer_customer_id IN ${mine}
      AND (client_address IS NOT NULL OR user_agent IS NOT NULL)`.execute(tx);
  await sql`DELETE FROM referral_sightings WHERE shop_id = ${shopId} AND customer_id IN ${mine}`.execute(
    tx,
  );
  await sql`
    UPDATE referrals SET client_address = NULL, user_agent = NULL, review_note = NULL,
      thank_you_note = NULL
    WHERE shop_id = ${shopId}
      AND (referrer_customer_id IN ${mine} OR friend_customer_id IN ${mine})`.execute(tx);
  await sql`DELETE FROM referral_share_messages WHERE shop_id = ${shopId} AND customer_id IN ${mine}`.execute(
    tx,
  );
  await sql`
    UPDATE consent_events SET client_address = NULL, user_agent = NULL, page = NULL
    WHERE shop_id = ${shopId} AND customer_id IN ${mine}
      AND (client_address IS NOT NULL OR user_agent IS NOT NULL OR page IS NOT NULL)`.execute(tx);

  // Free text about the person: staff notes and tasks, reviews, survey comments, the words of
  // manual adjustments and tier overrides, the shop's tags, activities' data, refund reasons.
  await sql`DELETE FROM customer_notes WHERE shop_id = ${shopId} AND customer_id IN ${mine}`.execute(
    tx,
  );
  await sql`DELETE FROM customer_tasks WHERE shop_id = ${shopId} AND customer_id IN ${mine}`.execute(
    tx,
  );
  await sql`
    DELETE FROM review_photos WHERE shop_id = ${shopId}
      AND review_id IN (SELECT id FROM reviews WHERE shop_id = ${shopId} AND customer_id IN ${mine})`.execute(
    tx,
  );
  await sql`
    UPDATE reviews SET title = NULL, body = NULL, reply = NULL, moderation_note = NULL, photo_url = NULL
    WHERE shop_id = ${shopId} AND customer_id IN ${mine}`.execute(tx);
  await sql`
    UPDATE survey_answers SET comment = NULL
    WHERE shop_id = ${shopId} AND customer_id IN ${mine} AND comment IS NOT NULL`.execute(tx);
  await sql`
    UPDATE point_entries SET reason = NULL
    WHERE shop_id = ${shopId} AND customer_id IN ${mine} AND reason IS NOT NULL`.execute(tx);
  await sql`
    UPDATE gift_card_entries SET reason = NULL
    WHERE shop_id = ${shopId} AND reason IS NOT NULL
      AND gift_card_id IN (SELECT id FROM gift_cards WHERE shop_id = ${shopId} AND customer_id IN ${mine})`.execute(
    tx,
  );
  await sql`
    UPDATE customer_tiers SET manual_reason = NULL
    WHERE shop_id = ${shopId} AND customer_id IN ${mine} AND manual_reason IS NOT NULL`.execute(tx);
  await sql`
    UPDATE tier_events SET note = NULL
    WHERE shop_id = ${shopId} AND customer_id IN ${mine} AND note IS NOT NULL`.execute(tx);
  await sql`
    UPDATE customers SET tags = '{}'
    WHERE shop_id = ${shopId} AND id IN ${mine} AND tags <> '{}'`.execute(tx);
  await sql`
    UPDATE customer_activities SET data = '{}'
    WHERE shop_id = ${shopId} AND customer_id IN ${mine} AND data <> '{}'`.execute(tx);
  // What a buyer typed on the product page (a gift card's recipient, e-mail and message).
  await sql`
    UPDATE order_lines SET properties = NULL
    WHERE shop_id = ${shopId} AND properties IS NOT NULL
      AND order_id IN (SELECT id FROM orders WHERE shop_id = ${shopId} AND customer_id IN ${mine})`.execute(
    tx,
  );
  await sql`
    UPDATE gift_card_sales
    SET buyer_email = NULL, recipient_name = NULL, recipient_email = NULL, message = NULL
    WHERE shop_id = ${shopId}
      AND (buyer_email IS NOT NULL OR recipient_name IS NOT NULL OR recipient_email IS NOT NULL
           OR message IS NOT NULL)
      AND order_id IN (SELECT id FROM orders WHERE shop_id = ${shopId} AND customer_id IN ${mine})`.execute(
    tx,
  );
  await sql`
    UPDATE refunds SET reason = NULL
    WHERE shop_id = ${shopId} AND reason IS NOT NULL
      AND order_id IN (SELECT id FROM orders WHERE shop_id = ${shopId} AND customer_id IN ${mine})`.execute(
    tx,
  );
  await sql`DELETE FROM customer_data_exports WHERE shop_id = ${shopId} AND customer_id IN ${mine}`.execute(
    tx,
  );
  await sql`DELETE FROM portal_sign_in_links WHERE shop_id = ${shopId} AND customer_id IN ${mine}`.execute(
    tx,
  );

  // Raw deliveries that name the person (their id, e-mail, phone, old referral code), and audit
  // entries about them: bodies and before/after replaced, metadata kept.
  const named = [
    ...externalIds.flatMap((id) => [`"${id}"`, `:${id},`, `:${id}}`, `: ${id},`, `: ${id}}`]),
    ...addresses.map((a) => a.address),
    ...codes.map((c) => c.old),
  ];
  await sql`
    UPDATE inbound_events SET body = convert_to(${REDACTED_BODY}, 'UTF8')
    WHERE shop_id = ${shopId} AND status IN ('processed', 'ignored', 'failed')
      AND body <> convert_to(${REDACTED_BODY}, 'UTF8')
      AND EXISTS (SELECT 1 FROM unnest(${named}::text[]) v
                  WHERE position(convert_to(v, 'UTF8') IN body) > 0)`.execute(tx);
  // Imported files' working copies (imports/): the rows that carried the person lose their
  // data and key; the line and any refusal stay in the import's report.
  await sql`
    UPDATE import_rows SET data = NULL, key = NULL
    WHERE shop_id = ${shopId} AND (data IS NOT NULL OR key IS NOT NULL)
      AND (key = ANY(${externalIds}::text[])
           OR EXISTS (SELECT 1 FROM unnest(${named}::text[]) v
                      WHERE position(v IN COALESCE(data::text, '') || ' ' || COALESCE(key, '')) > 0))`.execute(
    tx,
  );
  await scrubAudit(tx, shopId, targets, [
    ...addresses.map((a) => a.address),
    ...codes.map((c) => c.old),
  ]);

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

async function hashSuppressions(tx: Tx, shopId: string, addresses: Address[]): Promise<void> {
  const listed = await tx
    .selectFrom('suppressions')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where(
      'address',
      'in',
      addresses.map((a) => a.address),
    )
    .execute();
  if (listed.length === 0) return;
  const salt = await ensureSuppressionSalt(tx, shopId);
  for (const row of listed) {
    await tx
      .insertInto('suppressions')
      .values({ ...row, address: hashAddress(salt, row.channel, row.address) })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await tx
      .deleteFrom('suppressions')
      .where('shop_id', '=', shopId)
      .where('channel', '=', row.channel)
      .where('address', '=', row.address)
      .execute();
  }
}

/**
 * Audit entries about the customer (the customer, their notes, tasks and reviews) or holding
 * one of their addresses keep who did what and when; before and after become
 * {"redacted": true}. The erasure requests themselves keep their reason (it names nobody).
 */
async function scrubAudit(
  tx: Tx,
  shopId: string,
  targets: string[],
  values: string[],
): Promise<void> {
  const redacted = sql`'{"redacted": true}'::jsonb`;
  const about = (text: RawBuilder<unknown>) => sql`
    shop_id = ${shopId} AND action NOT LIKE '%/erasure'
    AND (target_id = ANY(${targets}::text[])
         OR EXISTS (SELECT 1 FROM unnest(${values}::text[]) v
                    WHERE position(lower(v) IN lower(${text})) > 0))`;
  await sql`SELECT set_config('lojal.erasing', 'on', true)`.execute(tx);
  await sql`
    UPDATE audit_log SET
      before = CASE WHEN before IS NULL THEN NULL ELSE ${redacted} END,
      after = CASE WHEN after IS NULL THEN NULL ELSE ${redacted} END
    WHERE ${about(sql`coalesce(before::text, '') || coalesce(after::text, '')`)}
      AND (coalesce(before, ${redacted}) <> ${redacted} OR coalesce(after, ${redacted}) <> ${redacted})`.execute(
    tx,
  );
  await sql`SELECT set_config('lojal.erasing', 'off', true)`.execute(tx);
  await sql`
    UPDATE audit_intents SET before = ${redacted}
    WHERE ${about(sql`coalesce(before::text, '')`)} AND before IS NOT NULL AND before <> ${redacted}`.execute(
    tx,
  );
}
