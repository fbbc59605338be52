/** What a slug may be: lower-case letters, digits and single dashes inside, at most 40. */
export const SHOP_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const MAX = 40;

/**
 * The shop's name as it appears in its links (/r/{slug}/{code}): without diacritics, lower
 * case, words joined by dashes, e.g. "Sklep Ziutki" → "sklep-ziutki". Migration 0021 makes the
 * slugs of existing shops the same way.
 */
export function slugFromName(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX)
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'shop' : slug;
}

/** The n-th candidate for a slug taken already: sklep, sklep-2, sklep-3 … within 40 characters. */
export function numberedSlug(base: string, n: number): string {
  if (n <= 1) return base;
  const suffix = `-${n}`;
  return `${base.slice(0, MAX - suffix.length).replace(/-+$/, '')}${suffix}`;
}
