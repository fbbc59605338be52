import type { Db } from '../db/connect.ts';

/** The reviews a customer wrote, with their moderation status, newest first. */
export async function customerReviews(db: Db, shopId: string, customerId: string, limit: number) {
  const rows = await db
    .selectFrom('reviews')
    .select(['id', 'target', 'product_id', 'rating', 'title', 'status', 'has_photo', 'created_at'])
    .where('shop_id', '=', shopId)
    .where('customer_id', '=', customerId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    target: r.target,
    productId: r.product_id,
    rating: r.rating,
    title: r.title,
    status: r.status,
    hasPhoto: r.has_photo,
    createdAt: r.created_at.toISOString(),
  }));
}
