import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import type { ReviewRow } from './review-view.ts';

/**
 * The shop's public answer to a review, shown under it once approved. Writing it again replaces
 * it; an empty text removes it. Moderation is untouched: a reply neither approves nor rejects.
 */
export async function replyToReview(
  db: Db,
  clock: Clock,
  input: { shopId: string; reviewId: string; by: string; reply: string },
): Promise<{ review: ReviewRow; customerId: string }> {
  const now = clock.now();
  const text = input.reply.trim();
  const row = await db
    .updateTable('reviews as r')
    .from('customers as c')
    .set({
      reply: text === '' ? null : text,
      replied_by: text === '' ? null : input.by,
      replied_at: text === '' ? null : now,
      updated_at: now,
    })
    .whereRef('c.shop_id', '=', 'r.shop_id')
    .whereRef('c.id', '=', 'r.customer_id')
    .where('r.shop_id', '=', input.shopId)
    .where('r.id', '=', input.reviewId)
    .returningAll('r')
    .returning('c.external_id')
    .executeTakeFirst();
  if (!row) throw problems.notFound(`Review ${input.reviewId}`);
  const { external_id: customerId, ...review } = row;
  return { review, customerId };
}
