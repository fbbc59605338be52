import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Locale } from '../shared/i18n.ts';
import { authorName } from './list-reviews.ts';
import { photoUrlOf } from './review-view.ts';
import { ratingSummary, type RatingSummary } from './rating-summary.ts';
import { reviewsJsonLd } from './review-json-ld.ts';

export type ReviewSort = 'newest' | 'highest' | 'lowest' | 'photos';
export const REVIEW_SORTS: readonly ReviewSort[] = ['newest', 'highest', 'lowest', 'photos'];

export interface ShownReview {
  id: string;
  rating: number;
  title: string | null;
  body: string | null;
  /** "Anna K.", or null for a customer whose data was erased. */
  author: string | null;
  /** The day it was published (YYYY-MM-DD, UTC). */
  date: string;
  photoUrls: string[];
}

/**
 * The reviews block of a storefront: approved reviews only (of the product, or of the shop
 * when no product is named), a page at a time in the order asked, with the product's and the
 * shop's ratings and the schema.org JSON-LD that lets search engines show the stars. The
 * author is a first name and an initial, as on the review form's own promise.
 */
export async function showProductReviews(
  db: Db,
  input: {
    shopId: string;
    shopName: string;
    productId: string | null;
    sort: ReviewSort;
    page: number;
    pageSize: number;
    publicUrl: string;
    locale: Locale;
  },
) {
  const approved = () => {
    const q = db
      .selectFrom('reviews as r')
      .where('r.shop_id', '=', input.shopId)
      .where('r.status', '=', 'approved');
    return input.productId === null
      ? q.where('r.target', '=', 'shop')
      : q.where('r.target', '=', 'product').where('r.product_id', '=', input.productId);
  };
  const published = sql<Date>`coalesce(r.moderated_at, r.created_at)`;
  let query = approved()
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
      published.as('published_at'),
      'c.first_name',
      'c.last_name',
      'c.redacted_at',
    ]);
  if (input.sort === 'highest') query = query.orderBy('r.rating', 'desc');
  if (input.sort === 'lowest') query = query.orderBy('r.rating', 'asc');
  if (input.sort === 'photos') {
    query = query.orderBy(sql`(r.has_photo OR r.photo_url IS NOT NULL)`, 'desc');
  }
  query = query
    .orderBy(published, 'desc')
    .orderBy('r.id', 'desc')
    .limit(input.pageSize)
    .offset((input.page - 1) * input.pageSize);

  const [rows, product, shop, name] = await Promise.all([
    query.execute(),
    ratingOf(db, input.shopId, input.productId),
    ratingOf(db, input.shopId, null),
    input.productId === null ? null : productName(db, input.shopId, input.productId),
  ]);
  const reviews: ShownReview[] = rows.map((r) => {
    const photo = photoUrlOf(r, input.publicUrl);
    return {
      id: r.id,
      rating: r.rating,
      title: r.title,
      body: r.body,
      author: r.redacted_at ? null : authorName(r.first_name, r.last_name),
      date: new Date(r.published_at).toISOString().slice(0, 10),
      photoUrls: photo ? [photo] : [],
    };
  });
  const total = product.count;
  return {
    product: input.productId === null ? null : { id: input.productId, name, rating: product },
    shop: { id: input.shopId, name: input.shopName, rating: shop },
    reviews,
    page: input.page,
    pageSize: input.pageSize,
    total,
    totalPages: Math.max(1, Math.ceil(total / input.pageSize)),
    jsonLd:
      input.productId === null
        ? null
        : reviewsJsonLd({
            productId: input.productId,
            name: name ?? input.productId,
            rating: product,
            reviews,
            locale: input.locale,
          }),
  };
}

/** Counts per star of the approved reviews of a product, or of the shop (productId null). */
async function ratingOf(db: Db, shopId: string, productId: string | null): Promise<RatingSummary> {
  let query = db
    .selectFrom('reviews as r')
    .select(['r.rating', sql<string>`count(*)`.as('n')])
    .where('r.shop_id', '=', shopId)
    .where('r.status', '=', 'approved');
  query =
    productId === null
      ? query.where('r.target', '=', 'shop')
      : query.where('r.target', '=', 'product').where('r.product_id', '=', productId);
  return ratingSummary(await query.groupBy('r.rating').execute());
}

/** The product's name as its latest order line wrote it (Lojal keeps no catalogue). */
async function productName(db: Db, shopId: string, productId: string): Promise<string | null> {
  const row = await db
    .selectFrom('order_lines')
    .select('title')
    .where('shop_id', '=', shopId)
    .where('product_id', '=', productId)
    .where('title', 'is not', null)
    .orderBy('order_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.title ?? null;
}
