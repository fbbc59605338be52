import { currencyExponent } from '../shared/money.ts';

/**
 * Minor units as the decimal text shop platforms take for money ("12.50" for 1250 PLN, "500"
 * for 500 JPY), exact for every safe integer: no floating point on the way.
 */
export function minorToDecimal(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`${minor} is not a whole minor amount`);
  const exponent = currencyExponent(currency);
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${minor < 0 ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
}

/** A percentage as decimal text without float noise: 12.5 → "12.5", 10 → "10". */
export function percentText(percent: number): string {
  return String(Math.round(percent * 10_000) / 10_000);
}
