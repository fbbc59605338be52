import type { Selectable } from 'kysely';
import type { ReviewsTable } from '../db/schema.ts';

export type ReviewRow = Selectable<ReviewsTable>;

/** A review as the API shows it to the shop (moderation, storefront writes). */
export function reviewView(row: ReviewRow, customerId: string, publicUrl: string) {
  return {
    id: row.id,
    customerId,
    target: row.target,
    productId: row.product_id,
    rating: row.rating,
    title: row.title,
    body: row.body,
    photoUrl: photoUrlOf(row, publicUrl),
    hasPhoto: row.has_photo,
    status: row.status,
    moderationNote: row.moderation_note,
    moderatedAt: row.moderated_at?.toISOString() ?? null,
    requestId: row.request_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    reply: row.reply,
    repliedAt: row.replied_at?.toISOString() ?? null,
  };
}

/** An uploaded photo is served by Lojal; a linked one stays where it is. */
export function photoUrlOf(
  row: Pick<ReviewRow, 'id' | 'photo_url' | 'has_photo'>,
  publicUrl: string,
): string | null {
  if (row.photo_url) return row.photo_url;
  return row.has_photo ? `${publicUrl.replace(/\/$/, '')}/v1/reviews/${row.id}/photo` : null;
}
