import type { CustomerPanel } from '../customers/customer-360.ts';
import { customerActivities } from '../customers/customer-activities.ts';
import { customerNotes, customerTasks } from '../customers/notes-and-tasks.ts';
import { customerOrders } from '../orders/customer-orders.ts';
import { listLedger } from '../points/list-ledger.ts';
import { customerCoupons } from '../coupons/customer-coupons.ts';
import { customerGiftCards } from '../gift-cards/customer-gift-cards.ts';
import { listStampCards } from '../stamps/list-stamp-cards.ts';
import { customerAchievements } from '../achievements/manage-achievements.ts';
import { predictCustomerValue } from '../analytics/predict-customer-value.ts';
import { customerConsents } from '../automations/manage-consents.ts';
import { listMessages } from '../automations/message-view.ts';
import { listCustomerSurveys } from '../surveys/list-customer-surveys.ts';
import { customerReviews } from '../reviews/customer-reviews.ts';
import { listCustomerReferrals } from '../referrals/list-referrals.ts';
import { Problem } from '../shared/errors.ts';

/**
 * The parts of the customer 360 (GET /v1/customers/{id}/360) after the profile, each under its
 * key in the answer: a feature with something to show about a customer adds its part here.
 */
export const customerPanels: CustomerPanel[] = [
  {
    key: 'consent',
    // Per channel and purpose, what applies now and the recorded answers with their proof.
    read: async ({ db, shop, profile, customerId }) => {
      const consents = await customerConsents(db, shop.id, customerId);
      return {
        email: profile.acceptsMarketing.email,
        sms: profile.acceptsMarketing.sms,
        byPurpose: consents.consents,
        history: consents.history,
      };
    },
  },
  {
    key: 'messages',
    read: async ({ db, shop, externalId, limit }) =>
      (await listMessages(db, shop.id, { customerId: externalId, limit })).messages,
  },
  {
    key: 'surveys',
    read: ({ db, shop, externalId, limit }) =>
      listCustomerSurveys(db, { shopId: shop.id, customerId: externalId, limit }),
  },
  {
    key: 'reviews',
    read: ({ db, shop, customerId, limit }) => customerReviews(db, shop.id, customerId, limit),
  },
  {
    key: 'referrals',
    read: async ({ db, shop, externalId, limit, now }) => {
      const referrals = await listCustomerReferrals(db, shop, externalId, { limit }, now);
      return { referralCode: referrals.referralCode, made: referrals.data };
    },
  },
  {
    key: 'orders',
    read: ({ db, shop, customerId, limit }) => customerOrders(db, shop.id, customerId, limit),
  },
  {
    key: 'ledger',
    read: async ({ db, shop, externalId, limit }) =>
      (await listLedger(db, shop, externalId, { limit })).data,
  },
  {
    key: 'coupons',
    read: ({ db, shop, customerId, limit }) => customerCoupons(db, shop.id, customerId, limit),
  },
  {
    key: 'giftCards',
    read: ({ db, shop, customerId, limit }) => customerGiftCards(db, shop.id, customerId, limit),
  },
  {
    key: 'stampCards',
    read: ({ db, clock, shop, externalId }) => listStampCards(db, clock, shop, externalId),
  },
  {
    key: 'achievements',
    read: ({ db, shop, externalId, now }) => customerAchievements(db, shop, externalId, now),
  },
  {
    key: 'activities',
    read: ({ db, shop, customerId, limit }) => customerActivities(db, shop.id, customerId, limit),
  },
  {
    key: 'value',
    read: ({ db, shop, externalId, now }) =>
      predictCustomerValue(db, shop, externalId, now).catch((error: unknown) => {
        // No CLV model fitted yet: the page shows history without a prediction.
        if (error instanceof Problem && error.status === 409) return null;
        throw error;
      }),
  },
  {
    key: 'notes',
    read: ({ db, shop, customerId, limit }) => customerNotes(db, shop.id, customerId, limit),
  },
  {
    key: 'tasks',
    read: ({ db, shop, customerId, externalId, limit }) =>
      customerTasks(db, shop.id, { id: customerId, externalId }, limit),
  },
];
