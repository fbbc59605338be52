import type { LocalizedText } from '../db/schema.ts';
import { formatMoney, plural, type Locale } from '../shared/i18n.ts';
import { currencyExponent } from '../shared/money.ts';
import type { Rule } from '../points/programme.ts';
import type { TierBenefits, TierMetric } from '../tiers/tier-schema.ts';
import type { ReferralReward, ReferralSettings } from '../referrals/referral-settings.ts';
import { discountPhrase } from '../referrals/share-messages.ts';

/**
 * The programme in a shopper's words, Polish and English: how each earning rule pays, what a tier
 * gives, what a referral brings. Pure; the storefront, the portal and the widget show these.
 */

export const POINTS = {
  pl: { one: 'punkt', few: 'punkty', many: 'punktów', other: 'punktu' },
  en: { one: 'point', other: 'points' },
} as const;

export const points = (n: number, locale: Locale) => plural(locale, n, POINTS[locale]);

const both = (make: (locale: Locale) => string): LocalizedText => ({
  pl: make('pl'),
  en: make('en'),
});

function listOf(items: string[], locale: Locale): string {
  return new Intl.ListFormat(locale, { type: 'conjunction' }).format(items);
}

/**
 * "1 punkt za każde wydane 1 zł", "1 punkt za każde wydane 2 zł", "3 punkty za każde wydane
 * 10 zł": whole points for a round amount, never "za każde wydane 3,33 zł".
 */
function spendText(args: Record<string, unknown>, currency: string, locale: Locale): string {
  const perUnit = Number(args.pointsPerUnit);
  const unit = 10 ** currencyExponent(currency);
  let pts = perUnit;
  let per = unit;
  if (perUnit < 1) {
    const inverse = 1 / perUnit;
    if (Math.abs(inverse - Math.round(inverse)) < 1e-9) {
      [pts, per] = [1, Math.round(inverse) * unit];
    } else {
      let scale = 10;
      while (scale < 10_000 && Math.abs(perUnit * scale - Math.round(perUnit * scale)) > 1e-9) {
        scale *= 10;
      }
      [pts, per] = [Math.round(perUnit * scale), scale * unit];
    }
  }
  const money = formatMoney(per, currency, locale).replace(/[,.]00(?=\D|$)/, '');
  const base =
    locale === 'pl'
      ? `${points(pts, locale)} za każde wydane ${money}`
      : `${points(pts, locale)} for every ${money} spent`;
  const minOrder = Number(args.minOrder ?? 0);
  if (minOrder <= 0) return base;
  const min = formatMoney(minOrder, currency, locale);
  return locale === 'pl' ? `${base} (zamówienia od ${min})` : `${base} (orders from ${min})`;
}

/** One earning rule in words; null for rules a shopper cannot act on (custom events). */
export function describeRule(rule: Rule, currency: string): LocalizedText | null {
  const a = rule.args;
  const p = (locale: Locale) => points(Number(a.points), locale);
  switch (rule.code) {
    case 'spend':
      return both((l) => spendText(a, currency, l));
    case 'first_order':
      return both((l) =>
        l === 'pl' ? `${p(l)} za pierwsze zamówienie` : `${p(l)} for your first order`,
      );
    case 'signup':
      return both((l) =>
        l === 'pl' ? `${p(l)} za dołączenie do programu` : `${p(l)} for joining`,
      );
    case 'birthday':
      return both((l) =>
        l === 'pl' ? `${p(l)} w prezencie na urodziny` : `${p(l)} on your birthday`,
      );
    case 'name_day':
      return both((l) =>
        l === 'pl' ? `${p(l)} w prezencie na imieniny` : `${p(l)} on your name day`,
      );
    case 'review':
      return both((l) => {
        const photo = a.withPhotoPoints ? points(Number(a.withPhotoPoints), l) : null;
        if (l === 'pl')
          return `${p(l)} za opinię o produkcie${photo ? ` (${photo} ze zdjęciem)` : ''}`;
        return `${p(l)} for a product review${photo ? ` (${photo} with a photo)` : ''}`;
      });
    case 'newsletter_signup':
      return both((l) =>
        l === 'pl'
          ? `${p(l)} za zapis do newslettera`
          : `${p(l)} for subscribing to our newsletter`,
      );
    case 'social_follow':
      return both((l) => {
        const networks = (a.networks as string[] | undefined)?.map(
          (n) => n.charAt(0).toUpperCase() + n.slice(1),
        );
        const where = networks?.length ? listOf(networks, l) : null;
        if (l === 'pl') return `${p(l)} za obserwowanie nas${where ? ` (${where})` : ''}`;
        return `${p(l)} for following us${where ? ` on ${where}` : ''}`;
      });
    default:
      return null;
  }
}

