import type { Db } from '../db/connect.ts';
import type { ReviewStatus } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { isLocale, type Locale } from '../shared/i18n.ts';

export interface ReviewForm {
  shop: { id: string; name: string };
  requestId: string;
  customerId: string;
  locale: Locale;
  /** One per product asked about, then the shop (`productId: null`). */
  targets: Array<{
    productId: string | null;
    name: string | null;
    review: {
      rating: number;
      title: string | null;
      body: string | null;
      status: ReviewStatus;
    } | null;
  }>;
}

/** What the public review page needs, or null for an unknown or expired request. */
export async function loadReviewForm(
  db: Db,
  clock: Clock,
  input: { shopId: string; requestId: string },
): Promise<ReviewForm | null> {
  const request = await db
    .selectFrom('review_requests as q')
    .innerJoin('shops as s', 's.id', 'q.shop_id')
    .select([
      'q.id',
      'q.customer_id',
      'q.order_id',
      'q.product_ids',
      'q.locale',
      'q.expires_at',
      's.name',
    ])
    .where('q.shop_id', '=', input.shopId)
    .where('q.id', '=', input.requestId)
    .executeTakeFirst();
  if (!request || request.expires_at < clock.now()) return null;
  const [reviews, names] = await Promise.all([
    db
      .selectFrom('reviews')
      .select(['product_id', 'rating', 'title', 'body', 'status'])
      .where('shop_id', '=', input.shopId)
      .where('request_id', '=', request.id)
      .execute(),
    productNames(db, input.shopId, request.order_id),
  ]);
  const reviewOf = (productId: string | null) => {
    const r = reviews.find((x) => x.product_id === productId);
    return r ? { rating: r.rating, title: r.title, body: r.body, status: r.status } : null;
  };
  return {
    shop: { id: input.shopId, name: request.name },
    requestId: request.id,
    customerId: request.customer_id,
    locale: isLocale(request.locale) ? request.locale : 'pl',
    targets: [
      ...request.product_ids.map((productId) => ({
        productId,
        name: names.get(productId) ?? null,
        review: reviewOf(productId),
      })),
      { productId: null, name: null, review: reviewOf(null) },
    ],
  };
}

/** Product titles as the order carried them, when the request names an order. */
async function productNames(db: Db, shopId: string, orderId: string | null) {
  if (!orderId) return new Map<string, string>();
  const lines = await db
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', (j) =>
      j.onRef('o.shop_id', '=', 'l.shop_id').onRef('o.id', '=', 'l.order_id'),
    )
    .select(['l.product_id', 'l.title'])
    .where('o.shop_id', '=', shopId)
    .where('o.external_id', '=', orderId)
    .where('l.title', 'is not', null)
    .execute();
  return new Map(lines.map((l) => [l.product_id!, l.title!]));
}
