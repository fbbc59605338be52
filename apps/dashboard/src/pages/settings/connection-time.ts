import { useMemo } from 'react';
import { useLocale } from '../../i18n/locale.tsx';

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

/** The largest whole unit of a span of seconds: 300 → 5 minutes. */
function unitOf(seconds: number): [Intl.RelativeTimeFormatUnit, number] {
  const abs = Math.abs(seconds);
  for (const [unit, size] of UNITS) {
    if (abs >= size || unit === 'second') return [unit, Math.round(seconds / size)];
  }
  return ['second', Math.round(seconds)];
}

/**
 * Times as people say them, in the interface's language: "5 minut temu", "za 2 godziny"
 * (`ago`), and a lag as a span, "3 minuty" (`span`); the language's own plural forms.
 */
export function useConnectionTime() {
  const { locale } = useLocale();
  return useMemo(() => {
    const tag = locale === 'pl' ? 'pl-PL' : 'en-GB';
    const relative = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' });
    return {
      ago(iso: string, now = Date.now()) {
        const [unit, n] = unitOf((Date.parse(iso) - now) / 1000);
        return relative.format(n, unit);
      },
      span(seconds: number) {
        const [unit, n] = unitOf(seconds);
        return new Intl.NumberFormat(tag, { style: 'unit', unit, unitDisplay: 'long' }).format(n);
      },
      number: (n: number) => new Intl.NumberFormat(tag).format(n),
    };
  }, [locale]);
}
