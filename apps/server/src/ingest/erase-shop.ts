import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import type { DomainEvent } from '../events/domain-events.ts';

/**
 * Shopify's shop/redact (48 hours after the shop uninstalled the app): the personal data of the
 * shop's customers is erased, the way customers/redact erases one customer, for all of them at
 * once, in the processor's transaction. Sums, points, tiers and analytics stay (the rows keep
 * their ids and amounts), so the shop's records stay consistent. Idempotent: a second run finds
 * nothing left to erase and changes nothing. Erased (docs/integrations/shopify.md lists it):
 * - customers: e-mail, phone, first and last name, birthday (redacted_at set);
 * - orders: e-mail and delivery address;
 * - what customers wrote for the referral programme (share messages, thank-you notes);
 * - staff notes and tasks about customers (free text about a person);
 * - the raw deliveries already handled (bodies replaced; see scrubShopRawEvents).
 * Returns a `customer.redacted` event for each customer erased now, so the features forget them
 * too (queued messages, running flows, popups).
 */
export async function eraseShopPersonalData(
  tx: Tx,
  shopId: string,
  now: Date,
): Promise<DomainEvent[]> {
  const erased = await sql<{ id: string }>`
    UPDATE customers SET email = NULL, phone = NULL, first_name = NULL, last_name = NULL,
      birthday = NULL, redacted_at = coalesce(redacted_at, ${now}), updated_at = ${now}
    WHERE shop_id = ${shopId}
      AND (redacted_at IS NULL OR email IS NOT NULL OR phone IS NOT NULL
           OR first_name IS NOT NULL OR last_name IS NOT NULL OR birthday IS NOT NULL)
    RETURNING id`.execute(tx);
  await sql`
    UPDATE orders SET email = NULL, shipping_address = NULL
    WHERE shop_id = ${shopId} AND (email IS NOT NULL OR shipping_address IS NOT NULL)`.execute(tx);
  await sql`DELETE FROM referral_share_messages WHERE shop_id = ${shopId}`.execute(tx);
  await sql`
    UPDATE referrals SET thank_you_note = NULL
    WHERE shop_id = ${shopId} AND thank_you_note IS NOT NULL`.execute(tx);
  await sql`DELETE FROM customer_notes WHERE shop_id = ${shopId}`.execute(tx);
  await sql`DELETE FROM customer_tasks WHERE shop_id = ${shopId}`.execute(tx);
  return erased.rows.map((r) => ({
    type: 'customer.redacted' as const,
    shopId,
    customerId: r.id,
    at: now,
  }));
}

/**
 * Every delivery of the shop keeps its metadata and loses its body: handled ones, and those still
 * waiting or pending too, which would otherwise write a customer's data back after the erasure
 * (they fail as unreadable, with the reason).
 */
export async function scrubShopRawEvents(tx: Tx, shopId: string): Promise<void> {
  await sql`
    UPDATE inbound_events SET body = convert_to('{"redacted":true}', 'UTF8')
    WHERE shop_id = ${shopId}
      AND body <> convert_to('{"redacted":true}', 'UTF8')`.execute(tx);
}
