import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';

/**
 * Erasure (RODO/GDPR) for messaging: a redacted customer leaves every flow, nothing queued goes
 * out, the copies of what was sent (texts, addresses, outbox mail, push subscriptions) are
 * removed, and the log keeps only what happened and when. Consent records stay as the proof
 * the law asks the shop to keep.
 */
export async function forgetCustomerMessages(
  tx: Tx,
  customers: Array<{ shopId: string; customerId: string }>,
  now: Date,
): Promise<void> {
  if (customers.length === 0) return;
  const shops = customers.map((c) => c.shopId);
  const ids = customers.map((c) => c.customerId);
  const pairs = sql`(SELECT * FROM unnest(${shops}::text[], ${ids}::text[]))`;
  await sql`
    UPDATE flow_runs SET status = 'exited', end_reason = 'customer_redacted', ended_at = ${now}, due_at = NULL
    WHERE status = 'active' AND (shop_id, customer_id) IN ${pairs}`.execute(tx);
  await sql`
    DELETE FROM mail_outbox o USING messages m
    WHERE m.shop_id = o.shop_id AND m.id = o.message_id AND (m.shop_id, m.customer_id) IN ${pairs}`.execute(
    tx,
  );
  await sql`
    UPDATE messages SET
      status = CASE WHEN status = 'queued' THEN 'suppressed' ELSE status END,
      status_reason = CASE WHEN status = 'queued' THEN 'customer_redacted' ELSE status_reason END,
      to_address = NULL, subject = NULL, body_text = NULL, variables = '{}'
    WHERE (shop_id, customer_id) IN ${pairs}`.execute(tx);
  await sql`DELETE FROM push_subscriptions WHERE (shop_id, customer_id) IN ${pairs}`.execute(tx);
  // What runs and triggers carried (cart contents, coupon codes) and the clients' addresses.
  await sql`
    UPDATE message_events e SET client_address = NULL, url = NULL FROM messages m
    WHERE m.shop_id = e.shop_id AND m.id = e.message_id AND (m.shop_id, m.customer_id) IN ${pairs}`.execute(
    tx,
  );
  await sql`UPDATE flow_runs SET context = '{}' WHERE (shop_id, customer_id) IN ${pairs}`.execute(
    tx,
  );
  await sql`
    UPDATE flow_run_steps s SET detail = '{}' FROM flow_runs r
    WHERE r.shop_id = s.shop_id AND r.id = s.run_id AND (r.shop_id, r.customer_id) IN ${pairs}`.execute(
    tx,
  );
  await sql`UPDATE automation_triggers SET data = '{}' WHERE (shop_id, customer_id) IN ${pairs}`.execute(
    tx,
  );
}
