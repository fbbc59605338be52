import { useMemo } from 'react';
import { useLocale } from './locale.tsx';
import type { Shop } from '../api/types.ts';

/**
 * Numbers, money and dates as the shop shows them: the interface language picks the words and
 * separators, the shop gives the currency and the time zone (a day is the shop's day).
 */
export function useShopFormat(shop: Pick<Shop, 'currency' | 'timezone'> | undefined) {
  const { locale } = useLocale();
  return useMemo(() => {
    const tag = locale === 'pl' ? 'pl-PL' : 'en-GB';
    const currency = shop?.currency ?? 'PLN';
    const money = new Intl.NumberFormat(tag, { style: 'currency', currency });
    const digits = money.resolvedOptions().maximumFractionDigits ?? 2;
    const number = new Intl.NumberFormat(tag);
    const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 });
    const signed = new Intl.NumberFormat(tag, {
      style: 'percent',
      maximumFractionDigits: 1,
      signDisplay: 'exceptZero',
    });
    // A calendar day (YYYY-MM-DD) of the shop: shown as that day, whatever the browser's zone.
    const day = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', timeZone: 'UTC' });
    return {
      /** Minor units (grosze) → "1 234,56 zł". */
      money: (minor: number) => money.format(minor / 10 ** digits),
      number: (n: number) => number.format(n),
      percent: (share: number) => percent.format(share),
      change: (relative: number) => signed.format(relative),
      day: (isoDay: string) => day.format(new Date(`${isoDay}T00:00:00Z`)),
      timezone: shop?.timezone ?? 'Europe/Warsaw',
    };
  }, [locale, shop?.currency, shop?.timezone]);
}

/** Today's date in a time zone, as YYYY-MM-DD. */
export function todayIn(timezone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone }).format(now);
}

/** A calendar day plus n days (n may be negative). */
export function addDays(isoDay: string, n: number): string {
  const date = new Date(`${isoDay}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
}
