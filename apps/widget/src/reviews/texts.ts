import type { Locale } from '../shared/context.ts';
import type { PluralForms } from '../shared/messages.ts';

const pl = {
  title: 'Opinie klientów',
  shopTitle: 'Opinie o sklepie',
  loading: 'Wczytuję opinie…',
  failed: 'Nie udało się wczytać opinii.',
  none: 'Nikt jeszcze nie ocenił tego produktu.',
  noneShop: 'Sklep nie ma jeszcze opinii.',
  reviews: {
    one: '{n} opinia',
    few: '{n} opinie',
    many: '{n} opinii',
    other: '{n} opinii',
  } as PluralForms,
  stars: {
    one: '{n} gwiazdka',
    few: '{n} gwiazdki',
    many: '{n} gwiazdek',
    other: '{n} gwiazdki',
  } as PluralForms,
  outOf: (value: string) => `Ocena ${value} na 5`,
  histogram: 'Rozkład ocen',
  shopRating: (value: string, count: string) => `Ocena sklepu: ${value}/5 (${count})`,
  sort: 'Sortuj',
  sorts: {
    newest: 'Najnowsze',
    highest: 'Najwyżej oceniane',
    lowest: 'Najniżej oceniane',
    photos: 'Ze zdjęciami',
  },
  customer: 'Klient',
  photo: (author: string) => `Zdjęcie od: ${author}`,
  page: (page: number, pages: number) => `Strona ${page} z ${pages}`,
  previous: 'Poprzednia',
  next: 'Następna',
  pages: 'Strony opinii',
};

const en: typeof pl = {
  title: 'Customer reviews',
  shopTitle: 'Shop reviews',
  loading: 'Loading reviews…',
  failed: 'The reviews could not be loaded.',
  none: 'No one has reviewed this product yet.',
  noneShop: 'The shop has no reviews yet.',
  reviews: { one: '{n} review', other: '{n} reviews' },
  stars: { one: '{n} star', other: '{n} stars' },
  outOf: (value: string) => `Rated ${value} out of 5`,
  histogram: 'Ratings breakdown',
  shopRating: (value: string, count: string) => `Shop rating: ${value}/5 (${count})`,
  sort: 'Sort by',
  sorts: {
    newest: 'Newest',
    highest: 'Highest rated',
    lowest: 'Lowest rated',
    photos: 'With photos',
  },
  customer: 'Customer',
  photo: (author: string) => `Photo by ${author}`,
  page: (page: number, pages: number) => `Page ${page} of ${pages}`,
  previous: 'Previous',
  next: 'Next',
  pages: 'Review pages',
};

export type ReviewsText = typeof pl;

export function reviewsText(locale: Locale): ReviewsText {
  return locale === 'en' ? en : pl;
}

/** "4,3" in Polish, "4.3" in English: one decimal place. */
export function ratingValue(locale: Locale, value: number): string {
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(value);
}
