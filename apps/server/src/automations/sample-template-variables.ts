import type { TemplateVariables } from '../messaging/template-variables.ts';
import type { Locale } from '../shared/i18n.ts';
import type { ShopRow } from '../shops/shop.ts';

const DAY = 86_400_000;

/**
 * A made-up customer with everything a template can read — points about to expire, a tier, a
 * coupon, an order, a referral link, survey and review links — so that checking a template by
 * rendering it exercises every branch a real message may take, and a preview looks real.
 */
export function sampleTemplateVariables(
  shop: ShopRow,
  locale: Locale,
  publicUrl: string,
  now: Date,
): TemplateVariables {
  const base = publicUrl.replace(/\/$/, '');
  const storefront = shop.storefront_url ?? 'https://example.com';
  const pl = locale === 'pl';
  const days = (n: number) => new Date(now.getTime() + n * DAY).toISOString();
  return {
    shop: { name: shop.name, url: storefront, currency: shop.currency, timezone: shop.timezone },
    customer: {
      firstName: 'Zofia',
      lastName: 'Nowak',
      email: 'zofia.nowak@example.com',
      externalId: 'sample-1001',
    },
    points: { available: 1250, pending: 180, expiringAmount: 300, expiringAt: days(14) },
    tier: {
      name: pl ? 'Złoty' : 'Gold',
      nextTierName: pl ? 'Platynowy' : 'Platinum',
      toNext: 750,
      measure: 'points',
    },
    coupon: {
      code: 'WITAJ-7Q4K',
      discountText: pl ? '10% rabatu' : '10% off',
      expiresAt: days(30),
      minBasket: 10_000,
    },
    order: { externalId: '1001', total: 18_950, currency: shop.currency },
    referral: {
      code: 'ZOFIA-8K2M',
      link: `${base}/r/ZOFIA-8K2M`,
      rewardText: pl ? '20 zł rabatu' : '20 PLN off',
      friendRewardText: pl ? '15% rabatu na pierwsze zakupy' : '15% off the first order',
    },
    survey: {
      npsUrls: Array.from({ length: 11 }, (_, i) => `${base}/s/sample-${i}`),
      csatUrls: Array.from({ length: 5 }, (_, i) => `${base}/s/sample-csat-${i + 1}`),
    },
    review: { url: `${base}/rv/sample` },
    links: {
      shop: storefront,
      preferences: `${base}/m/p/sample`,
      unsubscribe: `${base}/m/u/sample`,
    },
    context: {},
  };
}
