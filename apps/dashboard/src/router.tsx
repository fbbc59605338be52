import { createRootRoute, createRoute, createRouter, Link, Outlet } from '@tanstack/react-router';
import { Anchor, Center, Stack, Text } from '@mantine/core';
import { FormattedMessage } from 'react-intl';
import { AppLayout } from './layout/app-layout.tsx';
import { HomePage } from './pages/home.tsx';
import { InvitationPage } from './pages/invitation.tsx';
import { ResetPasswordPage } from './pages/reset-password.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { Loading } from './ui/states.tsx';
import { lazyRouteComponent } from './i18n/lazy-page.ts';
import { customersSearch } from './pages/customers/customers-search.ts';
import { templatesSearch } from './pages/messages/templates-search.ts';
import { analyticsSearch } from './pages/analytics/analytics-search.ts';

// Pages past sign-in and Home load when first opened (each its own chunk).
const CustomerPage = lazyRouteComponent(
  () => import('./pages/customers/customer-page.tsx'),
  'CustomerPage',
);
const CustomersPage = lazyRouteComponent(
  () => import('./pages/customers/customers-page.tsx'),
  'CustomersPage',
);
const ProgrammePage = lazyRouteComponent(
  () => import('./pages/programme/programme-page.tsx'),
  'ProgrammePage',
);
const TeamPage = lazyRouteComponent(() => import('./pages/team.tsx'), 'TeamPage');
const TiersPage = lazyRouteComponent(() => import('./pages/tiers/tiers-page.tsx'), 'TiersPage');
const StampCardsPage = lazyRouteComponent(
  () => import('./pages/stamps/stamp-cards-page.tsx'),
  'StampCardsPage',
);
const ShopSettingsPage = lazyRouteComponent(
  () => import('./pages/settings/shop-settings.tsx'),
  'ShopSettingsPage',
);
const BrandKitPage = lazyRouteComponent(
  () => import('./pages/settings/brand-kit.tsx'),
  'BrandKitPage',
);
const StorefrontSettingsPage = lazyRouteComponent(
  () => import('./pages/settings/storefront.tsx'),
  'StorefrontSettingsPage',
);
const ApiKeysPage = lazyRouteComponent(
  () => import('./pages/settings/api-keys.tsx'),
  'ApiKeysPage',
);
const WebhookSecretPage = lazyRouteComponent(
  () => import('./pages/settings/webhook-secret.tsx'),
  'WebhookSecretPage',
);
const ConnectionsPage = lazyRouteComponent(
  () => import('./pages/settings/connections.tsx'),
  'ConnectionsPage',
);
const AuditLogPage = lazyRouteComponent(
  () => import('./pages/settings/audit-log.tsx'),
  'AuditLogPage',
);
const OnboardingPage = lazyRouteComponent(
  () => import('./pages/onboarding/onboarding.tsx'),
  'OnboardingPage',
);
const RewardsPage = lazyRouteComponent(
  () => import('./pages/rewards/rewards-page.tsx'),
  'RewardsPage',
);
const CouponsPage = lazyRouteComponent(
  () => import('./pages/coupons/coupons-page.tsx'),
  'CouponsPage',
);
const CampaignPage = lazyRouteComponent(
  () => import('./pages/coupons/campaign-page.tsx'),
  'CampaignPage',
);
const GiftCardsPage = lazyRouteComponent(
  () => import('./pages/giftCards/gift-cards-page.tsx'),
  'GiftCardsPage',
);
const FlowsPage = lazyRouteComponent(() => import('./pages/flows/flows-page.tsx'), 'FlowsPage');
const FlowPage = lazyRouteComponent(() => import('./pages/flows/flow-page.tsx'), 'FlowPage');
const DeliveryLogPage = lazyRouteComponent(
  () => import('./pages/messages/delivery-log.tsx'),
  'DeliveryLogPage',
);
const OutboxPage = lazyRouteComponent(() => import('./pages/messages/outbox.tsx'), 'OutboxPage');
const TemplatesPage = lazyRouteComponent(
  () => import('./pages/messages/templates-page.tsx'),
  'TemplatesPage',
);
const ConsentTextsPage = lazyRouteComponent(
  () => import('./pages/messages/consent-texts.tsx'),
  'ConsentTextsPage',
);
const SendingSettingsPage = lazyRouteComponent(
  () => import('./pages/messages/sending-settings.tsx'),
  'SendingSettingsPage',
);
const SegmentsPage = lazyRouteComponent(
  () => import('./pages/segments/segments-page.tsx'),
  'SegmentsPage',
);
const SegmentPage = lazyRouteComponent(
  () => import('./pages/segments/segment-page.tsx'),
  'SegmentPage',
);
const NewSegmentPage = lazyRouteComponent(
  () => import('./pages/segments/segment-page.tsx'),
  'NewSegmentPage',
);
const FeedbackResultsPage = lazyRouteComponent(
  () => import('./pages/feedback/results-page.tsx'),
  'FeedbackResultsPage',
);
const ReviewsPage = lazyRouteComponent(
  () => import('./pages/feedback/reviews-page.tsx'),
  'ReviewsPage',
);
const TasksPage = lazyRouteComponent(() => import('./pages/feedback/tasks-page.tsx'), 'TasksPage');

