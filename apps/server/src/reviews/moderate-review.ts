import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import { apiEventDelivery, apiEventSchema } from '../ingest/api-event.ts';
import type { Delivery, Stored } from '../ingest/inbox-writer.ts';
import type { ReviewRow } from './review-view.ts';

interface Inbox {
  write(delivery: Delivery): Promise<Stored>;
}

/**
 * Publishes a review and reports it to the points engine as a `review.created` event whose
 * sender id names the customer and what was reviewed: the inbox keeps one event per id, so
 * approving twice, concurrently, again after a rejection, or a second review of the same
 * product pays once. The event
 * is written after the approval commits and again on every approve call, so a call that failed
 * between the two is completed by calling approve again.
 */
export async function approveReview(
  db: Db,
  clock: Clock,
  inbox: Inbox,
  input: { shopId: string; reviewId: string; by: string },
): Promise<{ review: ReviewRow; customerId: string; eventId: string }> {
  const { review, customerId } = await moderate(db, clock, {
    ...input,
    status: 'approved',
    note: null,
  });
  const event = apiEventSchema.parse({
    type: 'review.created',
    // One per customer and product (or the shop): a second review of the same thing, approved
    // later, earns nothing more.
    id: `review:${customerId}:${review.product_id ?? 'shop'}`,
    occurredAt: review.moderated_at!.toISOString(),
    data: {
      customerId,
      reviewId: review.id,
      ...(review.product_id !== null && { productId: review.product_id }),
      rating: review.rating,
      photo: review.has_photo,
    },
  });
  const stored = await inbox.write(apiEventDelivery(input.shopId, event));
  return { review, customerId, eventId: stored.eventId };
}

/** Keeps a review from being shown. Points already given for an approved review stay. */
export async function rejectReview(
  db: Db,
  clock: Clock,
  input: { shopId: string; reviewId: string; by: string; note: string | null },
): Promise<{ review: ReviewRow; customerId: string }> {
  return moderate(db, clock, { ...input, status: 'rejected' });
}

async function moderate(
  db: Db,
  clock: Clock,
  input: {
    shopId: string;
    reviewId: string;
    by: string;
    status: 'approved' | 'rejected';
    note: string | null;
  },
): Promise<{ review: ReviewRow; customerId: string }> {
  return db.transaction().execute(async (tx) => {
    const current = await tx
      .selectFrom('reviews')
      .selectAll()
      .where('shop_id', '=', input.shopId)
      .where('id', '=', input.reviewId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw problems.notFound(`Review ${input.reviewId}`);
    const customer = await tx
      .selectFrom('customers')
      .select('external_id')
      .where('shop_id', '=', input.shopId)
      .where('id', '=', current.customer_id)
      .executeTakeFirstOrThrow();
    // Moderating again to the same status keeps the first decision's time (and event body).
    if (current.status === input.status)
      return { review: current, customerId: customer.external_id };
    const now = clock.now();
    const review = await tx
      .updateTable('reviews')
      .set({
        status: input.status,
        moderation_note: input.note,
        moderated_by: input.by,
        moderated_at: now,
        updated_at: now,
      })
      .where('shop_id', '=', input.shopId)
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { review, customerId: customer.external_id };
  });
}
