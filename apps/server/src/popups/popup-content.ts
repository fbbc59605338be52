import type { Locale } from '../shared/i18n.ts';
import type { PopupContent, PopupVariant } from './popup-schema.ts';

/** The variant's text in the visitor's language, else in the other one it has. */
export function contentFor(
  variant: PopupVariant,
  locale: Locale,
): { locale: Locale; content: PopupContent } {
  const own = variant.content[locale];
  if (own) return { locale, content: own };
  const other: Locale = locale === 'pl' ? 'en' : 'pl';
  return { locale: other, content: variant.content[other]! };
}
