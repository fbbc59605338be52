// ISO 4217 minor-unit exponents that differ from 2.
const EXPONENTS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

export function currencyExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

export class MoneyFormatError extends Error {}

/**
 * Converts a decimal amount as platforms send it ("403.00", "-10.5", 12, "0.9") into integer
 * minor units without floating-point error. Extra digits beyond the currency's exponent round
 * half away from zero.
 */
export function toMinorUnits(value: string | number, currency: string): number {
  const text = typeof value === 'number' ? numberToPlain(value) : value.trim();
  const match = /^(-)?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new MoneyFormatError(`"${String(value)}" is not a decimal amount`);
  }
  const [, sign, whole = '', fraction = ''] = match;
  const exponent = currencyExponent(currency);
  const kept = fraction.slice(0, exponent).padEnd(exponent, '0');
  let minor = Number((whole || '0') + kept);
  if (Number(fraction[exponent] ?? '0') >= 5) minor += 1;
  if (!Number.isSafeInteger(minor)) throw new MoneyFormatError(`"${String(value)}" is too large`);
  return sign && minor !== 0 ? -minor : minor;
}

function numberToPlain(value: number): string {
  if (!Number.isFinite(value)) throw new MoneyFormatError(`${value} is not a decimal amount`);
  // The shortest text that reads back as this number; exponent forms are written out plainly.
  const text = String(value);
  return /e/i.test(text) ? value.toFixed(20).replace(/\.?0+$/, '') : text;
}
