import { List, Text } from '@mantine/core';
import { useIntl, type IntlShape } from 'react-intl';
import { useShopFormat } from '../../i18n/format.ts';

/**
 * The programme in plain words: "1 punkt za każdą złotówkę, punkty do wykorzystania po 14
 * dniach…". A pure function (`describeProgramme`) and a component around it, independent of
 * the programme editor, so other pages (onboarding, the storefront preview) can show the same
 * sentences for any version: the live one, a draft, or one from the history.
 */

/** The parts of a programme version the sentences need (GET /v1/programme gives more). */
export interface PlainProgramme {
  rules: {
    code: string;
    args: Record<string, unknown>;
    active?: boolean;
    cap?: { points?: number; times?: number; period: string };
  }[];
  settings: { expiryMonths?: number | null; pointValue?: number };
}

export interface PlainContext {
  /** The shop's currency (ISO 4217). */
  currency: string;
  /** Days an order's points stay pending (the shop's return window). */
  returnWindowDays: number;
  /** Minor units as money, e.g. 5000 → "50,00 zł". */
  money: (minor: number) => string;
  /** A rule kind's name when the dashboard has no sentence for it (from GET /v1/programme/rule-kinds). */
  kindTitle?: (code: string) => string | undefined;
}

const num = (v: unknown, fallback = 0) => (typeof v === 'number' ? v : fallback);

/** One sentence per active rule, then how points become usable, expire and what one is worth. */
export function describeProgramme(
  programme: PlainProgramme,
  ctx: PlainContext,
  intl: IntlShape,
): string[] {
  const t = (id: string, values?: Record<string, string | number>) =>
    intl.formatMessage({ id: `programme.plain.${id}` }, values);
  const sentences: string[] = [];
  for (const rule of programme.rules) {
    if (rule.active === false) continue;
    const a = rule.args;
    let text: string;
    switch (rule.code) {
      case 'spend': {
        text = t('spend', { points: num(a.pointsPerUnit, 1), currency: ctx.currency });
        if (num(a.minOrder) > 0) text += t('spendMin', { amount: ctx.money(num(a.minOrder)) });
        const boosts =
          (Array.isArray(a.productMultipliers) ? a.productMultipliers.length : 0) +
          (Array.isArray(a.categoryMultipliers) ? a.categoryMultipliers.length : 0);
        if (boosts > 0) text += t('spendBoosts', { count: boosts });
        break;
      }
      case 'first_order':
      case 'signup':
      case 'birthday':
      case 'name_day':
      case 'newsletter_signup':
        text = t(rule.code, { points: num(a.points) });
        break;
      case 'review':
        text =
          typeof a.withPhotoPoints === 'number'
            ? t('reviewPhoto', { points: num(a.points), photo: a.withPhotoPoints })
            : t('review', { points: num(a.points) });
        break;
      case 'social_follow':
        text =
          Array.isArray(a.networks) && a.networks.length > 0
            ? t('socialOnly', { points: num(a.points), networks: a.networks.join(', ') })
            : t('social', { points: num(a.points) });
        break;
      case 'custom':
        text = t('custom', { points: num(a.points), event: String(a.event ?? '') });
        break;
      default:
        text = t('other', {
          title: ctx.kindTitle?.(rule.code) ?? rule.code,
          points: num(a.points),
        });
    }
    if (rule.cap) {
      const period = t(`period.${rule.cap.period}`);
      if (rule.cap.points) text += t('capPoints', { points: rule.cap.points, period });
      if (rule.cap.times) text += t('capTimes', { times: rule.cap.times, period });
    }
    sentences.push(text);
  }
  if (sentences.length === 0) sentences.push(t('noRules'));
  sentences.push(
    ctx.returnWindowDays > 0 ? t('pending', { days: ctx.returnWindowDays }) : t('pendingNone'),
  );
  const expiry = programme.settings.expiryMonths;
  sentences.push(typeof expiry === 'number' ? t('expiry', { months: expiry }) : t('expiryNever'));
  if (typeof programme.settings.pointValue === 'number') {
    sentences.push(t('value', { value: ctx.money(programme.settings.pointValue) }));
  }
  return sentences;
}

/** The sentences as one line: "1 punkt za każdą złotówkę, punkty do wykorzystania po 14 dniach…". */
export function plainSummary(sentences: string[]): string {
  const text = sentences.join(', ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

const capitalised = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;

/** The sentences as a list, for a shop (currency, return window) in the interface language. */
export function ProgrammeInPlainWords(props: {
  programme: PlainProgramme;
  shop: { currency: string; timezone: string; returnWindowDays?: number };
  kindTitle?: (code: string) => string | undefined;
  testId?: string;
}) {
  const intl = useIntl();
  const fmt = useShopFormat(props.shop);
  // Sub-unit values (0.05 zł a point) need more digits than the currency's own.
  const precise = new Intl.NumberFormat(intl.locale === 'pl' ? 'pl-PL' : 'en-GB', {
    style: 'currency',
    currency: props.shop.currency,
    maximumFractionDigits: 4,
  });
  const digits = precise.resolvedOptions().minimumFractionDigits ?? 2;
  const sentences = describeProgramme(
    props.programme,
    {
      currency: props.shop.currency,
      returnWindowDays: props.shop.returnWindowDays ?? 14,
      money: (minor) =>
        Number.isInteger(minor) ? fmt.money(minor) : precise.format(minor / 10 ** digits),
      ...(props.kindTitle && { kindTitle: props.kindTitle }),
    },
    intl,
  );
  return (
    <List spacing={4} size="sm" data-testid={props.testId ?? 'plain-words'}>
      {sentences.map((s, i) => (
        <List.Item key={i}>
          <Text size="sm" component="span">
            {capitalised(s)}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}
