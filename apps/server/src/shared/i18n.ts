import { currencyExponent } from './money.ts';

/** The languages a person can read Lojal's texts in. */
export type Locale = 'pl' | 'en';

export const locales: readonly Locale[] = ['pl', 'en'];

/** 'pl', 'pl-PL', 'en-GB' → the language Lojal writes in; null for any other language. */
export function localeOfTag(tag: unknown): Locale | null {
  if (typeof tag !== 'string') return null;
  const language = tag.trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(language) ? language : null;
}

export function isLocale(value: unknown): value is Locale {
  return value === 'pl' || value === 'en';
}

/**
 * The word forms of a countable noun by CLDR plural category. Polish needs all four
 * (1 punkt, 2 punkty, 5 punktów, 1,5 punktu); English uses `one` and `other`.
 */
export interface PluralForms {
  one: string;
  few?: string;
  many?: string;
  other: string;
}

// Intl objects are costly to build and immutable: one per locale (and options) for the process.
const memo = new Map<string, unknown>();
function cached<T>(key: string, build: () => T): T {
  let value = memo.get(key) as T | undefined;
  if (value === undefined) {
    value = build();
    memo.set(key, value);
  }
  return value;
}

/** The form of the noun that goes with `n` ("punktów" for 5), without the number. */
export function pluralForm(locale: Locale, n: number, forms: PluralForms): string {
  const rules = cached(`plural:${locale}`, () => new Intl.PluralRules(locale));
  switch (rules.select(n)) {
    case 'one':
      return forms.one;
    case 'few':
      return forms.few ?? forms.other;
    case 'many':
      return forms.many ?? forms.other;
    default:
      return forms.other;
  }
}

/** The number and its noun: "5 punktów", "22 punkty", "1,5 punktu", "1 point". */
export function plural(locale: Locale, n: number, forms: PluralForms): string {
  return `${formatNumber(n, locale)} ${pluralForm(locale, n, forms)}`;
}

/** A number as the locale writes it ("12 345" and "1,5" in Polish). */
export function formatNumber(n: number, locale: Locale): string {
  return cached(`number:${locale}`, () => new Intl.NumberFormat(locale)).format(n);
}

/**
 * An amount in minor units as the locale writes money: "12,50 zł" (pl), "PLN 12.50" (en).
 * Intl separates the amount and the symbol with a no-break space so a line never ends between
 * them; SMS text goes through `renderTemplateString`, which turns it into a plain space.
 */
export function formatMoney(amountMinor: number, currency: string, locale: Locale): string {
  const code = currency.toUpperCase();
  const exponent = currencyExponent(code);
  const format = cached(
    `money:${locale}:${code}`,
    () =>
      new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: code,
        minimumFractionDigits: exponent,
        maximumFractionDigits: exponent,
      }),
  );
  return format.format(amountMinor / 10 ** exponent);
}

export type DateStyle = 'long' | 'short' | 'datetime';

const dateOptions: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  long: { dateStyle: 'long' },
  short: { dateStyle: 'short' },
  datetime: { dateStyle: 'long', timeStyle: 'short' },
};

/**
 * A calendar date in the shop's time zone: "31 grudnia 2025" (pl), "31 December 2025" (en, as
 * British English writes it, like the PDFs: Lojal's English readers are in Europe).
 */
export function formatDate(
  date: Date | string | number,
  timezone: string,
  locale: Locale,
  style: DateStyle = 'long',
): string {
  const at = date instanceof Date ? date : new Date(date);
  if (Number.isNaN(at.getTime())) throw new RangeError(`${String(date)} is not a date`);
  const format = cached(
    `date:${locale}:${timezone}:${style}`,
    () =>
      new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : locale, {
        ...dateOptions[style],
        timeZone: timezone,
      }),
  );
  return format.format(at);
}
