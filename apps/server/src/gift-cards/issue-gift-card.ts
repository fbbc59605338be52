import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ShopRow } from '../shops/shop.ts';
import { newCouponCode } from '../coupons/coupon-code.ts';
import { credit } from '../points/account.ts';
import { GIFT_CARDS, openAccounts, saveAccounts } from '../points/ledger.ts';
import { giftCardView } from './gift-card-view.ts';
import { giftCardCodeHash, giftCardCodeHint } from './gift-card-code.ts';

export interface IssueGiftCardInput {
  amount: number;
  currency: string;
  expiresAt?: string;
  customerId?: string;
  code?: string;
  actor: string;
}

/**
 * Issues a gift card: a code (generated, 65 bits, unless the shop brings its own) and a first
 * lot of money through the ledger, expiring with the card. The code is kept as a hash and shown
 * in full only in this answer.
 */
export async function issueGiftCard(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  input: IssueGiftCardInput,
) {
  const now = clock.now();
  if (input.expiresAt && Date.parse(input.expiresAt) <= now.getTime()) {
    throw problems.validation([{ path: 'expiresAt', message: 'must be in the future' }]);
  }
  return db.transaction().execute(async (tx) => {
    let customerId: string | null = null;
    if (input.customerId) {
      const customer = await tx
        .selectFrom('customers')
        .select('id')
        .where('shop_id', '=', shop.id)
        .where('external_id', '=', input.customerId)
        .executeTakeFirst();
      if (!customer)
        throw problems.validation([{ path: 'customerId', message: 'no such customer' }]);
      customerId = customer.id;
    }
    const id = newId('gft');
    const code = input.code ?? newCouponCode('GC');
    const inserted = await tx
      .insertInto('gift_cards')
      .values({
        shop_id: shop.id,
        id,
        code_hash: giftCardCodeHash(shop.id, code),
        code_hint: giftCardCodeHint(code),
        currency: input.currency,
        initial_amount: input.amount,
        expires_at: input.expiresAt ?? null,
        customer_id: customerId,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['shop_id', 'code_hash']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) throw problems.conflict(`The code ${code} is already a gift card in this shop.`);
    const accounts = await openAccounts(tx, shop.id, [id], { book: GIFT_CARDS });
    credit(accounts.get(id)!, {
      points: input.amount,
      kind: 'earn',
      cause: 'adjustment',
      reason: 'issued',
      actor: input.actor,
      key: `issue:${id}`,
      at: now,
      availableAt: now,
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
    });
    await saveAccounts(tx, accounts.values(), now, GIFT_CARDS);
    // The only answer that holds the full code: the database keeps its hash.
    return { code, ...(await giftCardView(tx, shop.id, code, now)) };
  });
}
