import type { Db } from '../db/connect.ts';
import type { ReviewStatus } from '../db/schema.ts';
import { photoUrlOf, reviewView } from './review-view.ts';

/**
 * Reviews by status for moderation, a page at a time. The pending queue runs oldest first (the
 * one waiting longest comes first); approved and rejected run newest first. The cursor is the
 * last review id of the page.
 */
export async function listReviews(
  db: Db,
  input: {
    shopId: string;
    status: ReviewStatus;
    productId?: string;
    cursor?: string;
    limit: number;
    publicUrl: string;
  },
) {
  const ascending = input.status === 'pending';
  let query = db
    .selectFrom('reviews as r')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.shop_id', '=', 'r.shop_id').onRef('c.id', '=', 'r.customer_id'),
    )
    .selectAll('r')
    .select('c.external_id')
    .where('r.shop_id', '=', input.shopId)
    .where('r.status', '=', input.status)
    .orderBy('r.id', ascending ? 'asc' : 'desc')
    .limit(input.limit + 1);
  if (input.productId) query = query.where('r.product_id', '=', input.productId);
  if (input.cursor) query = query.where('r.id', ascending ? '>' : '<', input.cursor);
  const rows = await query.execute();
  const page = rows.slice(0, input.limit);
  return {
    data: page.map((r) => reviewView(r, r.external_id, input.publicUrl)),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/**
 * What a storefront shows on a product page: approved reviews only, newest first, with the
 * count and average over all of them. The author is a first name and an initial, never more.
 */
export async function listProductReviews(
  db: Db,
  input: { shopId: string; productId: string; cursor?: string; limit: number; publicUrl: string },
) {
  const approved = db
    .selectFrom('reviews as r')
    .where('r.shop_id', '=', input.shopId)
    .where('r.product_id', '=', input.productId)
    .where('r.status', '=', 'approved');
  let query = approved
    .innerJoin('customers as c', (j) =>
      j.onRef('c.shop_id', '=', 'r.shop_id').onRef('c.id', '=', 'r.customer_id'),
    )
    .select([
      'r.id',
      'r.rating',
      'r.title',
      'r.body',
      'r.photo_url',
      'r.has_photo',
      'r.created_at',
      'r.moderated_at',
      'r.reply',
      'c.first_name',
      'c.last_name',
      'c.redacted_at',
    ])
    .orderBy('r.id', 'desc')
    .limit(input.limit + 1);
  if (input.cursor) query = query.where('r.id', '<', input.cursor);
  const [rows, totals] = await Promise.all([
    query.execute(),
    approved
      .select((eb) => [
        eb.fn.countAll<number>().as('count'),
        eb.fn.avg<number | string | null>('r.rating').as('average'),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  const page = rows.slice(0, input.limit);
  const count = Number(totals.count);
  return {
    productId: input.productId,
    count,
    averageRating: count > 0 ? Math.round(Number(totals.average) * 100) / 100 : null,
    data: page.map((r) => ({
      id: r.id,
      rating: r.rating,
      title: r.title,
      body: r.body,
      photoUrl: photoUrlOf(r, input.publicUrl),
      author: r.redacted_at ? null : authorName(r.first_name, r.last_name),
      createdAt: r.created_at.toISOString(),
      publishedAt: r.moderated_at?.toISOString() ?? null,
      reply: r.reply,
    })),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** "Anna K.": the first name and the initial of the surname, never more. */
export function authorName(first: string | null, last: string | null): string | null {
  if (!first) return null;
  const initial = last ? ` ${Array.from(last.trim())[0] ?? ''}.` : '';
  return `${first.trim()}${initial}`.trim();
}
