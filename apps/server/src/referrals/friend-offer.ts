import { plural, type Locale } from '../shared/i18n.ts';
import { currencyExponent } from '../shared/money.ts';
import type { ReferralReward, ReferralSettings } from './referral-settings.ts';

/**
 * What a campaign offers the friend, in words for the landing page: the discount the code gives
 * at checkout ("15 zł na pierwsze zamówienie", "15 zł off your first order"), else the friend's
 * reward for signing up or for the first order. Null when the campaign offers the friend nothing.
 */
export function friendOffer(
  settings: ReferralSettings,
  currency: string,
  locale: Locale,
): { headline: string; condition: string | null } | null {
  const money = (minor: number) => amount(minor, currency, locale);
  const minimum =
    settings.minOrderValue > 0
      ? locale === 'pl'
        ? `przy zamówieniu za co najmniej ${money(settings.minOrderValue)}`
        : `on an order of at least ${money(settings.minOrderValue)}`
      : null;
  const discount = settings.friendDiscount;
  if (discount) {
    return {
      headline:
        locale === 'pl'
          ? `${discountWords(discount, money, locale)} na pierwsze zamówienie`
          : `${discountWords(discount, money, locale)} your first order`,
      condition: minimum,
    };
  }
  const lead = settings.lead.friend;
  if (lead) {
    return {
      headline:
        locale === 'pl'
          ? `${rewardWords(lead, money, locale)} na start, gdy założysz konto`
          : `${rewardWords(lead, money, locale)} when you create an account`,
      condition: null,
    };
  }
  const main = settings.main.friend;
  if (main) {
    return {
      headline:
        locale === 'pl'
          ? `${rewardWords(main, money, locale)} po pierwszym zamówieniu`
          : `${rewardWords(main, money, locale)} after your first order`,
      condition: minimum,
    };
  }
  return null;
}

type Discount = NonNullable<ReferralSettings['friendDiscount']>;

/** "15 zł" / "10% rabatu (do 50 zł)" in Polish (before "na …"), "PLN 15 off" in English. */
function discountWords(discount: Discount, money: (n: number) => string, locale: Locale): string {
  const percent =
    discount.kind === 'percentage'
      ? `${discount.percent.toLocaleString(locale === 'pl' ? 'pl-PL' : 'en-GB')}%`
      : null;
  if (locale === 'pl') {
    if (discount.kind === 'fixed') return money(discount.amount);
    return discount.cap ? `${percent} rabatu (do ${money(discount.cap)})` : `${percent} rabatu`;
  }
  if (discount.kind === 'fixed') return `${money(discount.amount)} off`;
  return discount.cap ? `${percent} off (up to ${money(discount.cap)})` : `${percent} off`;
}

/** Money as people say it: "15 zł", "12,50 zł", "PLN 15" (no ",00" on whole amounts). */
function amount(minor: number, currency: string, locale: Locale): string {
  const exponent = currencyExponent(currency.toUpperCase());
  const value = minor / 10 ** exponent;
  return new Intl.NumberFormat(locale === 'pl' ? 'pl-PL' : 'en-GB', {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: Number.isInteger(value) ? 0 : exponent,
    maximumFractionDigits: exponent,
  }).format(value);
}

function rewardWords(reward: ReferralReward, money: (n: number) => string, locale: Locale) {
  if (reward.kind === 'points') {
    return locale === 'pl'
      ? plural(locale, reward.points, {
          one: 'punkt',
          few: 'punkty',
          many: 'punktów',
          other: 'punktu',
        })
      : plural(locale, reward.points, { one: 'point', other: 'points' });
  }
  if (reward.kind === 'coupon') {
    const words = discountWords(reward.discount, money, locale);
    return locale === 'pl'
      ? `kupon: ${reward.discount.kind === 'fixed' ? `${words} rabatu` : words}`
      : `a coupon for ${words}`;
  }
  return locale === 'pl' ? 'nagroda' : 'a reward';
}
