import type { Locale } from '../shared/i18n.ts';
import type { BrandKit } from './brand-kit.ts';

/**
 * The opening words without punctuation, the same for every gender: Polish names are not put
 * in the vocative, since a wrong guess reads worse than no name.
 */
export function greeting(locale: Locale, tone: BrandKit['tone'], firstName?: string): string {
  const name = firstName?.trim();
  if (locale === 'pl') {
    // A formal Polish greeting would need the vocative and Pan/Pani: it goes without the name.
    if (tone === 'formal') return 'Dzień dobry';
    return name ? `Cześć, ${name}` : 'Cześć';
  }
  const hello = tone === 'formal' ? 'Hello' : 'Hi';
  return name ? `${hello} ${name}` : tone === 'formal' ? hello : 'Hi there';
}
