import type { Clock } from '../shared/clock.ts';
import type { ShopRow } from '../shops/shop.ts';
import type { InboxWriter } from '../ingest/inbox-writer.ts';
import { apiEventDelivery } from '../ingest/api-event.ts';
import type { StaffIdentity } from '../stamps/authenticate-staff.ts';

export interface CounterPurchase {
  customerId: string; // the shop's own id
  amount: number; // minor units of the shop's currency
  /** The device's own id for this purchase, made when it was rung up (a UUID). */
  reference: string;
  /** Lojal coupon codes the purchase uses (a reward taken at the counter). */
  discountCodes?: string[];
}

/** The order a counter purchase becomes: `counter-<reference>`, so a resend is the same order. */
export const counterOrderId = (reference: string) => `counter-${reference}`;

/**
 * A purchase rung up at the counter earns points like any order: it goes into the event log
 * as a paid order (deduplicated by its id, so the device's resends never earn twice) and the
 * programme's rules apply when it is processed, a moment later.
 */
export async function recordCounterPurchase(
  inbox: InboxWriter,
  clock: Clock,
  shop: ShopRow,
  staff: StaffIdentity,
  input: CounterPurchase,
) {
  const orderId = counterOrderId(input.reference);
  const at = clock.now().toISOString();
  const stored = await inbox.write(
    apiEventDelivery(shop.id, {
      type: 'order.paid',
      id: orderId,
      occurredAt: at,
      data: {
        id: orderId,
        customer: { id: input.customerId },
        currency: shop.currency,
        total: input.amount,
        ...(input.discountCodes && { discountCodes: input.discountCodes }),
        createdAt: at,
      },
    }),
  );
  return {
    orderId,
    eventId: stored.eventId,
    amount: { amount: input.amount, currency: shop.currency },
    staffMember: { id: staff.id, name: staff.name },
    status: stored.duplicate ? ('duplicate' as const) : ('accepted' as const),
  };
}
