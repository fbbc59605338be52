import { isInteger, isSafeNumber, parse } from 'lossless-json';

/**
 * JSON.parse that never loses digits: integers beyond 2^53 (Shopify ids) become strings of
 * their exact digits instead of rounded numbers. Other numbers are plain numbers.
 */
export function parseJsonLossless(text: string): unknown {
  return parse(text, null, (value: string) =>
    isInteger(value) && !isSafeNumber(value) ? value : Number(value),
  );
}

/** An external id as a string, whatever shape the sender used. */
export function idString(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) {
    return Number.isInteger(value) ? BigInt(value).toString() : String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  return null;
}