/** What a tier gives, one line per benefit. */
export function describeBenefits(benefits: TierBenefits): LocalizedText[] {
  const lines: LocalizedText[] = [];
  const percent = (m: number, l: Locale) =>
    `+${new Intl.NumberFormat(l, { maximumFractionDigits: 1 }).format((m - 1) * 100)}%`;
  if (benefits.pointsMultiplier > 1) {
    lines.push(
      both((l) =>
        l === 'pl'
          ? `${percent(benefits.pointsMultiplier, l)} punktów za zakupy`
          : `${percent(benefits.pointsMultiplier, l)} points on purchases`,
      ),
    );
  }
  if (benefits.birthdayMultiplier > 1) {
    lines.push(
      both((l) =>
        l === 'pl'
          ? `${percent(benefits.birthdayMultiplier, l)} punktów na urodziny`
          : `${percent(benefits.birthdayMultiplier, l)} birthday points`,
      ),
    );
  }
  for (const perk of benefits.perks) {
    if (perk.title) lines.push(perk.title);
    else if (perk.code === 'monthly_free_shipping') {
      lines.push({ pl: 'Darmowa dostawa co miesiąc', en: 'Free shipping every month' });
    } else if (perk.code === 'early_access') {
      lines.push({ pl: 'Wcześniejszy dostęp do nowości', en: 'Early access to new products' });
    }
  }
  return lines;
}

/** How far a customer is from a tier: "120 zł", "3 zamówienia", "250 punktów". */
export function describeAmount(
  metric: TierMetric,
  amount: number,
  currency: string,
  locale: Locale,
): string {
  if (metric === 'spend') return formatMoney(amount, currency, locale);
  if (metric === 'points_earned') return points(amount, locale);
  return plural(
    locale,
    amount,
    locale === 'pl'
      ? { one: 'zamówienie', few: 'zamówienia', many: 'zamówień', other: 'zamówienia' }
      : { one: 'order', other: 'orders' },
  );
}

/** "jeszcze 120 zł do Złotego" / "120 zł more to Gold". */
export function describeProgress(
  metric: TierMetric,
  needed: number,
  nextName: LocalizedText,
  currency: string,
): LocalizedText {
  return both((l) => {
    const amount = describeAmount(metric, needed, currency, l);
    return l === 'pl'
      ? `jeszcze ${amount} do poziomu ${nextName.pl}`
      : `${amount} more to ${nextName.en}`;
  });
}

function rewardText(
  reward: ReferralReward | null | undefined,
  currency: string,
  locale: Locale,
): string | null {
  if (!reward) return null;
  if (reward.kind === 'points') return points(reward.points, locale);
  if (reward.kind === 'coupon') return discountPhrase(reward.discount, currency, locale);
  return locale === 'pl' ? 'nagroda z katalogu' : 'a reward from our catalogue';
}

/** The live referral campaign's offer: what the friend gets, and what the referrer gets. */
export function describeReferralOffer(settings: ReferralSettings, currency: string) {
  const friend = (l: Locale) => {
    const discount = discountPhrase(settings.friendDiscount, currency, l);
    if (discount)
      return l === 'pl' ? `${discount} na pierwsze zamówienie` : `${discount} on the first order`;
    const reward = rewardText(settings.main.friend ?? settings.lead.friend, currency, l);
    if (!reward) return null;
    return l === 'pl' ? `${reward} na start` : `${reward} to start with`;
  };
  const referrer = (l: Locale) => {
    const main = rewardText(settings.main.referrer, currency, l);
    const lead = rewardText(settings.lead.referrer, currency, l);
    if (!main && !lead) return null;
    const parts: string[] = [];
    if (lead)
      parts.push(l === 'pl' ? `${lead}, gdy znajomy dołączy` : `${lead} when your friend joins`);
    if (main) {
      parts.push(
        l === 'pl'
          ? `${main}, gdy znajomy zrobi pierwsze zakupy`
          : `${main} when your friend makes their first purchase`,
      );
    }
    return listOf(parts, l);
  };
  const pick = (make: (l: Locale) => string | null): LocalizedText | null => {
    const pl = make('pl');
    const en = make('en');
    return pl && en ? { pl, en } : null;
  };
  return { friend: pick(friend), referrer: pick(referrer), termsUrl: settings.termsUrl ?? null };
}
