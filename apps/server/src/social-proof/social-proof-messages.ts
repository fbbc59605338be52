import { formatNumber, pluralForm, type Locale } from '../shared/i18n.ts';
import { inPlacePl } from './city-locative.ts';
import type { SocialProofFacts } from './read-social-proof-facts.ts';
import type { SocialProofMessage, SocialProofSettings } from './social-proof-settings.ts';

export interface SocialProofNote {
  kind: SocialProofMessage;
  text: string;
  count?: number;
  city?: string;
  firstName?: string;
}

/**
 * What a product page may say, decided from the facts: a count only when it reaches the
 * shop's threshold (never below 3 distinct customers), a city only when that many bought from
 * it, a first name only when the merchant turned names on (the facts then hold only a name of
 * a customer who consented). No times: "today" and "recently" are as exact as it gets.
 */
export function socialProofNotes(
  facts: SocialProofFacts,
  settings: SocialProofSettings,
  locale: Locale,
): SocialProofNote[] {
  if (!settings.enabled) return [];
  const wanted = new Set(settings.messages);
  const notes: SocialProofNote[] = [];
  if (wanted.has('bought_today') && facts.buyersToday >= settings.minCustomers) {
    const count = facts.buyersToday;
    notes.push({ kind: 'bought_today', count, text: boughtToday(locale, count) });
  }
  if (wanted.has('recent_city') && facts.recentCity) {
    const city = facts.recentCity;
    const text =
      locale === 'pl' ? `Ostatnio kupione ${inPlacePl(city)}` : `Recently bought in ${city}`;
    notes.push({ kind: 'recent_city', city, text });
  }
  if (wanted.has('recent_name') && settings.showFirstNames && facts.recentFirstName) {
    const firstName = facts.recentFirstName;
    // Polish verbs agree with the buyer's gender, which Lojal does not know: a label instead.
    const text =
      locale === 'pl' ? `Ostatnio kupione przez: ${firstName}` : `Recently bought by ${firstName}`;
    notes.push({ kind: 'recent_name', firstName, text });
  }
  return notes;
}

/** "14 osób kupiło to dziś", "3 osoby kupiły to dziś", "1 osoba kupiła to dziś". */
export function boughtToday(locale: Locale, count: number): string {
  const n = formatNumber(count, locale);
  if (locale === 'en') return `${n} ${count === 1 ? 'person' : 'people'} bought this today`;
  const phrase = pluralForm('pl', count, {
    one: 'osoba kupiła',
    few: 'osoby kupiły',
    many: 'osób kupiło',
    other: 'osoby kupiło',
  });
  return `${n} ${phrase} to dziś`;
}
