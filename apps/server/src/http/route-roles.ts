import type { MemberRole } from '../accounts/roles.ts';

/**
 * Which roles may call each shop route with the session cookie: the one table, keyed by
 * `METHOD /path` as the route is registered (HEAD goes with GET). API keys act with full
 * access and are not looked up here. A shop route missing from this table is open to owners
 * and admins only, and test/accounts/roles.test.ts fails until it is added.
 *
 * - owner, admin: everything, and alone the shop's credentials, team, integrations, erasure.
 * - marketer: the programme, rewards, campaigns, tiers, referrals, messages and flows.
 * - support: customers — view, adjust points with a reason, notes, tasks, tier overrides.
 * - analyst: reads only.
 */
const ALL: readonly MemberRole[] = ['owner', 'admin', 'marketer', 'support', 'analyst'];
const MANAGE: readonly MemberRole[] = ['owner', 'admin'];
const MARKETING: readonly MemberRole[] = ['owner', 'admin', 'marketer'];
const SUPPORT: readonly MemberRole[] = ['owner', 'admin', 'support'];
const SERVICE: readonly MemberRole[] = ['owner', 'admin', 'marketer', 'support'];

export const ROUTE_ROLES: Readonly<Record<string, readonly MemberRole[]>> = {
  // The shop, its credentials and integrations
  'GET /v1/shop': ALL,
  'PATCH /v1/shop': MANAGE,
  'GET /v1/api-keys': MANAGE,
  'POST /v1/api-keys': MANAGE,
  'DELETE /v1/api-keys/:keyId': MANAGE,
  'POST /v1/webhook-secret/rotate': MANAGE,
  'POST /v1/storefront/secret': MANAGE,
  'POST /v1/connections': MANAGE,
  'GET /v1/connections': MANAGE,
  'GET /v1/connections/:connectionId': MANAGE,
  'PATCH /v1/connections/:connectionId': MANAGE,
  'DELETE /v1/connections/:connectionId': MANAGE,
  'POST /v1/connections/:connectionId/sync': MANAGE,
  'GET /v1/connection-platforms': MANAGE,
  'POST /v1/events': MANAGE,
  'GET /v1/events': ALL,
  'GET /v1/events/:eventId': ALL,
  'POST /v1/events/:eventId/replay': MANAGE,
  'POST /v1/webhook-endpoints': MANAGE,
  'GET /v1/webhook-endpoints': MANAGE,
  'POST /v1/webhook-endpoints/:id/disable': MANAGE,
  'POST /v1/webhook-endpoints/:id/rotate-secret': MANAGE,
  'POST /v1/staff': MANAGE,
  'GET /v1/staff': MANAGE,
  'DELETE /v1/staff/:staffId': MANAGE,
  'POST /v1/staff/pairings': MANAGE,
  'POST /v1/sms/inbound': MANAGE,
  'POST /v1/messages/:messageId/events': MANAGE,
  'POST /v1/referrals/attributions': MANAGE,
  'POST /v1/referrals/sightings': MANAGE,
  'POST /v1/affiliates/attributions': MANAGE,
  'POST /v1/affiliates/:affiliateId/payouts/:period/paid': MANAGE,
  'GET /v1/messaging/settings': ALL,
  'PUT /v1/messaging/settings': MANAGE,
  'POST /v1/messaging/push-keys': MANAGE,
  'GET /v1/messaging/push-keys': ALL,
  'POST /v1/imports': MANAGE,
  'GET /v1/imports': MANAGE,
  'GET /v1/imports/:importId': MANAGE,

  // Team and audit
  'GET /v1/team/members': ALL,
  'PATCH /v1/team/members/:userId': MANAGE,
  'DELETE /v1/team/members/:userId': MANAGE, // leaving yourself: DELETE /v1/me/shops/:shopId
  'GET /v1/team/invitations': MANAGE,
  'POST /v1/team/invitations': MANAGE,
  'DELETE /v1/team/invitations/:invitationId': MANAGE,
  'GET /v1/audit-log': MANAGE,

  // Orders, analytics, segments
  'GET /v1/orders/:orderId': ALL,
  'GET /v1/analytics/summary': ALL,
  'GET /v1/analytics/series': ALL,
  'GET /v1/analytics/lift': ALL,
  'GET /v1/analytics/cohorts': ALL,
  'GET /v1/analytics/messages': ALL,
  'POST /v1/analytics/clv/fit': MARKETING,
  'GET /v1/points/liability': ALL,
  'GET /v1/points/activity': ALL,
  'GET /v1/segments': ALL,
  'POST /v1/segments': MARKETING,
  'POST /v1/segments/preview': MARKETING,
  'GET /v1/segments/:segmentId/customers': ALL,
  'GET /v1/segments/:segmentId/customers.csv': ALL,
  'DELETE /v1/segments/:segmentId': MARKETING,

  // Customers
  'GET /v1/customers': ALL,
  'GET /v1/customers/:customerId': ALL,
  'GET /v1/customers/:customerId/value': ALL,
  'GET /v1/customers/:customerId/ledger': ALL,
  'GET /v1/customers/:customerId/360': ALL,
  'GET /v1/customers/:customerId/achievements': ALL,
  'GET /v1/customers/:customerId/tier-history': ALL,
  'GET /v1/customers/:customerId/stamp-cards': ALL,
  'GET /v1/customers/:customerId/referrals': ALL,
  'GET /v1/customers/:customerId/consents': ALL,
  'GET /v1/customers/:customerId/surveys': ALL,
  'POST /v1/customers/:customerId/adjustments': SUPPORT,
  'POST /v1/customers/:customerId/redemptions': SUPPORT,
  'POST /v1/customers/:customerId/notes': SUPPORT,
  'POST /v1/customers/:customerId/tasks': SUPPORT,
  'POST /v1/tasks/:taskId/close': SUPPORT,
  'GET /v1/tasks': ALL,
  'POST /v1/customers/:customerId/tier': SUPPORT,
  'DELETE /v1/customers/:customerId/tier': SUPPORT,
  'GET /v1/customers/:customerId/stamp-qr': SUPPORT,
  'POST /v1/customers/:customerId/consents': SUPPORT,
  'GET /v1/customers/:customerId/preferences-link': SUPPORT,
  'POST /v1/customers/:customerId/push-subscriptions': SUPPORT,
  'DELETE /v1/customers/:customerId/push-subscriptions': SUPPORT,
  'GET /v1/customers/:customerId/referrals/share-messages': ALL,
  'PUT /v1/customers/:customerId/referrals/share-messages/:channel': SUPPORT,
  'DELETE /v1/customers/:customerId/referrals/share-messages/:channel': SUPPORT,
  'POST /v1/customers/:customerId/referral-thank-you': SERVICE,
  'GET /v1/customers/:customerId/export': MANAGE,
  'POST /v1/customers/:customerId/erasure': MANAGE,
  // Whole-shop exports (every customer's data): owners and admins; audiences: marketing too.
  'POST /v1/exports': MANAGE,
  'GET /v1/exports': MANAGE,
  'GET /v1/exports/:exportId': MANAGE,
  'GET /v1/exports/:exportId/download': MANAGE,
  'POST /v1/segments/:segmentId/audiences': MARKETING,
  'GET /v1/segments/:segmentId/audiences/:exportId': MARKETING,
  'GET /v1/segments/:segmentId/audiences/:exportId/download': MARKETING,
  'GET /v1/customers/:customerId/data-exports': MANAGE,
  'GET /v1/customers/:customerId/data-exports/:exportId': MANAGE,
  'GET /v1/privacy/settings': MANAGE,
  'PUT /v1/privacy/settings': MANAGE,

  // Programme, rewards, coupons
  'GET /v1/programme': ALL,
  'GET /v1/programme/rule-kinds': ALL,
  'GET /v1/programme/versions': ALL,
  'PUT /v1/programme/draft': MARKETING,
  'DELETE /v1/programme/draft': MARKETING,
  'POST /v1/programme/draft/backtest': MARKETING,
  'POST /v1/programme/draft/publish': MARKETING,
  'GET /v1/rewards': ALL,
  'POST /v1/rewards': MARKETING,
  'PUT /v1/rewards/:rewardId': MARKETING,
  'DELETE /v1/rewards/:rewardId': MARKETING,
  'POST /v1/coupons/validate': SERVICE,
  'POST /v1/coupon-campaigns': MARKETING,
  'GET /v1/coupon-campaigns': ALL,
  'GET /v1/coupon-campaigns/:campaignId': ALL,
  'DELETE /v1/coupon-campaigns/:campaignId': MARKETING,
  'POST /v1/coupon-campaigns/:campaignId/codes': MARKETING,
  'GET /v1/coupon-campaigns/:campaignId/codes.csv': MARKETING,
  'POST /v1/achievements': MARKETING,
  'GET /v1/achievements': ALL,
  'GET /v1/achievements/kinds': ALL,
  'DELETE /v1/achievements/:achievementId': MARKETING,
  'POST /v1/gift-cards': SUPPORT,
  'GET /v1/gift-cards': ALL,
  'GET /v1/gift-cards/:code': ALL,
  'GET /v1/gift-cards/:code/transactions': ALL,
  'POST /v1/gift-cards/:code/spends': SUPPORT,
  'POST /v1/gift-cards/:code/refunds': SUPPORT,
  'GET /v1/gift-card-products': ALL,
  'PUT /v1/gift-card-products/:productId': MARKETING,
  'DELETE /v1/gift-card-products/:productId': MARKETING,
  'GET /v1/gift-card-report': ALL,

  // Tiers and stamp cards
  'GET /v1/tiers': ALL,
  'PUT /v1/tiers': MARKETING,
  'GET /v1/tiers/members': ALL,
  'POST /v1/tiers/preview': MARKETING,
  'GET /v1/tier-events': ALL,
  'GET /v1/stamp-cards': ALL,
  'POST /v1/stamp-cards': MARKETING,
  'PUT /v1/stamp-cards/:programmeId': MARKETING,

  // Referrals and affiliates
  'PUT /v1/referrals/storefront': MARKETING,
  'GET /v1/referral-campaigns': ALL,
  'POST /v1/referral-campaigns': MARKETING,
  'PUT /v1/referral-campaigns/:campaignId': MARKETING,
  'GET /v1/referral-campaigns/results': ALL,
  'GET /v1/referrals': ALL,
  'POST /v1/referrals/:referralId/approve': SERVICE,
  'POST /v1/referrals/:referralId/reject': SERVICE,
  'GET /v1/referrals/review-queue': ALL,
  'POST /v1/referrals/decisions': SERVICE,
  'GET /v1/affiliates': ALL,
  'POST /v1/affiliates': MARKETING,
  'PUT /v1/affiliates/:affiliateId': MARKETING,
  'GET /v1/affiliates/payouts': ALL,

  // Messages and flows
  'GET /v1/messaging/templates': ALL,
  'GET /v1/messaging/templates/:key/:channel/:locale': ALL,
  'PUT /v1/messaging/templates/:key/:channel/:locale': MARKETING,
  'DELETE /v1/messaging/templates/:key/:channel/:locale': MARKETING,
  'POST /v1/messaging/templates/:key/:channel/:locale/preview': MARKETING,
  'POST /v1/messaging/templates/:key/:channel/:locale/test-send': MARKETING,
  'GET /v1/messaging/consent-texts': ALL,
  'PUT /v1/messaging/consent-texts': MARKETING,
  'GET /v1/flows/ready': ALL,
  'POST /v1/flows/ready/:key': MARKETING,
  'GET /v1/flows': ALL,
  'POST /v1/flows': MARKETING,
  'GET /v1/flows/:flowId': ALL,
  'PUT /v1/flows/:flowId': MARKETING,
  'GET /v1/flows/:flowId/results': ALL,
  'GET /v1/messages': ALL,
  'GET /v1/messages/:messageId': ALL,
  'GET /v1/outbox': ALL,
  'GET /v1/outbox/:messageId': ALL,

  // Printed materials: the shop's are marketing; a customer's card and flyer, for those who
  // serve customers too. Not analysts: they make QR codes and links.
  'GET /v1/printables': SERVICE,
  'GET /v1/printables/:kind.pdf': MARKETING,
  'GET /v1/customers/:customerId/printables/:kind.pdf': SERVICE,

  // Pop-ups
  'POST /v1/popups': MARKETING,
  'GET /v1/popups': ALL,
  'GET /v1/popups/:popupId': ALL,
  'PATCH /v1/popups/:popupId': MARKETING,
  'GET /v1/popups/:popupId/results': ALL,

  // Surveys and reviews
  'POST /v1/survey-requests': SERVICE,
  'GET /v1/surveys/results': ALL,
  'GET /v1/surveys/settings': ALL,
  'PATCH /v1/surveys/settings': MARKETING,
  'POST /v1/review-requests': SERVICE,
  'POST /v1/reviews': SERVICE,
  'GET /v1/reviews': ALL,
  'GET /v1/reviews/:reviewId': ALL,
  'POST /v1/reviews/:reviewId/approve': SERVICE,
  'POST /v1/reviews/:reviewId/reject': SERVICE,
  'GET /v1/products/:productId/reviews': ALL,
  'POST /v1/reviews/:reviewId/reply': SERVICE,
  'GET /v1/reviews/:reviewId/photo': ALL, // with the cookie: the moderation screen's photos
  'GET /v1/surveys/series': ALL,
  'GET /v1/surveys/answers': ALL,
  'POST /v1/tasks/:taskId/assign': SUPPORT,
  'GET /v1/segments/facts': ALL,
  'GET /v1/segments/:segmentId': ALL,
  'PUT /v1/segments/:segmentId': MARKETING,

  // Social proof on the storefront
  'GET /v1/social-proof/settings': ALL,
  'PUT /v1/social-proof/settings': MARKETING,
  'GET /v1/customers/:customerId/social-proof-consent': ALL,
  'POST /v1/customers/:customerId/social-proof-consent': SUPPORT,

  // The analytics pages
  'GET /v1/analytics/rfm': ALL,
  'GET /v1/analytics/repeat': ALL,
  'GET /v1/analytics/clv': ALL,
  'GET /v1/analytics/benefits': ALL,
  'GET /v1/analytics/points-balance': ALL,
};

/** The key a route has in ROUTE_ROLES: its method (HEAD as GET) and its registered path. */
export function routeKey(method: string, url: string): string {
  return `${method === 'HEAD' ? 'GET' : method} ${url}`;
}

/** The roles that may call the route; owners and admins only when it is not in the table. */
export function rolesFor(method: string, url: string): readonly MemberRole[] {
  return ROUTE_ROLES[routeKey(method, url)] ?? MANAGE;
}
