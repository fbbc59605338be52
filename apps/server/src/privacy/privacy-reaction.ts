import type { Tx } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { DomainEvent, Reaction } from '../events/domain-events.ts';
import { eraseCustomerData, type ErasedCustomer } from './erase-customer-data.ts';
import { answerDataRequest } from './answer-data-request.ts';

/**
 * A customer erased (the API, the portal, Shopify customers/redact, the retention policy, a
 * whole shop's shop/redact): their personal data goes from every table the register names,
 * in the transaction that cleared the customer row. A platform's data request: the export is
 * made and kept for the merchant.
 */
async function react(tx: Tx, clock: Clock, events: DomainEvent[]): Promise<void> {
  const byShop = new Map<string, ErasedCustomer[]>();
  for (const e of events) {
    if (e.type !== 'customer.redacted') continue;
    const list = byShop.get(e.shopId) ?? [];
    list.push({
      customerId: e.customerId,
      erased: e.erased ?? [],
      ...(e.request && { request: e.request }),
    });
    byShop.set(e.shopId, list);
  }
  for (const [shopId, customers] of byShop) {
    await eraseCustomerData(tx, shopId, customers, clock.now());
  }
  for (const e of events) {
    if (e.type !== 'customer.data-requested') continue;
    await answerDataRequest(tx, clock, e);
  }
}

export const privacyReaction: Reaction = {
  name: 'privacy',
  on: ['customer.redacted', 'customer.data-requested'],
  react,
};
