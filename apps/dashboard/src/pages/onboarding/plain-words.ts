import type { IntlShape } from 'react-intl';

/**
 * The programme in plain words, for the onboarding's review step. Kept small and local on
 * purpose: the Programme area has (or will have) its own fuller summary
 * (`pages/programme/plain-words.tsx`); this could later call that one instead.
 */
export interface ProgrammeView {
  live: {
    rules?: { id: string; code: string; args?: Record<string, unknown>; active?: boolean }[];
    settings?: { expiryMonths?: number | null };
  };
}

export interface RuleKind {
  code: string;
  title: { pl: string; en: string };
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function programmeInPlainWords(
  intl: IntlShape,
  programme: ProgrammeView,
  kinds: RuleKind[],
  shop: { currency: string; returnWindowDays: number },
): string[] {
  const locale = intl.locale.startsWith('pl') ? 'pl' : 'en';
  const money = (minor: number) =>
    intl.formatNumber(minor / 100, { style: 'currency', currency: shop.currency });
  const unit = intl
    .formatNumber(1, { style: 'currency', currency: shop.currency, maximumFractionDigits: 0 })
    .trim();
  const lines: string[] = [];
  const rules = (programme.live.rules ?? []).filter((r) => r.active !== false);
  for (const rule of rules) {
    const args = rule.args ?? {};
    const points = num(args.points);
    if (rule.code === 'spend') {
      const perUnit = num(args.pointsPerUnit) ?? 1;
      const minOrder = num(args.minOrder) ?? 0;
      lines.push(
        intl.formatMessage(
          { id: 'onboarding.words.spend' },
          { points: perUnit, unit, currency: shop.currency },
        ) +
          (minOrder > 0
            ? ' ' +
              intl.formatMessage({ id: 'onboarding.words.minOrder' }, { amount: money(minOrder) })
            : ''),
      );
    } else if (points !== null) {
      const title = kinds.find((k) => k.code === rule.code)?.title[locale] ?? rule.code;
      lines.push(intl.formatMessage({ id: 'onboarding.words.fixed' }, { title, points }));
    }
  }
  if (rules.length === 0) lines.push(intl.formatMessage({ id: 'onboarding.words.noRules' }));
  lines.push(
    shop.returnWindowDays > 0
      ? intl.formatMessage({ id: 'onboarding.words.pending' }, { days: shop.returnWindowDays })
      : intl.formatMessage({ id: 'onboarding.words.noPending' }),
  );
  const expiry = programme.live.settings?.expiryMonths;
  lines.push(
    typeof expiry === 'number'
      ? intl.formatMessage({ id: 'onboarding.words.expiry' }, { months: expiry })
      : intl.formatMessage({ id: 'onboarding.words.noExpiry' }),
  );
  return lines;
}
