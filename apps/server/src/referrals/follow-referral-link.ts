import type { Db } from '../db/connect.ts';
import type { Locale } from '../shared/i18n.ts';
import { isLocale } from '../shared/i18n.ts';
import { friendOffer } from './friend-offer.ts';
import { isLinkPreviewCrawler } from './link-preview-crawler.ts';
import { activeCampaign } from './manage-referral-campaigns.ts';
import { recordReferralVisit } from './record-referral-visit.ts';

/** What the landing page shows; every text is plain (the page escapes it). */
export interface ReferralLanding {
  locale: Locale;
  shop: { name: string; slug: string; logoUrl: string | null };
  /** The referrer's first name, or null when the shop does not know it. */
  referrerFirstName: string | null;
  code: string;
  offer: { headline: string; condition: string | null } | null;
  /** Whether the code gives the friend a discount at checkout (what to do with it). */
  codeAtCheckout: boolean;
  termsUrl: string | null;
  /** The storefront with the attribution parameters, exactly as the redirect sends them. */
  continueUrl: string;
}

export type FollowedLink =
  { kind: 'redirect'; location: string } | { kind: 'page'; landing: ReferralLanding };

/**
 * Someone opened a referral link. The visit is counted as before (once per link and client
 * address a day; HEAD and link-preview crawlers never), then: the live campaign's landing page
 * (the referrer's first name, the friend's offer, the code to copy, "continue to the shop"), or
 * — for a campaign set to `redirect`, an affiliate's link, or no live campaign — straight to the
 * storefront. The locale is the visitor's (`wanted`, from Accept-Language), else the shop's.
 */
export async function followReferralLink(
  db: Db,
  input: {
    shop?: string;
    code: string;
    address: string | null;
    userAgent: string | null;
    head: boolean;
    wanted: Locale | null;
  },
  now: Date,
): Promise<FollowedLink> {
  const visit = await recordReferralVisit(
    db,
    {
      ...(input.shop !== undefined && { shop: input.shop }),
      code: input.code,
      address: input.address,
      userAgent: input.userAgent,
      record: !input.head && !isLinkPreviewCrawler(input.userAgent),
    },
    now,
  );
  if (visit.owner.kind !== 'customer') return { kind: 'redirect', location: visit.location };
  const campaign = await activeCampaign(db, visit.owner.shopId, now);
  if (!campaign || campaign.landing === 'redirect') {
    return { kind: 'redirect', location: visit.location };
  }
  const [shop, referrer] = await Promise.all([
    db
      .selectFrom('shops')
      .select(['name', 'slug', 'locale', 'currency', 'brand_logo_url'])
      .where('id', '=', visit.owner.shopId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('customers')
      .select('first_name')
      .where('shop_id', '=', visit.owner.shopId)
      .where('id', '=', visit.owner.ownerId)
      .executeTakeFirst(),
  ]);
  const shopLocale = shop.locale.slice(0, 2).toLowerCase();
  const locale: Locale = input.wanted ?? (isLocale(shopLocale) ? shopLocale : 'pl');
  return {
    kind: 'page',
    landing: {
      locale,
      shop: { name: shop.name, slug: shop.slug, logoUrl: shop.brand_logo_url },
      referrerFirstName: referrer?.first_name?.trim() || null,
      code: visit.owner.code,
      offer: friendOffer(campaign.settings, shop.currency, locale),
      codeAtCheckout: Boolean(campaign.settings.friendDiscount),
      termsUrl: campaign.settings.termsUrl ?? null,
      continueUrl: visit.location,
    },
  };
}
