import { NumberInput, type NumberInputProps } from '@mantine/core';
import { useLocale } from '../i18n/locale.tsx';

/** How many minor units a currency has (2 for PLN, 0 for JPY). */
export function currencyDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits ?? 2
  );
}

/**
 * An amount of money typed in the currency's main unit (złoty) and held in minor units (grosze),
 * as the API takes it; empty is `undefined`.
 */
export function MoneyInput({
  value,
  onChange,
  currency,
  ...props
}: Omit<NumberInputProps, 'value' | 'onChange'> & {
  value: number | undefined;
  onChange: (minor: number | undefined) => void;
  currency: string;
}) {
  const { locale } = useLocale();
  const digits = currencyDigits(currency);
  const scale = 10 ** digits;
  return (
    <NumberInput
      {...props}
      value={value === undefined ? '' : value / scale}
      onChange={(v) => {
        if (v === '' || v === undefined) return onChange(undefined);
        const n = typeof v === 'number' ? v : Number(String(v).replace(',', '.'));
        onChange(Number.isFinite(n) ? Math.round(n * scale) : undefined);
      }}
      decimalScale={digits}
      allowNegative={false}
      decimalSeparator={locale === 'pl' ? ',' : '.'}
      thousandSeparator={locale === 'pl' ? ' ' : ','}
      rightSection={<span aria-hidden="true">{currency}</span>}
      rightSectionWidth={48}
      inputMode="decimal"
    />
  );
}
