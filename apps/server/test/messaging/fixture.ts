import type { Locale } from '../../src/shared/i18n.ts';
import type { EmailFooter } from '../../src/messaging/render-email.ts';
import type { TemplateVariables } from '../../src/messaging/template-variables.ts';

/** A customer of a Polish shop with every optional part filled in. */
export function sampleVariables(overrides: Partial<TemplateVariables> = {}): TemplateVariables {
  const base = 'https://lojal.example/s/shp_1';
  return {
    shop: {
      name: 'Kawiarnia Ziarno',
      url: 'https://ziarno.example',
      currency: 'PLN',
      timezone: 'Europe/Warsaw',
    },
    customer: {
      firstName: 'Zofia',
      lastName: 'Nowak',
      email: 'zofia@example.com',
      externalId: 'c-1',
    },
    points: {
      available: 245,
      pending: 32,
      expiringAmount: 120,
      expiringAt: '2026-03-31T21:59:00Z',
    },
    tier: { name: 'Złoty', nextTierName: 'Platynowy', toNext: 155, measure: 'points' },
    coupon: {
      code: 'WITAJ-7KQ2',
      discountText: '10% rabatu',
      expiresAt: '2026-02-14T22:59:00Z',
      minBasket: 10000,
    },
    order: { externalId: '1042', total: 18950, currency: 'PLN' },
    referral: {
      code: 'ZOFIA-24',
      link: 'https://lojal.example/r/ZOFIA-24',
      rewardText: '50 punktów',
      friendRewardText: '20 zł rabatu',
    },
    survey: {
      npsUrls: Array.from({ length: 11 }, (_, i) => `${base}/nps?score=${i}&t=tok`),
      csatUrls: Array.from({ length: 5 }, (_, i) => `${base}/csat?score=${i + 1}&t=tok`),
    },
    review: { url: 'https://ziarno.example/opinie/1042' },
    // What a flow run carries from its trigger: here a cart.updated event's data.
    context: {
      cartId: 'k-77',
      currency: 'PLN',
      total: 15900,
      url: 'https://ziarno.example/koszyk/k-77',
      lines: [{ productId: 'kubek', name: 'Kubek', quantity: 2, price: 7950 }],
    },
    links: {
      shop: 'https://ziarno.example',
      preferences: `${base}/preferences?t=tok`,
      unsubscribe: `${base}/unsubscribe?t=tok`,
    },
    ...overrides,
  };
}

/** The sample with the texts a caller writes in the message's language. */
export function sampleVariablesFor(locale: Locale): TemplateVariables {
  const v = sampleVariables();
  if (locale === 'pl') return v;
  return {
    ...v,
    coupon: { ...v.coupon!, discountText: '10% off' },
    referral: { ...v.referral!, rewardText: '50 points', friendRewardText: 'PLN 20 off' },
  };
}

export function sampleFooter(variables: TemplateVariables): EmailFooter {
  return {
    shopName: variables.shop.name,
    shopAddress: 'ul. Długa 5\n31-147 Kraków',
    unsubscribeUrl: variables.links.unsubscribe,
    preferencesUrl: variables.links.preferences,
  };
}

export const bothLocales: Locale[] = ['pl', 'en'];
