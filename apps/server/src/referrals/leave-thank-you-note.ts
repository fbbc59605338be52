import type { Db } from '../db/connect.ts';
import { findCustomerId } from '../customers/find-customer-id.ts';
import { problems } from '../shared/errors.ts';
import type { ShopRow } from '../shops/shop.ts';

/**
 * The friend thanks the referrer in one line; the note shows in the referrer's list of
 * referrals. A later note replaces the earlier one. A rejected referral takes none: its
 * referrer is not shown anything about it.
 */
export async function leaveThankYouNote(
  db: Db,
  shop: ShopRow,
  input: { customerId: string; note: string },
  now: Date,
) {
  const friendId = await findCustomerId(db, shop.id, input.customerId, { allowRedacted: false });
  const referral = await db
    .selectFrom('referrals')
    .select(['id', 'status'])
    .where('shop_id', '=', shop.id)
    .where('friend_customer_id', '=', friendId)
    .executeTakeFirst();
  if (!referral) throw problems.notFound(`Referral of customer ${input.customerId}`);
  if (referral.status === 'rejected') {
    throw problems.conflict(`Referral ${referral.id} was rejected; it takes no thank-you note.`);
  }
  const note = input.note.trim();
  await db
    .updateTable('referrals')
    .set({ thank_you_note: note, thank_you_at: now })
    .where('shop_id', '=', shop.id)
    .where('id', '=', referral.id)
    .execute();
  return { referralId: referral.id, note, at: now.toISOString() };
}
