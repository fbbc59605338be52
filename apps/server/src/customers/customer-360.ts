import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { Problem } from '../shared/errors.ts';
import type { ShopRow } from '../shops/shop.ts';
import { customerView } from './customer-view.ts';
import { listLedger } from '../points/list-ledger.ts';
import { listStampCards } from '../stamps/list-stamp-cards.ts';
import { customerAchievements } from '../achievements/manage-achievements.ts';
import { predictCustomerValue } from '../analytics/predict-customer-value.ts';
import { noteView, taskView } from './notes-and-tasks.ts';
import { customerConsents } from '../automations/manage-consents.ts';
import { listMessages } from '../automations/message-view.ts';
import { listCustomerSurveys } from '../surveys/list-customer-surveys.ts';
import { listCustomerReferrals } from '../referrals/list-referrals.ts';

const RECENT = 20;

/**
 * Everything about one customer in one answer, for the dashboard's customer page: profile,
 * consent, points and the latest ledger entries, tier, orders, coupons, gift cards, stamp cards,
 * badges, activities, messages, surveys, reviews, referrals, consent with its proof, predicted
 * value, staff notes and tasks. Each part is one query, run side by side.
 */
export async function customer360(db: Db, clock: Clock, shop: ShopRow, externalId: string) {
  const now = clock.now();
  const profile = await customerView(db, shop, externalId, now); // 404 for an unknown customer
  const id = profile.lojalId;
  const [
    orders,
    ledger,
    coupons,
    giftCards,
    stampCards,
    badges,
    activities,
    value,
    notes,
    tasks,
    consents,
    messages,
    surveys,
    reviews,
    referrals,
  ] = await Promise.all([
    db
      .selectFrom('orders')
      .select([
        'external_id',
        'currency',
        'total',
        'refunded_amount',
        'discount_codes',
        'placed_at',
        'paid_at',
        'cancelled_at',
        'fulfilled_at',
      ])
      .where('shop_id', '=', shop.id)
      .where('customer_id', '=', id)
      .orderBy('placed_at', 'desc')
      .limit(RECENT)
      .execute(),
    listLedger(db, shop, externalId, { limit: RECENT }),
    db
      .selectFrom('coupons')
      .select([
        'code',
        'source',
        'discount',
        'expires_at',
        'used_count',
        'usage_limit',
        'created_at',
      ])
      .where('shop_id', '=', shop.id)
      .where('customer_id', '=', id)
      .orderBy('id', 'desc')
      .limit(RECENT)
      .execute(),
    sql<{ code: string; currency: string; balance: number; expires_at: Date | null }>`
        SELECT g.code, g.currency, COALESCE(a.balance, 0)::bigint AS balance, g.expires_at
        FROM gift_cards g
        LEFT JOIN gift_card_accounts a ON a.shop_id = g.shop_id AND a.gift_card_id = g.id
        WHERE g.shop_id = ${shop.id} AND g.customer_id = ${id}
        ORDER BY g.id DESC LIMIT ${RECENT}`.execute(db),
    listStampCards(db, clock, shop, externalId),
    customerAchievements(db, shop, externalId, now),
    db
      .selectFrom('customer_activities')
      .select(['type', 'data', 'occurred_at'])
      .where('shop_id', '=', shop.id)
      .where('customer_id', '=', id)
      .orderBy('occurred_at', 'desc')
      .limit(RECENT)
      .execute(),
    predictCustomerValue(db, shop, externalId, now).catch((error: unknown) => {
      // No CLV model fitted yet: the page shows history without a prediction.
      if (error instanceof Problem && error.status === 409) return null;
      throw error;
    }),
    db
      .selectFrom('customer_notes')
      .selectAll()
      .where('shop_id', '=', shop.id)
      .where('customer_id', '=', id)
      .orderBy('id', 'desc')
      .limit(RECENT)
      .execute(),
    db
      .selectFrom('customer_tasks')
      .selectAll()
      .where('shop_id', '=', shop.id)
      .where('customer_id', '=', id)
      .orderBy('id', 'desc')
      .limit(RECENT)
      .execute(),
    customerConsents(db, shop.id, id),
    listMessages(db, shop.id, { customerId: externalId, limit: RECENT }),
    listCustomerSurveys(db, { shopId: shop.id, customerId: externalId, limit: RECENT }),
    db
      .selectFrom('reviews')
      .select([
        'id',
        'target',
        'product_id',
        'rating',
        'title',
        'status',
        'has_photo',
        'created_at',
      ])
      .where('shop_id', '=', shop.id)
      .where('customer_id', '=', id)
      .orderBy('id', 'desc')
      .limit(RECENT)
      .execute(),
    listCustomerReferrals(db, shop, externalId, { limit: RECENT }, now),
  ]);
  return {
    customer: profile,
    consent: {
      email: profile.acceptsMarketing.email,
      sms: profile.acceptsMarketing.sms,
      // Per channel and purpose, what applies now and the recorded answers with their proof.
      byPurpose: consents.consents,
      history: consents.history,
    },
    messages: messages.messages,
    surveys,
    reviews: reviews.map((r) => ({
      id: r.id,
      target: r.target,
      productId: r.product_id,
      rating: r.rating,
      title: r.title,
      status: r.status,
      hasPhoto: r.has_photo,
      createdAt: r.created_at.toISOString(),
    })),
    referrals: { referralCode: referrals.referralCode, made: referrals.data },
    orders: orders.map((o) => ({
      id: o.external_id,
      total: { amount: o.total, currency: o.currency },
      refunded: { amount: o.refunded_amount, currency: o.currency },
      discountCodes: o.discount_codes,
      placedAt: o.placed_at.toISOString(),
      status: o.cancelled_at
        ? 'cancelled'
        : o.refunded_amount >= o.total && o.total > 0
          ? 'refunded'
          : o.fulfilled_at
            ? 'fulfilled'
            : o.paid_at
              ? 'paid'
              : 'pending',
    })),
    ledger: ledger.data,
    coupons: coupons.map((c) => ({
      code: c.code,
      source: c.source,
      discount: c.discount,
      expiresAt: c.expires_at?.toISOString() ?? null,
      used: c.used_count,
      usageLimit: c.usage_limit,
      createdAt: c.created_at.toISOString(),
    })),
    giftCards: giftCards.rows.map((g) => ({
      code: g.code,
      balance: { amount: g.balance, currency: g.currency },
      expiresAt: g.expires_at?.toISOString() ?? null,
    })),
    stampCards,
    achievements: badges,
    activities: activities.map((a) => ({
      type: a.type,
      data: a.data,
      occurredAt: a.occurred_at.toISOString(),
    })),
    value,
    notes: notes.map(noteView),
    tasks: tasks.map((t) => taskView(t, externalId)),
  };
}
