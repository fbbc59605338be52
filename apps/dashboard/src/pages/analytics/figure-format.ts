import { useMemo } from 'react';
import type { Shop } from '../../api/types.ts';
import { useShopFormat } from '../../i18n/format.ts';
import { useLocale } from '../../i18n/locale.tsx';

/** The shop's formats (money, numbers, days) and what the analytics add: months, decimals, points of percentage. */
export function useFigureFormat(shop: Pick<Shop, 'currency' | 'timezone'> | undefined) {
  const base = useShopFormat(shop);
  const { locale } = useLocale();
  return useMemo(() => {
    const tag = locale === 'pl' ? 'pl-PL' : 'en-GB';
    const month = new Intl.DateTimeFormat(tag, {
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    });
    const fullDay = new Intl.DateTimeFormat(tag, {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    });
    const decimal = new Intl.NumberFormat(tag, { maximumFractionDigits: 2 });
    const p3 = new Intl.NumberFormat(tag, { maximumFractionDigits: 3 });
    const pp = new Intl.NumberFormat(tag, { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
    return {
      ...base,
      /** `YYYY-MM` → "mar 2026" / "Mar 2026". */
      month: (m: string) => month.format(new Date(`${m}-01T00:00:00Z`)),
      /** A shop day with its year (`2026-03-01` → "1 mar 2026"): for periods across years. */
      fullDay: (isoDay: string) => fullDay.format(new Date(`${isoDay}T00:00:00Z`)),
      decimal: (n: number) => decimal.format(n),
      /** A p-value: "0.021", and "< 0.001" rather than a rounded 0. */
      pValue: (p: number) => (p < 0.001 ? `< ${p3.format(0.001)}` : p3.format(p)),
      /** A difference of shares in percentage points: 0.021 → "+2,1". */
      pp: (share: number) => pp.format(share * 100),
      /** Money with its sign: a difference. */
      signedMoney: (minor: number) => (minor > 0 ? '+' : '') + base.money(minor),
    };
  }, [base, locale]);
}

export type Fmt = ReturnType<typeof useFigureFormat>;
