import type { Db } from '../db/connect.ts';
import { findCustomerId } from '../customers/find-customer-id.ts';
import { problems } from '../shared/errors.ts';
import type { ShopRow } from '../shops/shop.ts';
import { attributeReferral, type AttributionResult } from './attribute-referral.ts';

export interface SignupAttribution {
  /** The friend: the shop's own customer id (the customer.created event came first). */
  customerId: string;
  /** A code typed at signup, or the `lojal_ref` the link carried. */
  code?: string;
  /** The `lojal_visit` the link carried: attribution by link, within the window. */
  visitId?: string;
  client?: { address: string; userAgent: string };
}

/**
 * The storefront tells Lojal how a new customer came: by the link (visit id) or a code given
 * at signup. This is where the link visit is tied to the friend.
 */
export async function attributeSignup(
  db: Db,
  shop: ShopRow,
  input: SignupAttribution,
  now: Date,
): Promise<AttributionResult> {
  return db.transaction().execute(async (tx) => {
    const friendId = await findCustomerId(tx, shop.id, input.customerId);
    let code = input.code;
    let visit = null;
    if (input.visitId) {
      const row = await tx
        .selectFrom('referral_visits as v')
        .innerJoin('referral_codes as c', (j) =>
          j
            .onRef('c.shop_id', '=', 'v.shop_id')
            .onRef('c.customer_id', '=', 'v.referrer_customer_id'),
        )
        .select(['v.id', 'v.visited_at', 'v.client_address', 'v.user_agent', 'c.code'])
        .where('v.shop_id', '=', shop.id)
        .where('v.id', '=', input.visitId)
        .executeTakeFirst();
      if (!row) throw problems.notFound(`Referral visit ${input.visitId}`);
      code = row.code;
      visit = {
        id: row.id,
        at: row.visited_at,
        address: row.client_address,
        userAgent: row.user_agent,
      };
    }
    if (!code) throw problems.badRequest('Give a code or a visitId.');
    return attributeReferral(tx, shop, {
      friendId,
      code,
      source: visit ? 'link' : 'signup',
      visit,
      client: input.client ?? null,
      at: now,
    });
  });
}
