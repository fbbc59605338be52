import type { Db } from '../db/connect.ts';
import type { PhotoType } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ReviewRow } from './review-view.ts';

export const REVIEW_BODY_MAX = 5000;
export const REVIEW_TITLE_MAX = 200;

export interface ReviewInput {
  shopId: string;
  /** Lojal's customer id. */
  customerId: string;
  /** The review request it answers (the public form), if any. */
  requestId?: string;
  /** The shop's own product id, or null for a review of the shop. */
  productId: string | null;
  rating: number;
  title?: string | null;
  body?: string | null;
  photoUrl?: string | null;
  photo?: { contentType: PhotoType; bytes: Buffer } | null;
}

/**
 * Stores a review for moderation. Sending the form of a request again edits its review while it
 * is still pending; once moderated it stands, and a new submission is refused.
 */
export async function submitReview(db: Db, clock: Clock, input: ReviewInput): Promise<ReviewRow> {
  const now = clock.now();
  const fields = {
    rating: input.rating,
    title: input.title?.trim() || null,
    body: input.body?.trim() || null,
    updated_at: now,
  };
  // Editing without a new photo keeps the one sent before.
  const photoFields =
    input.photo || input.photoUrl
      ? { photo_url: input.photo ? null : input.photoUrl!, has_photo: true }
      : undefined;
  return db.transaction().execute(async (tx) => {
    if (input.requestId) {
      // Two sends of the same form at once take turns: the second edits what the first made.
      await tx
        .selectFrom('review_requests')
        .select('id')
        .where('shop_id', '=', input.shopId)
        .where('id', '=', input.requestId)
        .forUpdate()
        .executeTakeFirstOrThrow();
    }
    const existing = input.requestId
      ? await tx
          .selectFrom('reviews')
          .selectAll()
          .where('shop_id', '=', input.shopId)
          .where('request_id', '=', input.requestId)
          .where((eb) =>
            input.productId === null
              ? eb('product_id', 'is', null)
              : eb('product_id', '=', input.productId),
          )
          .forUpdate()
          .executeTakeFirst()
      : undefined;
    if (existing && existing.status !== 'pending') {
      throw problems.conflict(
        `This review was already ${existing.status} and can no longer be changed.`,
      );
    }
    const row = existing
      ? await tx
          .updateTable('reviews')
          .set({ ...fields, ...photoFields })
          .where('shop_id', '=', input.shopId)
          .where('id', '=', existing.id)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await tx
          .insertInto('reviews')
          .values({
            shop_id: input.shopId,
            id: newId('rev'),
            customer_id: input.customerId,
            request_id: input.requestId ?? null,
            target: input.productId === null ? 'shop' : 'product',
            product_id: input.productId,
            created_at: now,
            ...fields,
            ...(photoFields ?? { photo_url: null, has_photo: false }),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
    if (input.photo) {
      const photo = {
        content_type: input.photo.contentType,
        bytes: input.photo.bytes,
        created_at: now,
      };
      await tx
        .insertInto('review_photos')
        .values({ shop_id: input.shopId, review_id: row.id, ...photo })
        .onConflict((oc) => oc.columns(['shop_id', 'review_id']).doUpdateSet(photo))
        .execute();
    } else if (existing && photoFields) {
      // A linked photo replaces an uploaded one.
      await tx
        .deleteFrom('review_photos')
        .where('shop_id', '=', input.shopId)
        .where('review_id', '=', row.id)
        .execute();
    }
    return row;
  });
}
