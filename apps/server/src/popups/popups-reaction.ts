import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { DomainEvent, Reaction } from '../events/domain-events.ts';
import { linkSignUpConsent } from './link-sign-up-consent.ts';

/**
 * A customer appears (created by a confirmed sign-up, or by the shop with the same e-mail):
 * confirmed sign-ups with that e-mail that have no consent on record yet get it now. An erased
 * customer's sign-ups lose the e-mail, the client and the page (the counts stay for results).
 */
async function react(tx: Tx, clock: Clock, events: DomainEvent[]): Promise<void> {
  const byShop = new Map<string, { appeared: string[]; erased: string[] }>();
  for (const e of events) {
    if (!('customerId' in e) || e.customerId === null) continue;
    const entry = byShop.get(e.shopId) ?? { appeared: [], erased: [] };
    (e.type === 'customer.redacted' ? entry.erased : entry.appeared).push(e.customerId);
    byShop.set(e.shopId, entry);
  }
  for (const [shopId, { appeared, erased }] of byShop) {
    if (appeared.length > 0) {
      const pending = await sql<{
        customer_id: string;
        shop_id: string;
        id: string;
        text_shown: string | null;
        page: string | null;
        client_address: string | null;
        user_agent: string | null;
        confirmed_at: Date | null;
      }>`
        SELECT c.id AS customer_id, s.shop_id, s.id, s.text_shown, s.page,
               s.client_address, s.user_agent, s.confirmed_at
        FROM customers c
        JOIN popup_sign_ups s ON s.shop_id = c.shop_id AND s.email = lower(c.email)
        WHERE c.shop_id = ${shopId} AND c.id = ANY(${appeared}::text[]) AND c.redacted_at IS NULL
          AND s.confirmed_at IS NOT NULL AND s.consent_event_id IS NULL
        ORDER BY s.id, c.created_at, c.id
        FOR UPDATE OF s`.execute(tx);
      // Two customers with one e-mail: the earliest gets the consent.
      const linked = new Set<string>();
      for (const signUp of pending.rows) {
        if (linked.has(signUp.id)) continue;
        linked.add(signUp.id);
        await linkSignUpConsent(tx, clock, signUp, signUp.customer_id);
      }
    }
    if (erased.length > 0) {
      await tx
        .updateTable('popup_sign_ups')
        .set({ email: null, page: null, client_address: null, user_agent: null, visitor_id: null })
        .where('shop_id', '=', shopId)
        .where('customer_id', 'in', erased)
        .execute();
    }
  }
}

export const popupsReaction: Reaction = {
  name: 'popups',
  on: ['customer.created', 'customer.updated', 'customer.redacted'],
  react,
};
