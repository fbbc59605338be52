import { isLocale, type Locale } from './i18n.ts';

/**
 * The first of Lojal's languages the visitor's browser asks for (`Accept-Language`, by its
 * quality values: `en-GB,en;q=0.9,pl;q=0.8` → en), or null when it names neither Polish nor
 * English, so the caller falls back to the shop's language.
 */
export function localeFromAcceptLanguage(header: string | undefined): Locale | null {
  if (!header) return null;
  const ranked = header
    .slice(0, 500)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { tag: tag.trim().slice(0, 2).toLowerCase(), quality, index };
    })
    .filter((r) => Number.isFinite(r.quality) && r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked.map((r) => r.tag).find(isLocale) ?? null;
}
