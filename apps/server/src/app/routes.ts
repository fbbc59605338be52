import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../http/context.ts';
import { acceptFormBodies } from '../http/form-body.ts';
import { healthRoutes } from '../http/routes/health.ts';
import { shopRoutes } from '../http/routes/shops.ts';
import { eventRoutes } from '../http/routes/events.ts';
import { webhookRoutes } from '../http/routes/webhooks.ts';
import { orderRoutes } from '../http/routes/orders.ts';
import { analyticsRoutes, customerValueRoute } from '../http/routes/analytics.ts';
import { segmentRoutes } from '../http/routes/segments.ts';
import { customerRoutes } from '../http/routes/customers.ts';
import { customer360Routes } from '../http/routes/customer-360.ts';
import { rewardRoutes } from '../http/routes/rewards.ts';
import { couponRoutes } from '../http/routes/coupons.ts';
import { programmeRoutes } from '../http/routes/programme.ts';
import { pointsRoutes } from '../http/routes/points.ts';
import { couponCampaignRoutes } from '../http/routes/coupon-campaigns.ts';
import { achievementRoutes } from '../http/routes/achievements.ts';
import { giftCardRoutes } from '../http/routes/gift-cards.ts';
import { tierRoutes } from '../http/routes/tiers.ts';
import { stampRoutes } from '../http/routes/stamps.ts';
import { referralRoutes } from '../http/routes/referrals.ts';
import { referralSharingRoutes } from '../http/routes/referral-sharing.ts';
import { affiliateRoutes } from '../http/routes/affiliates.ts';
import { flowRoutes } from '../http/routes/flows.ts';
import { messageRoutes } from '../http/routes/messages.ts';
import { messagingSettingsRoutes } from '../http/routes/messaging-settings.ts';
import { messageTemplateRoutes } from '../http/routes/message-templates.ts';
import { webhookEndpointRoutes } from '../http/routes/webhook-endpoints.ts';
import { pushSubscriptionRoutes } from '../http/routes/push-subscriptions.ts';
import { providerCallbackRoutes } from '../http/routes/provider-callbacks.ts';
import { consentRoutes } from '../http/routes/consents.ts';
import { messageLinkRoutes } from '../http/routes/message-links.ts';
import { surveyRoutes } from '../http/routes/surveys.ts';
import { reviewRoutes } from '../http/routes/reviews.ts';

/** Every route of the API and the public pages: the one list (a new feature adds its own here). */
export async function registerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  healthRoutes(app, ctx);
  shopRoutes(app, ctx);
  orderRoutes(app, ctx);
  analyticsRoutes(app, ctx);
  customerValueRoute(app, ctx);
  segmentRoutes(app, ctx);
  customerRoutes(app, ctx);
  rewardRoutes(app, ctx);
  couponRoutes(app, ctx);
  programmeRoutes(app, ctx);
  pointsRoutes(app, ctx);
  couponCampaignRoutes(app, ctx);
  achievementRoutes(app, ctx);
  giftCardRoutes(app, ctx);
  customer360Routes(app, ctx);
  tierRoutes(app, ctx);
  stampRoutes(app, ctx);
  referralRoutes(app, ctx);
  referralSharingRoutes(app, ctx);
  // Affiliate links share /r/{code} with customers' codes.
  affiliateRoutes(app, ctx);
  messagingSettingsRoutes(app, ctx);
  messageTemplateRoutes(app, ctx);
  webhookEndpointRoutes(app, ctx);
  pushSubscriptionRoutes(app, ctx);
  providerCallbackRoutes(app, ctx);
  consentRoutes(app, ctx);
  flowRoutes(app, ctx);
  messageRoutes(app, ctx);
  // Routes with their own body parsers, each in its own encapsulated scope.
  await app.register(async (scope) => eventRoutes(scope, ctx));
  await app.register(async (scope) => webhookRoutes(scope, ctx));
  await app.register(async (scope) => {
    acceptFormBodies(scope);
    surveyRoutes(scope, ctx);
    reviewRoutes(scope, ctx);
  });
  await app.register(async (scope) => messageLinkRoutes(scope, ctx));
}
