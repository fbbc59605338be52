import { z } from 'zod';

/**
 * The largest amount of money one field takes, in minor units: 10^12 is ten billion złoty,
 * beyond any order, refund, gift card or threshold. Its sums stay exact: a JSON number holds
 * every integer up to 2^53 − 1, so 9,007 orders at this bound still add up to the unit, and
 * PostgreSQL's bigint holds the sum of 9.2 million of them.
 */
export const MAX_AMOUNT = 1_000_000_000_000;

/** The most units of one product on an order line; quantity × price stays within MAX_AMOUNT. */
export const MAX_QUANTITY = 1_000_000;

const currencies: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export function isCurrency(code: string): boolean {
  return currencies.has(code);
}

/** Money in minor units, 0 to MAX_AMOUNT; `.min(1)` where nothing is not an amount. */
export const amountSchema = z
  .int()
  .min(0)
  .max(MAX_AMOUNT, 'must be at most 1,000,000,000,000 minor units');

export const quantitySchema = z.int().min(1).max(MAX_QUANTITY, 'must be at most 1,000,000');

/** A currency in use (ISO 4217, as the runtime's Intl knows it): not "ZZZ", not "XXX". */
export const currencySchema = z
  .string()
  .refine(isCurrency, 'must be an ISO 4217 currency code such as PLN');

/** A line is worth no more than one amount may be; for `.refine(...lineValueWithinBounds)`. */
export const lineValueWithinBounds: [
  (line: { quantity: number; price: number }) => boolean,
  { path: string[]; message: string },
] = [
  (line) => line.quantity * line.price <= MAX_AMOUNT,
  { path: ['price'], message: 'quantity × price must be at most 1,000,000,000,000 minor units' },
];
