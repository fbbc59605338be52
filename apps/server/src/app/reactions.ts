import { ignoringHistory, type Reaction } from '../events/domain-events.ts';
import { pointsReaction } from '../points/post-points-for-events.ts';
import { tiersReaction } from '../tiers/upgrade-tiers-for-events.ts';
import { couponsReaction } from '../coupons/consume-coupons.ts';
import { achievementsReaction } from '../achievements/award-achievements.ts';
import { giftCardsReaction } from '../gift-cards/refund-cancelled-orders.ts';
import { stampsReaction } from '../stamps/stamp-paid-orders.ts';
import { referralsReaction } from '../referrals/track-referrals-for-events.ts';
import { affiliatesReaction } from '../affiliates/attribute-affiliate-orders.ts';
import { automationsReaction } from '../automations/collect-triggers.ts';
import { popupsReaction } from '../popups/popups-reaction.ts';
import { giftCardSalesReaction } from '../gift-cards/sell-online.ts';
import { counterSignUpsReaction } from '../counter/record-sign-up-consents.ts';
import { privacyReaction } from '../privacy/privacy-reaction.ts';

/**
 * Every feature's reaction to domain events, in the order they run: a feature adds its reaction
 * here and never touches ingestion, which gets this list from whoever starts a processor.
 */
export const reactions: Reaction[] = [
  // First: an erased customer's data goes everywhere while messages still name their addresses.
  privacyReaction,
  // Imported history (a connection's backfill without points) reaches only tiers and coupons.
  ignoringHistory(pointsReaction),
  tiersReaction,
  couponsReaction,
  ignoringHistory(achievementsReaction),
  giftCardsReaction,
  // Imported history issues no cards (and sends no vouchers) for old purchases.
  ignoringHistory(giftCardSalesReaction),
  ignoringHistory(stampsReaction),
  ignoringHistory(referralsReaction),
  ignoringHistory(affiliatesReaction),
  // Before flows: a customer a pop-up sign-up created has its e-mail consent when flows look.
  ignoringHistory(popupsReaction),
  // Before flows too: a customer signed up at the counter has the consents given there.
  ignoringHistory(counterSignUpsReaction),
  // Last: flows see the state every other feature left (points, tier, coupon).
  ignoringHistory(automationsReaction),
];
