import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import type { Locale } from '../shared/i18n.ts';
import { newId } from '../shared/ids.ts';
import { DAY_MS } from '../db/shop-days.ts';
import { loadSurveySettings } from '../surveys/survey-settings.ts';
import type { SigningKeys } from '../shared/signed-token.ts';
import { reviewUrl } from './review-links.ts';

export interface ReviewRequestInput {
  shopId: string;
  /** Lojal's customer id (`cus_…`), as flows carry it. */
  customerId: string;
  /** The shop's own order id; without productIds, its products are the ones asked about. */
  orderId?: string;
  /** The shop's own product ids to ask about; the shop itself is always asked about. */
  productIds?: string[];
  publicUrl: string;
  locale: Locale;
}

/**
 * Asks a customer to review products and the shop: one signed link to a page with a form per
 * product plus one for the shop. Works inside the caller's transaction.
 */
export async function createReviewRequest(
  db: Db,
  clock: Clock,
  keys: SigningKeys,
  input: ReviewRequestInput,
): Promise<{ requestId: string; url: string; productIds: string[]; expiresAt: Date }> {
  const customer = await db
    .selectFrom('customers')
    .select('id')
    .where('shop_id', '=', input.shopId)
    .where('id', '=', input.customerId)
    .executeTakeFirst();
  if (!customer) throw problems.notFound(`Customer ${input.customerId}`);

  const productIds = [...new Set(input.productIds ?? (await orderProducts(db, input)))];
  const now = clock.now();
  const settings = await loadSurveySettings(db, input.shopId);
  const expiresAt = new Date(
    Math.floor((now.getTime() + settings.linkValidDays * DAY_MS) / 1000) * 1000,
  );
  const id = newId('rrq');
  await db
    .insertInto('review_requests')
    .values({
      shop_id: input.shopId,
      id,
      customer_id: input.customerId,
      order_id: input.orderId ?? null,
      product_ids: productIds,
      locale: input.locale,
      created_at: now,
      expires_at: expiresAt,
    })
    .execute();
  return {
    requestId: id,
    url: reviewUrl(keys, input.publicUrl, { shopId: input.shopId, requestId: id, expiresAt }),
    productIds,
    expiresAt,
  };
}

async function orderProducts(db: Db, input: ReviewRequestInput): Promise<string[]> {
  if (!input.orderId) return [];
  const order = await db
    .selectFrom('orders')
    .select('id')
    .where('shop_id', '=', input.shopId)
    .where('external_id', '=', input.orderId)
    .executeTakeFirst();
  if (!order) throw problems.notFound(`Order ${input.orderId}`);
  const lines = await db
    .selectFrom('order_lines')
    .select('product_id')
    .where('shop_id', '=', input.shopId)
    .where('order_id', '=', order.id)
    .where('product_id', 'is not', null)
    .orderBy('position')
    .execute();
  return lines.map((l) => l.product_id!);
}
