import type { Db } from '../db/connect.ts';

/**
 * An uploaded review photo. Approved reviews' photos are public (storefronts put them in
 * <img>, which sends no API key); any other photo only to its own shop.
 */
export async function findReviewPhoto(db: Db, input: { reviewId: string; shopId: string | null }) {
  let query = db
    .selectFrom('review_photos as p')
    .innerJoin('reviews as r', (j) =>
      j.onRef('r.shop_id', '=', 'p.shop_id').onRef('r.id', '=', 'p.review_id'),
    )
    .select(['p.content_type', 'p.bytes', 'r.status', 'r.shop_id'])
    .where('p.review_id', '=', input.reviewId);
  if (input.shopId) query = query.where('p.shop_id', '=', input.shopId);
  else query = query.where('r.status', '=', 'approved');
  const row = await query.executeTakeFirst();
  return row ? { contentType: row.content_type, bytes: row.bytes, status: row.status } : null;
}
