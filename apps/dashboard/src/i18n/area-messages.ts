import { tiersMessages } from './areas/tiers.ts';
import { printablesMessages } from './areas/printables.ts';
import { analyticsMessages } from './areas/analytics.ts';
import { stampsMessages } from './areas/stamps.ts';
import { settingsMessages } from './areas/settings.ts';
import { onboardingMessages } from './areas/onboarding.ts';
import { customersMessages } from './areas/customers.ts';
import { programmeMessages } from './areas/programme.ts';
import { couponsMessages } from './areas/coupons.ts';
import { giftCardsMessages } from './areas/giftCards.ts';
import { giftCardSalesMessages } from './areas/giftCardSales.ts';
import { rewardsMessages } from './areas/rewards.ts';
import { storefrontMessages } from './areas/storefront.ts';
import { connectionsMessages } from './areas/connections.ts';
import { flowsMessages } from './areas/flows.ts';
import { messagesMessages } from './areas/messages.ts';
import { feedbackMessages } from './areas/feedback.ts';
import { segmentsMessages } from './areas/segments.ts';
import { referralsMessages } from './areas/referrals.ts';
import { exportsMessages } from './areas/exports.ts';
import type { Messages } from './define-messages.ts';

/**
 * The pages' texts, area by area (each in `areas/<area>.ts`, made with `defineMessages`; ids start
 * with the area's name). They are a chunk of their own, loaded while the first page shows
 * (`area-store.ts`): sign-in, the menu and Home need only the shell's texts (`messages.ts`).
 */
export const AREAS: Messages[] = [
  tiersMessages,
  stampsMessages,
  settingsMessages,
  onboardingMessages,
  customersMessages,
  programmeMessages,
  rewardsMessages,
  couponsMessages,
  giftCardsMessages,
  storefrontMessages,
  connectionsMessages,
  flowsMessages,
  messagesMessages,
  feedbackMessages,
  segmentsMessages,
  referralsMessages,
  printablesMessages,
  analyticsMessages,
  exportsMessages,
  giftCardSalesMessages,
];
