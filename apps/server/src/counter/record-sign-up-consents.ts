import type { Tx } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { DomainEvent, Reaction } from '../events/domain-events.ts';
import { recordConsent } from '../automations/consent.ts';

/**
 * A customer signed up at the counter appears (its customer.created is applied): the consents
 * given on the staff device's screen are recorded now, with the exact text shown as proof and
 * the device as the source, once.
 */
async function react(tx: Tx, clock: Clock, events: DomainEvent[]): Promise<void> {
  const byShop = new Map<string, string[]>();
  for (const e of events) {
    if (e.type !== 'customer.created') continue;
    byShop.set(e.shopId, [...(byShop.get(e.shopId) ?? []), e.customerId]);
  }
  for (const [shopId, customerIds] of byShop) {
    const pending = await tx
      .selectFrom('counter_sign_ups as s')
      .innerJoin('customers as c', (join) =>
        join
          .onRef('c.shop_id', '=', 's.shop_id')
          .onRef('c.external_id', '=', 's.customer_external_id'),
      )
      .select(['s.id', 's.consents', 's.created_at', 'c.id as customer_id'])
      .where('s.shop_id', '=', shopId)
      .where('c.id', 'in', customerIds)
      .where('s.consents_recorded_at', 'is', null)
      .forUpdate('s')
      .execute();
    for (const signUp of pending) {
      for (const consent of signUp.consents) {
        await recordConsent(tx, clock, {
          shopId,
          customerId: signUp.customer_id,
          channel: consent.channel,
          purpose: consent.purpose,
          granted: consent.granted,
          source: 'staff',
          textShown: consent.text,
          at: signUp.created_at,
        });
      }
      await tx
        .updateTable('counter_sign_ups')
        .set({ consents_recorded_at: clock.now() })
        .where('shop_id', '=', shopId)
        .where('id', '=', signUp.id)
        .execute();
    }
  }
}

export const counterSignUpsReaction: Reaction = {
  name: 'counter-sign-ups',
  on: ['customer.created'],
  react,
};
