import type { Locale } from '../shared/i18n.ts';
import type { RewardRow } from '../rewards/reward-schema.ts';
import {
  describeAmount,
  describeBenefits,
  describeReferralOffer,
  describeRule,
} from './describe-programme.ts';
import { rewardsOnShow, type ShopStorefront } from './storefront-cache.ts';

export function publicReward(r: RewardRow, locale: Locale) {
  const c = r.config as { amount?: number; percent?: number; minBasket?: number };
  return {
    id: r.id,
    name: r.name[locale],
    description: r.description?.[locale] ?? null,
    kind: r.kind,
    pointsCost: r.points_cost,
    minTier: r.min_tier,
    amount: c.amount ?? null,
    percent: c.percent ?? null,
    minBasket: c.minBasket ?? null,
  };
}

/**
 * What anyone may see of a shop's programme, in one language: how to earn (the live rules in
 * words, with running double-points campaigns), the rewards and their costs, the tiers and what
 * each gives, and the referral offer. No personal data; the same for every visitor.
 */
export function publicProgramme(entry: ShopStorefront, locale: Locale, now: Date) {
  const { shop, programme, tierProgramme, referralCampaign } = entry;
  const running = programme.campaigns.filter(
    (c) => Date.parse(c.startsAt) <= now.getTime() && now.getTime() < Date.parse(c.endsAt),
  );
  const earn = programme.rules.flatMap((rule) => {
    if (!rule.active) return [];
    const text = describeRule(rule, shop.currency);
    if (!text) return [];
    const boost = running
      .filter((c) => !c.ruleIds || c.ruleIds.includes(rule.id))
      .reduce((m, c) => Math.max(m, c.multiplier), 1);
    return [{ id: rule.id, kind: rule.code, text: text[locale], multiplier: boost }];
  });
  const offer = referralCampaign
    ? describeReferralOffer(referralCampaign.settings, shop.currency)
    : null;
  return {
    locale,
    shop: {
      id: shop.id,
      name: shop.name,
      currency: shop.currency,
      locale: shop.locale,
      brand: {
        logoUrl: shop.brand_logo_url,
        primaryColor: shop.brand_primary_color,
        accentColor: shop.brand_accent_color,
      },
      joinUrl: shop.storefront_join_url,
      storefrontUrl: shop.storefront_url,
    },
    earn,
    campaigns: running.map((c) => ({ name: c.name, multiplier: c.multiplier, endsAt: c.endsAt })),
    expiryMonths: programme.settings.expiryMonths,
    rewards: rewardsOnShow(entry.rewards, now).map((r) => publicReward(r, locale)),
    tiers: (tierProgramme?.tiers ?? []).map((t, i) => ({
      id: t.id,
      name: t.name[locale],
      rank: i + 1,
      threshold: describeAmount(tierProgramme!.metric, t.entryThreshold, shop.currency, locale),
      benefits: describeBenefits(t.benefits).map((b) => b[locale]),
    })),
    tierMetric: tierProgramme?.metric ?? null,
    referral: offer && {
      friend: offer.friend?.[locale] ?? null,
      referrer: offer.referrer?.[locale] ?? null,
      termsUrl: offer.termsUrl,
    },
  };
}
