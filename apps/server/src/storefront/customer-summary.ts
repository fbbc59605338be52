import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { InboxWriter } from '../ingest/inbox-writer.ts';
import type { Locale } from '../shared/i18n.ts';
import { problems } from '../shared/errors.ts';
import { customerViewWith } from '../customers/customer-view.ts';
import { rankOf } from '../tiers/tier-schema.ts';
import { stampCardsOf } from '../stamps/list-stamp-cards.ts';
import { composeShareMessages } from '../referrals/manage-share-messages.ts';
import { ensureReferralCodes } from '../referrals/ensure-referral-codes.ts';
import { referralLink } from '../referrals/referral-code.ts';
import { discountPhrase } from '../referrals/share-messages.ts';
import { checkoutLink } from './checkout-link.ts';
import { describeBenefits, describeProgress } from './describe-programme.ts';
import { publicReward } from './public-programme.ts';
import { rewardsOnShow, type ShopStorefront } from './storefront-cache.ts';
import type { StorefrontCustomer } from './customer-token.ts';
import { storefrontCustomerId } from './storefront-customer-id.ts';

const SHOWN = 20;

interface Extras {
  pending_lots: Array<{ points: number; available_at: string }>;
  coupons: Array<{
    code: string;
    source: string;
    discount: unknown;
    expires_at: string | null;
    created_at: string;
    /** Still being created in the shop's platform (connections/push-codes.ts). */
    preparing: boolean;
  }>;
  own_messages: Array<{ channel: string; text: string; subject: string | null }>;
  /** Redemptions so far per reward (for rewards with a per-customer limit). */
  redeemed: Record<string, number> | null;
}

/**
 * What the shopper's page needs beside the customer view, as columns of the view's own
 * statement (`c` is the customer's row): one round trip per call.
 */
function extrasColumns(locale: Locale, now: Date) {
  return sql`
      (SELECT COALESCE(json_agg(json_build_object('points', l.remaining, 'available_at', l.available_at)
                                ORDER BY l.available_at), '[]')
       FROM (SELECT remaining, available_at FROM point_lots
             WHERE shop_id = c.shop_id AND customer_id = c.id AND remaining > 0
               AND available_at > ${now}
             ORDER BY available_at LIMIT ${SHOWN}) l) AS pending_lots,
      (SELECT COALESCE(json_agg(json_build_object('code', k.code, 'source', k.source,
                'discount', k.discount, 'expires_at', k.expires_at, 'created_at', k.created_at,
                'preparing', EXISTS (SELECT 1 FROM platform_codes p
                                      WHERE p.shop_id = c.shop_id AND p.coupon_id = k.id
                                        AND p.state = 'pending'))
                ORDER BY k.id DESC), '[]')
       FROM (SELECT id, code, source, discount, expires_at, created_at FROM coupons
             WHERE shop_id = c.shop_id AND customer_id = c.id
               AND (expires_at IS NULL OR expires_at > ${now})
               AND (usage_limit IS NULL OR used_count < usage_limit)
             ORDER BY id DESC LIMIT ${SHOWN}) k) AS coupons,
      (SELECT COALESCE(json_agg(json_build_object('channel', channel, 'text', text, 'subject', subject)), '[]')
       FROM referral_share_messages
       WHERE shop_id = c.shop_id AND customer_id = c.id AND locale = ${locale}) AS own_messages,
      (SELECT json_object_agg(reward_id, n) FROM (
         SELECT reward_id, count(*) AS n FROM redemptions
         WHERE shop_id = c.shop_id AND customer_id = c.id AND status <> 'returned'
         GROUP BY reward_id) r) AS redeemed`;
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
 * messages, stamp cards and the coupons they can still use. One statement per call (the
 * customer view with the rest as its columns), with the shop's settings from the storefront cache.
 */
export async function customerSummary(
  db: Db,
  inbox: InboxWriter,
  input: {
    entry: ShopStorefront;
    customer: StorefrontCustomer;
    locale: Locale;
    publicUrl: string;
    now: Date;
  },
) {
  const { entry, customer, locale, now } = input;
  const { shop, tierProgramme } = entry;
  const rewards = rewardsOnShow(entry.rewards, now).map((r) => publicReward(r, locale));
  const read = await customerViewWith<Extras>(db, shop, customer.externalId, now, {
    name: 'storefront-me',
    columns: extrasColumns(locale, now),
  });
  if (!read) {
    await storefrontCustomerId(db, inbox, shop, customer, now);
    return joiningSummary(customer, rewards);
  }
  const { view, extra: extras } = read;
  if (view.redacted) {
    throw problems.notFound(`Customer ${customer.externalId} (the account was deleted)`);
  }
  const [stampCards, code] = await Promise.all([
    entry.hasStampProgrammes ? stampCardsOf(db, shop, view.lojalId, now) : [],
    view.referralCode ??
      ensureReferralCodes(db, shop.id, [view.lojalId], now).then((m) => m.get(view.lojalId)!),
  ]);
  const tier = view.tier;
  const limits = new Map(entry.rewards.map((r) => [r.id, r.per_customer_limit]));
  const heldRank = tierProgramme && tier?.current ? rankOf(tierProgramme, tier.current.id) : 0;
  const facts = {
    shop: shop.name,
    link: referralLink(input.publicUrl, shop.slug, code),
    code,
    discount: discountPhrase(
      entry.referralCampaign?.settings.friendDiscount,
      shop.currency,
      locale,
    ),
    firstName: view.firstName,
  };
  return {
    customer: { id: view.id, firstName: view.firstName, joining: false },
    points: {
      available: view.points.available,
      pending: view.points.pending,
      expiringSoon: view.points.expiringSoon,
      pendingLots: extras.pending_lots.map((l) => ({
        points: Number(l.points),
        availableAt: new Date(l.available_at).toISOString(),
      })),
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
      const limit = limits.get(r.id) ?? null;
      const limitReached = limit !== null && (extras.redeemed?.[r.id] ?? 0) >= limit;
      return {
        ...r,
        available: tierOk && !limitReached && view.points.available >= r.pointsCost,
        limitReached,
        missingPoints: Math.max(0, r.pointsCost - view.points.available),
        tierRequired: !tierOk,
      };
    }),
    referral: {
      code,
      link: facts.link,
      discount: facts.discount,
      share: composeShareMessages(facts, extras.own_messages, locale, 'neutral').map((m) => ({
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
        name: c.name[locale],
        stamps: c.stamps,
        stampsRequired: c.stampsRequired,
        completedCards: c.completedCards,
        stampsToday: c.stampsToday,
        dailyLimit: c.dailyLimit,
        reward: c.reward,
      })),
    coupons: extras.coupons.map((c) => ({
      code: c.code,
      source: c.source,
      discount: c.discount,
      expiresAt: c.expires_at ? new Date(c.expires_at).toISOString() : null,
      createdAt: new Date(c.created_at).toISOString(),
      // a code the checkout would refuse yet is shown as being prepared, without a link
      ready: !c.preparing,
      applyUrl: c.preparing ? null : checkoutLink(shop, c.code),
    })),
  };
}