const ReferralCampaignsPage = lazyRouteComponent(
  () => import('./pages/referrals/campaigns-page.tsx'),
  'ReferralCampaignsPage',
);
const ReferralReviewPage = lazyRouteComponent(
  () => import('./pages/referrals/review-page.tsx'),
  'ReferralReviewPage',
);
const ReferralResultsPage = lazyRouteComponent(
  () => import('./pages/referrals/results-page.tsx'),
  'ReferralResultsPage',
);
const ReferralSharingPage = lazyRouteComponent(
  () => import('./pages/referrals/sharing-page.tsx'),
  'ReferralSharingPage',
);
const AffiliatesPage = lazyRouteComponent(
  () => import('./pages/referrals/affiliates-page.tsx'),
  'AffiliatesPage',
);

const tokenSearch = (search: Record<string, unknown>) => ({
  token: typeof search.token === 'string' ? search.token : '',
});

function NotFound() {
  return (
    <Center py="xl">
      <Stack align="center">
        <Text>
          <FormattedMessage id="app.notFound" />
        </Text>
        <Anchor component={Link} to="/">
          <FormattedMessage id="app.backHome" />
        </Anchor>
      </Stack>
    </Center>
  );
}

const PrintablesPage = lazyRouteComponent(
  () => import('./pages/printables/printables-page.tsx'),
  'PrintablesPage',
);
const root = createRootRoute({ component: Outlet, notFoundComponent: NotFound });
const signIn = createRoute({ getParentRoute: () => root, path: '/sign-in', component: SignInPage });
const invitation = createRoute({
  getParentRoute: () => root,
  path: '/invitation',
  validateSearch: tokenSearch,
  component: InvitationPage,
});
const resetPassword = createRoute({
  getParentRoute: () => root,
  path: '/reset-password',
  validateSearch: tokenSearch,
  component: ResetPasswordPage,
});
const signedIn = createRoute({ getParentRoute: () => root, id: 'signed-in', component: AppLayout });
const home = createRoute({ getParentRoute: () => signedIn, path: '/', component: HomePage });
const team = createRoute({ getParentRoute: () => signedIn, path: '/team', component: TeamPage });
const tiers = createRoute({ getParentRoute: () => signedIn, path: '/tiers', component: TiersPage });
const stampCards = createRoute({
  getParentRoute: () => signedIn,
  path: '/stamp-cards',
  component: StampCardsPage,
});
const settingsShop = createRoute({
  getParentRoute: () => signedIn,
  path: '/settings',
  component: ShopSettingsPage,
});
const settingsBrand = createRoute({
  getParentRoute: () => signedIn,
  path: '/settings/brand',
  component: BrandKitPage,
});
const settingsStorefront = createRoute({
  getParentRoute: () => signedIn,
  path: '/settings/storefront',
  component: StorefrontSettingsPage,
});
const settingsApiKeys = createRoute({
  getParentRoute: () => signedIn,
  path: '/settings/api-keys',
  component: ApiKeysPage,
});
const settingsWebhookSecret = createRoute({
  getParentRoute: () => signedIn,
  path: '/settings/webhook-secret',
  component: WebhookSecretPage,
});
const settingsAuditLog = createRoute({
  getParentRoute: () => signedIn,
  path: '/settings/audit-log',
  component: AuditLogPage,
});
const settingsConnections = createRoute({
  getParentRoute: () => signedIn,
  path: '/settings/connections',
  component: ConnectionsPage,
});
const settingsRoutes = [
  settingsShop,
  settingsBrand,
  settingsStorefront,
  settingsApiKeys,
  settingsWebhookSecret,
  settingsConnections,
  settingsAuditLog,
];
const onboarding = createRoute({
  getParentRoute: () => signedIn,
  path: '/onboarding',
  component: OnboardingPage,
});
const customers = createRoute({
  getParentRoute: () => signedIn,
  path: '/customers',
  validateSearch: customersSearch,
  component: CustomersPage,
});
const customer = createRoute({
  getParentRoute: () => signedIn,
  path: '/customers/$customerId',
  component: CustomerPage,
});
const programme = createRoute({
  getParentRoute: () => signedIn,
  path: '/programme',
  component: ProgrammePage,
});
const rewards = createRoute({
  getParentRoute: () => signedIn,
  path: '/rewards',
  component: RewardsPage,
});
const coupons = createRoute({
  getParentRoute: () => signedIn,
  path: '/coupons',
  component: CouponsPage,
});
const campaign = createRoute({
  getParentRoute: () => signedIn,
  path: '/coupons/$campaignId',
  component: CampaignPage,
});
const giftCards = createRoute({
  getParentRoute: () => signedIn,
  path: '/gift-cards',
  component: GiftCardsPage,
});
const flows = createRoute({
  getParentRoute: () => signedIn,
  path: '/flows',
  component: FlowsPage,
});
const flow = createRoute({
  getParentRoute: () => signedIn,
  path: '/flows/$flowId',
  component: FlowPage,
});
const messageRoutes = [
  createRoute({ getParentRoute: () => signedIn, path: '/messages', component: DeliveryLogPage }),
  createRoute({ getParentRoute: () => signedIn, path: '/messages/outbox', component: OutboxPage }),
  createRoute({
    getParentRoute: () => signedIn,
    path: '/messages/templates',
    validateSearch: templatesSearch,
    component: TemplatesPage,
  }),
  createRoute({
    getParentRoute: () => signedIn,
    path: '/messages/consent',
    component: ConsentTextsPage,
  }),
  createRoute({
    getParentRoute: () => signedIn,
    path: '/messages/settings',
    component: SendingSettingsPage,
  }),
];
const segmentsList = createRoute({
  getParentRoute: () => signedIn,
  path: '/segments',
  component: SegmentsPage,
});
const segmentNew = createRoute({
  getParentRoute: () => signedIn,
  path: '/segments/create',
  component: NewSegmentPage,
});
const segmentOne = createRoute({
  getParentRoute: () => signedIn,
  path: '/segments/$segmentId',
  component: SegmentPage,
});
const feedbackResults = createRoute({
  getParentRoute: () => signedIn,
  path: '/feedback',
  component: FeedbackResultsPage,
});
const feedbackReviews = createRoute({
  getParentRoute: () => signedIn,
  path: '/feedback/reviews',
  component: ReviewsPage,
});
const feedbackTasks = createRoute({
  getParentRoute: () => signedIn,
  path: '/feedback/tasks',
  component: TasksPage,
});
const referralRoutes = (
  [
    ['/referrals', ReferralCampaignsPage],
    ['/referrals/review', ReferralReviewPage],
    ['/referrals/results', ReferralResultsPage],
    ['/referrals/sharing', ReferralSharingPage],
    ['/referrals/affiliates', AffiliatesPage],
  ] as const
).map(([path, component]) => createRoute({ getParentRoute: () => signedIn, path, component }));
const printables = createRoute({
  getParentRoute: () => signedIn,
  path: '/printables',
  component: PrintablesPage,
});
const AnalyticsPage = lazyRouteComponent(
  () => import('./pages/analytics/analytics-page.tsx'),
  'AnalyticsPage',
);
const analytics = createRoute({
  getParentRoute: () => signedIn,
  path: '/analytics',
  validateSearch: analyticsSearch,
  component: AnalyticsPage,
});
const notFound = createRoute({ getParentRoute: () => signedIn, path: '$', component: NotFound });

const routeTree = root.addChildren([
  signIn,
  invitation,
  resetPassword,
  signedIn.addChildren([
    home,
    team,
    customers,
    customer,
    programme,
    tiers,
    stampCards,
    ...settingsRoutes,
    onboarding,
    rewards,
    coupons,
    campaign,
    giftCards,
    flows,
    flow,
    ...messageRoutes,
    segmentsList,
    segmentNew,
    segmentOne,
    feedbackResults,
    feedbackReviews,
    feedbackTasks,
    ...referralRoutes,
    printables,
    analytics,
    notFound,
  ]),
]);

export const router = createRouter({
  routeTree,
  basepath: '/admin',
  // While a page's chunk loads.
  defaultPendingComponent: Loading,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
