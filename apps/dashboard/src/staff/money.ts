/** "12,50" or "12.50" → 1250 minor units (currencies with two decimals); null when no amount. */
export function parseAmount(text: string): number | null {
  const match = /^\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  const minor = Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
  return minor > 0 ? minor : null;
}

export const formatMoney = (minor: number, currency: string, lang: string) =>
  new Intl.NumberFormat(lang === 'pl' ? 'pl-PL' : 'en-GB', { style: 'currency', currency }).format(
    minor / 100,
  );
