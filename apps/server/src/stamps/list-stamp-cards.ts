import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { findCustomerId } from '../customers/find-customer-id.ts';
import type { ShopRow } from '../shops/shop.ts';
import { localDay } from '../shared/zoned-time.ts';
import type { StampReward } from './stamp-programme-schema.ts';

/**
 * A customer's cards: every active programme (a card not started shows 0 stamps), and an
 * inactive one while the customer still has stamps on it.
 */
export async function listStampCards(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  customerExternalId: string,
) {
  const customerId = await findCustomerId(db, shop.id, customerExternalId);
  return stampCardsOf(db, shop, customerId, clock.now());
}

/** The same, for a customer by Lojal's id (the storefront has it already). */
export async function stampCardsOf(db: Db, shop: ShopRow, customerId: string, now: Date) {
  const today = localDay(now, shop.timezone);
  const rows = await db
    .selectFrom('stamp_programmes as p')
    .leftJoin('stamp_cards as c', (join) =>
      join
        .onRef('c.shop_id', '=', 'p.shop_id')
        .onRef('c.programme_id', '=', 'p.id')
        .on('c.customer_id', '=', customerId)
        .on('c.completed_at', 'is', null),
    )
    .select((eb) => [
      'p.id',
      'p.name',
      'p.stamps_required',
      'p.earn_by',
      'p.daily_limit',
      'p.reward',
      'p.active',
      'c.id as card_id',
      'c.number',
      'c.stamps',
      'c.stamps_required as card_required',
      'c.last_stamp_at',
      eb
        .selectFrom('stamps as s')
        .select((s) => s.fn.countAll<number>().as('n'))
        .whereRef('s.shop_id', '=', 'p.shop_id')
        .whereRef('s.programme_id', '=', 'p.id')
        .where('s.customer_id', '=', customerId)
        .where('s.local_day', '=', today)
        .as('today'),
    ])
    .where('p.shop_id', '=', shop.id)
    .where((eb) => eb.or([eb('p.active', '=', true), eb('c.stamps', '>', 0)]))
    .orderBy('p.id')
    .execute();
  return rows.map((r) => ({
    programmeId: r.id,
    name: r.name,
    earnBy: r.earn_by,
    active: r.active,
    cardId: r.card_id,
    cardNumber: r.number ?? 1,
    stamps: r.stamps ?? 0,
    stampsRequired: r.card_required ?? r.stamps_required,
    completedCards: r.number ? r.number - 1 : 0,
    lastStampAt: r.last_stamp_at?.toISOString() ?? null,
    stampsToday: Number(r.today ?? 0),
    dailyLimit: r.daily_limit,
    reward: r.reward as StampReward,
  }));
}
