import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import type { MessageChannel, MessagePurpose } from '../db/schema.ts';
import { consentAllows } from './consent.ts';
import { hashAddress, suppressionSalts } from '../messaging/suppression-hash.ts';
import type { MessagingSettings } from './messaging-settings.ts';

export interface GatedMessage {
  shop_id: string;
  id: string;
  customer_id: string | null;
  channel: MessageChannel;
  purpose: MessagePurpose;
  to_address: string | null;
}

/**
 * Why each message must not go out now, or null when it may: no address or push subscription,
 * a suppressed address (a bounce stops everything; a complaint or STOP everything but
 * transactional mail), no consent for its purpose, or the weekly cap on marketing reached
 * (counting what this batch already lets through). Read in bulk for a batch.
 */
export async function messageGates(
  tx: Tx,
  messages: GatedMessage[],
  settings: Map<string, MessagingSettings>,
  now: Date,
): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  const personal = messages.filter((m) => m.channel !== 'webhook' && m.customer_id !== null);
  for (const m of messages) out.set(m.id, m.channel === 'webhook' ? null : 'no_customer');
  if (personal.length === 0) return out;
  const shops = personal.map((m) => m.shop_id);
  const customers = personal.map((m) => m.customer_id!);
  const { rows: facts } = await sql<{
    shop_id: string;
    id: string;
    accepts_email_marketing: boolean | null;
    accepts_sms_marketing: boolean | null;
    redacted: boolean;
    consents: Record<string, boolean> | null;
    push_subscriptions: number;
    marketing_week: number;
  }>`
    SELECT c.shop_id, c.id, c.accepts_email_marketing, c.accepts_sms_marketing,
           c.redacted_at IS NOT NULL AS redacted,
           (SELECT jsonb_object_agg(k.channel || ':' || k.purpose, k.granted) FROM consents k
             WHERE k.shop_id = c.shop_id AND k.customer_id = c.id) AS consents,
           (SELECT count(*) FROM push_subscriptions p
             WHERE p.shop_id = c.shop_id AND p.customer_id = c.id AND p.revoked_at IS NULL)::int AS push_subscriptions,
           (SELECT count(*) FROM messages m
             WHERE m.shop_id = c.shop_id AND m.customer_id = c.id AND m.purpose = 'marketing'
               AND m.status IN ('claimed', 'sending', 'sent', 'delivered', 'uncertain')
               AND coalesce(m.sent_at, m.claimed_at) > ${now}::timestamptz - interval '7 days')::int AS marketing_week
    FROM customers c
    WHERE (c.shop_id, c.id) IN (SELECT * FROM unnest(${shops}::text[], ${customers}::text[]))`.execute(
    tx,
  );
  const byCustomer = new Map(facts.map((f) => [`${f.shop_id} ${f.id}`, f]));
  const addresses = personal.filter((m) => m.to_address !== null);
  // An erased customer's addresses stay on the lists as salted hashes (messaging/suppression-hash.ts).
  const salts = await suppressionSalts(
    tx,
    addresses.map((m) => m.shop_id),
  );
  const keys = addresses.flatMap((m) => {
    const salt = salts.get(m.shop_id);
    const hashed = salt ? [hashAddress(salt, m.channel, m.to_address!)] : [];
    return [m.to_address!, ...hashed].map((address) => ({ m, address }));
  });
  const { rows: suppressed } = keys.length
    ? await sql<{ shop_id: string; channel: string; address: string; reason: string }>`
        SELECT shop_id, channel, address, reason FROM suppressions
        WHERE (shop_id, channel, address) IN (
          SELECT * FROM unnest(${keys.map((k) => k.m.shop_id)}::text[], ${keys.map((k) => k.m.channel)}::text[],
                               ${keys.map((k) => k.address)}::text[]))`.execute(tx)
    : { rows: [] };
  const byKey = new Map(
    suppressed.map((s) => [`${s.shop_id} ${s.channel} ${s.address}`, s.reason]),
  );
  // Each message's address, looked up as written and as its hash.
  const suppression = new Map<string, string>();
  for (const { m, address } of keys) {
    const reason = byKey.get(`${m.shop_id} ${m.channel} ${address}`);
    const key = `${m.shop_id} ${m.channel} ${m.to_address}`;
    if (reason && suppression.get(key) !== 'bounced') suppression.set(key, reason);
  }
  const weekly = new Map<string, number>();

  for (const m of personal) {
    const f = byCustomer.get(`${m.shop_id} ${m.customer_id}`);
    const channel = m.channel as 'email' | 'sms' | 'push';
    let reason: string | null = null;
    if (!f || f.redacted) reason = 'no_customer';
    else if (channel === 'push' ? f.push_subscriptions === 0 : !m.to_address)
      reason = channel === 'push' ? 'no_subscription' : 'no_address';
    else {
      const suppressedFor = m.to_address
        ? suppression.get(`${m.shop_id} ${channel} ${m.to_address}`)
        : undefined;
      if (suppressedFor === 'bounced' || (suppressedFor && m.purpose !== 'transactional'))
        reason = `suppressed_${suppressedFor}`;
      else if (
        m.purpose !== 'transactional' &&
        !consentAllows({
          channel,
          purpose: m.purpose,
          recorded: f.consents?.[`${channel}:${m.purpose}`],
          acceptsEmailMarketing: f.accepts_email_marketing,
          acceptsSmsMarketing: f.accepts_sms_marketing,
        })
      )
        reason = 'no_consent';
      else if (m.purpose === 'marketing') {
        const key = `${m.shop_id} ${m.customer_id}`;
        const sent = (weekly.get(key) ?? f.marketing_week) + 1;
        if (sent > settings.get(m.shop_id)!.weeklyMarketingCap) reason = 'weekly_cap';
        else weekly.set(key, sent);
      }
    }
    out.set(m.id, reason);
  }
  return out;
}
