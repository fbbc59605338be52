import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { Locale } from '../shared/i18n.ts';
import { problems } from '../shared/errors.ts';
import type { ShopRow } from '../shops/shop.ts';
import { customerView } from '../customers/customer-view.ts';
import { findTierProgramme } from '../tiers/find-tier-programme.ts';
import { rankOf } from '../tiers/tier-schema.ts';
import { listStampCards } from '../stamps/list-stamp-cards.ts';
import { listShareMessages } from '../referrals/manage-share-messages.ts';
import { checkoutLink } from './checkout-link.ts';
import { describeBenefits, describeProgress } from './describe-programme.ts';
import { publicReward, visibleRewards } from './public-programme.ts';
import type { StorefrontCustomer } from './customer-token.ts';
import type { TokenCustomer } from './storefront-customer-id.ts';

const COUPONS_SHOWN = 20;

/** The coupons a shopper can still use: not used up, not expired; newest first. */
async function usableCoupons(db: Db, shop: ShopRow, customerId: string, now: Date) {
  const rows = await db
    .selectFrom('coupons')
    .select(['code', 'source', 'discount', 'expires_at', 'created_at'])
    .where('shop_id', '=', shop.id)
    .where('customer_id', '=', customerId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .where((eb) =>
      eb.or([eb('usage_limit', 'is', null), eb('used_count', '<', eb.ref('usage_limit'))]),
    )
    .orderBy('id', 'desc')
    .limit(COUPONS_SHOWN)
    .execute();
  return rows.map((c) => ({
    code: c.code,
    source: c.source,
    discount: c.discount,
    expiresAt: c.expires_at?.toISOString() ?? null,
    createdAt: c.created_at.toISOString(),
    applyUrl: checkoutLink(shop, c.code),
  }));
}

async function pendingLots(db: Db, shopId: string, customerId: string, now: Date) {
  const rows = await db
    .selectFrom('point_lots')
    .select(['remaining', 'available_at'])
    .where('shop_id', '=', shopId)
    .where('customer_id', '=', customerId)
    .where('remaining', '>', 0)
    .where('available_at', '>', now)
    .orderBy('available_at')
    .limit(20)
    .execute();
  return rows.map((r) => ({
    points: Number(r.remaining),
    availableAt: r.available_at.toISOString(),
  }));
}

/** A customer the token named whose record is still being created: nothing earned yet. */
function joiningSummary(customer: StorefrontCustomer, rewards: ReturnType<typeof publicReward>[]) {
  return {
    customer: { id: customer.externalId, firstName: customer.firstName, joining: true },
    points: { available: 0, pending: 0, expiringSoon: [], pendingLots: [], lifetimeEarned: 0 },
    tier: null,
    rewards: rewards.map((r) => ({ ...r, available: false })),
    referral: null,
    stampCards: [],
    coupons: [],
  };
}

/**
 * What the signed-in shopper sees of themselves (API.md `GET .../me`): points (available,
 * pending and when it becomes available, what expires soon), the tier and the way to the next,
 * the rewards with whether they can take each now, their referral link with ready share
 * messages, stamp cards and the coupons they can still use.
 */
export async function customerSummary(
  db: Db,
  clock: Clock,
  input: {
    shop: ShopRow;
    customer: StorefrontCustomer;
    found: TokenCustomer;
    locale: Locale;
    publicUrl: string;
  },
) {
  const { shop, customer, found, locale } = input;
  const now = clock.now();
  const rewards = (await visibleRewards(db, shop.id, now)).map((r) => publicReward(r, locale));
  if (found.state === 'joining') return joiningSummary(customer, rewards);
  if (found.redacted) {
    throw problems.notFound(`Customer ${customer.externalId} (the account was deleted)`);
  }
  const [view, tierProgramme, lots, stampCards, share, coupons] = await Promise.all([
    customerView(db, shop, customer.externalId, now),
    findTierProgramme(db, shop.id),
    pendingLots(db, shop.id, found.id, now),
    listStampCards(db, clock, shop, customer.externalId),
    listShareMessages(db, shop, { customerId: customer.externalId, locale }, input.publicUrl, now),
    usableCoupons(db, shop, found.id, now),
  ]);
  const tier = view.tier;
  const heldRank = tierProgramme && tier?.current ? rankOf(tierProgramme, tier.current.id) : 0;
  return {
    customer: { id: view.id, firstName: view.firstName, joining: false },
    points: {
      available: view.points.available,
      pending: view.points.pending,
      expiringSoon: view.points.expiringSoon,
      pendingLots: lots,
      lifetimeEarned: view.points.lifetimeEarned,
    },
    tier: tier && {
      current: tier.current && {
        id: tier.current.id,
        name: tier.current.name[locale],
        benefits: describeBenefits(tier.current.benefits).map((b) => b[locale]),
      },
      next: tier.next && {
        id: tier.next.id,
        name: tier.next.name[locale],
        needed: tier.next.needed,
        progress: tier.next.progress,
        text: describeProgress(tier.metric, tier.next.needed, tier.next.name, shop.currency)[
          locale
        ],
      },
      metric: tier.metric,
    },
    rewards: rewards.map((r) => {
      const tierOk = !r.minTier || !tierProgramme || heldRank >= rankOf(tierProgramme, r.minTier);
      return {
        ...r,
        available: tierOk && view.points.available >= r.pointsCost,
        missingPoints: Math.max(0, r.pointsCost - view.points.available),
        tierRequired: !tierOk,
      };
    }),
    referral: {
      code: share.referralCode,
      link: share.link,
      discount: share.discount,
      share: share.messages.map((m) => ({
        channel: m.channel,
        subject: m.subject,
        text: m.text,
        url: m.shareUrl,
      })),
    },
    stampCards: stampCards
      .filter((c) => c.active)
      .map((c) => ({
        id: c.programmeId,
        name: c.name,
        stamps: c.stamps,
        stampsRequired: c.stampsRequired,
        completedCards: c.completedCards,
        stampsToday: c.stampsToday,
        dailyLimit: c.dailyLimit,
        reward: c.reward,
      })),
    coupons,
  };
}
