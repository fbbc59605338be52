import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { ShopRow } from '../shops/shop.ts';
import { customerView } from '../customers/customer-view.ts';
import { findCustomersByContact } from '../customers/find-by-contact.ts';
import { listStampCards } from '../stamps/list-stamp-cards.ts';
import { listRewards } from '../rewards/manage-rewards.ts';
import { problems } from '../shared/errors.ts';
import { maskEmail } from '../shared/mask-email.ts';
import { readyRewards } from './ready-rewards.ts';

/** "••• ••• 789": the last three digits. */
export function maskPhone(phone: string): string {
  return `••• ••• ${phone.replace(/\D/g, '').slice(-3)}`;
}

function maskedContact(c: { email: string | null; phone: string | null }): string | null {
  if (c.email) return maskEmail(c.email);
  if (c.phone) return maskPhone(c.phone);
  return null;
}

/** "Anna N.": the first name and the last name's initial. */
function shortName(c: { firstName: string | null; lastName: string | null }): string | null {
  const first = c.firstName?.trim();
  const last = c.lastName?.trim();
  const name = [first, last ? `${last.slice(0, 1)}.` : null].filter(Boolean).join(' ');
  return name === '' ? null : name;
}

/** The counter's search: exact phone, e-mail or card number; only what the barista needs. */
export async function findCounterCustomers(db: Db, shop: ShopRow, q: string) {
  const found = await findCustomersByContact(db, shop, q);
  return found.map((c) => ({ id: c.id, name: shortName(c), contact: maskedContact(c) }));
}

/**
 * The customer card on the staff device: name, masked contact, points, stamp cards with
 * today's stamps, the rewards the customer holds ready to use, and the rewards the points buy
 * now. Nothing else of the customer 360.
 */
export async function counterCustomerCard(db: Db, clock: Clock, shop: ShopRow, id: string) {
  const now = clock.now();
  const customer = await customerView(db, shop, id, now);
  if (customer.redacted) throw problems.notFound(`Customer ${id}`);
  const [cards, rewards, ready] = await Promise.all([
    listStampCards(db, clock, shop, id),
    listRewards(db, shop),
    readyRewards(db, shop.id, customer.lojalId, now),
  ]);
  const open = rewards.filter(
    (r) =>
      (r.startsAt === null || new Date(r.startsAt) <= now) &&
      (r.endsAt === null || new Date(r.endsAt) > now) &&
      r.stock !== 0,
  );
  return {
    id: customer.id,
    name: shortName(customer),
    contact: maskedContact(customer),
    points: { available: customer.points.available, pending: customer.points.pending },
    stampCards: cards
      .filter((c) => c.active)
      .map((c) => ({
        programmeId: c.programmeId,
        name: c.name,
        earnBy: c.earnBy,
        stamps: c.stamps,
        stampsRequired: c.stampsRequired,
        completedCards: c.completedCards,
        stampsToday: c.stampsToday,
        dailyLimit: c.dailyLimit,
        stampedToday: c.stampsToday > 0,
        limitReached: c.dailyLimit !== null && c.stampsToday >= c.dailyLimit,
      })),
    readyRewards: ready,
    rewards: open.map((r) => ({
      id: r.id,
      name: r.names,
      pointsCost: r.pointsCost,
      affordable: customer.points.available >= r.pointsCost,
    })),
  };
}
