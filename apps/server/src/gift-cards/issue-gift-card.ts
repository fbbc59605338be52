import type { Db, Tx } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ShopRow } from '../shops/shop.ts';
import { newCouponCode } from '../coupons/coupon-code.ts';
import { credit } from '../points/account.ts';
import { GIFT_CARDS, openAccounts, saveAccounts } from '../points/ledger.ts';
import { giftCardView } from './gift-card-view.ts';
import { giftCardCodeHash, giftCardCodeHint } from './gift-card-code.ts';
import { giftCardPinHash, newGiftCardPin } from './gift-card-pin.ts';

export interface IssueGiftCardInput {
  amount: number;
  currency: string;
  expiresAt?: string;
  customerId?: string;
  code?: string;
  actor: string;
}

/**
 * Issues a gift card: a code (generated, 65 bits, unless the shop brings its own), a six-digit
 * PIN for the balance page, and a first lot of money through the ledger, expiring with the
 * card. Code and PIN are kept as hashes and shown in full only in this answer.
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
    const issued = await issueGiftCardIn(tx, shop.id, { ...input, customerId, at: now });
    if (!issued)
      throw problems.conflict(`The code ${input.code} is already a gift card in this shop.`);
    // The only answer that holds the full code and PIN: the database keeps their hashes.
    return {
      code: issued.code,
      pin: issued.pin,
      ...(await giftCardView(tx, shop.id, issued.code, now)),
    };
  });
}

/**
 * The card, its PIN and its first lot, in the caller's transaction. Null when a code the shop
 * brought is already a card (a generated one never is: 65 bits).
 */
export async function issueGiftCardIn(
  tx: Tx,
  shopId: string,
  input: {
    amount: number;
    currency: string;
    expiresAt?: string | Date | null;
    customerId?: string | null;
    code?: string;
    actor: string;
    at: Date;
    orderId?: string | null;
    /** The card's id when the caller has claimed one (an order line's sale). */
    id?: string;
  },
): Promise<{ id: string; code: string; pin: string } | null> {
  const id = input.id ?? newId('gft');
  const code = input.code ?? newCouponCode('GC');
  const pin = newGiftCardPin();
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  const inserted = await tx
    .insertInto('gift_cards')
    .values({
      shop_id: shopId,
      id,
      code_hash: giftCardCodeHash(shopId, code),
      code_hint: giftCardCodeHint(code),
      pin_hash: giftCardPinHash(shopId, id, pin),
      currency: input.currency,
      initial_amount: input.amount,
      expires_at: expiresAt,
      customer_id: input.customerId ?? null,
      created_at: input.at,
    })
    .onConflict((oc) => oc.columns(['shop_id', 'code_hash']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return null;
  const accounts = await openAccounts(tx, shopId, [id], { book: GIFT_CARDS });
  credit(accounts.get(id)!, {
    points: input.amount,
    kind: 'earn',
    cause: input.orderId ? 'order' : 'adjustment',
    orderId: input.orderId ?? null,
    reason: 'issued',
    actor: input.actor,
    key: `issue:${id}`,
    at: input.at,
    availableAt: input.at,
    expiresAt,
  });
  await saveAccounts(tx, accounts.values(), input.at, GIFT_CARDS);
  return { id, code, pin };
}
