import { useMemo } from 'react';
import { useLocale } from '../../i18n/locale.tsx';
import { useShop } from '../../layout/shop-context.ts';

/** An instant as the shop's clock shows it, in the interface's language. */
export function useDateTime() {
  const { locale } = useLocale();
  const { shop } = useShop();
  const timeZone = shop?.timezone ?? 'Europe/Warsaw';
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(locale === 'pl' ? 'pl-PL' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone,
    });
    return (iso: string) => format.format(new Date(iso));
  }, [locale, timeZone]);
}

/** The instant a calendar day (YYYY-MM-DD) begins in a time zone. */
export function startOfDay(day: string, timeZone: string): Date {
  const guess = new Date(`${day}T00:00:00Z`);
  // The zone's offset at that moment, read from how the zone writes it.
  const offsetAt = (at: Date) => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(at);
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    const local = Date.UTC(
      get('year'),
      get('month') - 1,
      get('day'),
      get('hour'),
      get('minute'),
      get('second'),
    );
    return local - at.getTime();
  };
  const first = new Date(guess.getTime() - offsetAt(guess));
  return new Date(guess.getTime() - offsetAt(first));
}
