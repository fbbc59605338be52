import type { Db } from '../db/connect.ts';
import type { Tx } from '../db/connect.ts';
import type { DomainEvent, Reaction } from '../events/domain-events.ts';
import { problems } from '../shared/errors.ts';
import type { ShopRow } from '../shops/shop.ts';
import { addDays } from '../shared/zoned-time.ts';
import { referralCodeKey } from '../referrals/referral-code.ts';

/**
 * A paid order whose discount codes hold a live affiliate's code is that affiliate's, at the
 * rate of the moment. An order has one affiliate: the first attribution stays.
 */
export async function attributeAffiliateOrders(
  tx: Tx,
  events: Array<Extract<DomainEvent, { type: 'order.paid' }>>,
): Promise<void> {
  if (events.length === 0) return;
  const shopId = events[0]!.shopId;
  const orders = await tx
    .selectFrom('orders')
    .select(['id', 'discount_codes'])
    .where('shop_id', '=', shopId)
    .where(
      'id',
      'in',
      events.map((e) => e.orderId),
    )
    .where((eb) => eb(eb.fn('cardinality', ['discount_codes']), '>', 0))
    .execute();
  const keys = [...new Set(orders.flatMap((o) => o.discount_codes.map(referralCodeKey)))];
  if (keys.length === 0) return;
  const affiliates = await tx
    .selectFrom('affiliates')
    .select(['id', 'code_key', 'commission_percent'])
    .where('shop_id', '=', shopId)
    .where('code_key', 'in', keys)
    .where('archived_at', 'is', null)
    .execute();
  if (affiliates.length === 0) return;
  const at = new Map(events.map((e) => [e.orderId, e.at]));
  const rows = orders.flatMap((o) => {
    const a = affiliates.find((x) =>
      o.discount_codes.some((c) => referralCodeKey(c) === x.code_key),
    );
    return a
      ? [
          {
            shop_id: shopId,
            order_id: o.id,
            affiliate_id: a.id,
            source: 'code' as const,
            visit_id: null,
            commission_percent: a.commission_percent,
            attributed_at: at.get(o.id)!,
          },
        ]
      : [];
  });
  if (rows.length > 0) {
    await tx
      .insertInto('affiliate_orders')
      .values(rows)
      .onConflict((oc) => oc.columns(['shop_id', 'order_id']).doNothing())
      .execute();
  }
}

export const affiliatesReaction: Reaction = {
  name: 'affiliates',
  on: ['order.paid'],
  react: (tx, _clock, events) =>
    attributeAffiliateOrders(tx, events as Array<Extract<DomainEvent, { type: 'order.paid' }>>),
};

/**
 * The storefront ties an order to the affiliate link the buyer came through: it kept
 * `lojal_visit` from the landing URL and hands it back with the order id. The order counts
 * while it was placed within the affiliate's attribution window after the visit.
 */
export async function attributeAffiliateOrder(
  db: Db,
  shop: ShopRow,
  input: { orderId: string; visitId: string },
  now: Date,
) {
  return db.transaction().execute(async (tx) => {
    const order = await tx
      .selectFrom('orders')
      .select(['id', 'placed_at'])
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', input.orderId)
      .executeTakeFirst();
    if (!order) throw problems.notFound(`Order ${input.orderId}`);
    const visit = await tx
      .selectFrom('affiliate_visits as v')
      .innerJoin('affiliates as a', (j) =>
        j.onRef('a.shop_id', '=', 'v.shop_id').onRef('a.id', '=', 'v.affiliate_id'),
      )
      .select([
        'v.id',
        'v.visited_at',
        'a.id as affiliate_id',
        'a.commission_percent',
        'a.attribution_window_days',
      ])
      .where('v.shop_id', '=', shop.id)
      .where('v.id', '=', input.visitId)
      .executeTakeFirst();
    if (!visit) throw problems.notFound(`Affiliate visit ${input.visitId}`);
    if (
      order.placed_at < visit.visited_at ||
      order.placed_at > addDays(visit.visited_at, visit.attribution_window_days)
    ) {
      return { attributed: false as const, reason: 'attribution_window_passed' };
    }
    const row = await tx
      .insertInto('affiliate_orders')
      .values({
        shop_id: shop.id,
        order_id: order.id,
        affiliate_id: visit.affiliate_id,
        source: 'link',
        visit_id: visit.id,
        commission_percent: visit.commission_percent,
        attributed_at: now,
      })
      .onConflict((oc) => oc.columns(['shop_id', 'order_id']).doNothing())
      .returning('affiliate_id')
      .executeTakeFirst();
    if (!row) return { attributed: false as const, reason: 'already_attributed' };
    return { attributed: true as const, affiliateId: visit.affiliate_id };
  });
}
