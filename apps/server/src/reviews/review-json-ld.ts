import type { Locale } from '../shared/i18n.ts';
import { BEST_RATING, WORST_RATING, type RatingSummary } from './rating-summary.ts';

/**
 * The schema.org Product with its AggregateRating and the shown Reviews, as search engines
 * read it from a `<script type="application/ld+json">`. Without reviews there is no
 * aggregateRating (a rating of zero reviews is an error to Google's rich results test).
 */
export function reviewsJsonLd(input: {
  productId: string;
  name: string;
  rating: RatingSummary;
  reviews: Array<{
    rating: number;
    title: string | null;
    body: string | null;
    author: string | null;
    date: string;
  }>;
  locale: Locale;
}) {
  const anonymous = input.locale === 'pl' ? 'Klient' : 'Customer';
  const rating = (value: number) => ({
    '@type': 'Rating',
    ratingValue: value,
    bestRating: BEST_RATING,
    worstRating: WORST_RATING,
  });
  return {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: input.name,
    productID: input.productId,
    ...(input.rating.count > 0 &&
      input.rating.average !== null && {
        aggregateRating: {
          '@type': 'AggregateRating',
          ratingValue: input.rating.average,
          reviewCount: input.rating.count,
          ratingCount: input.rating.count,
          bestRating: BEST_RATING,
          worstRating: WORST_RATING,
        },
      }),
    ...(input.reviews.length > 0 && {
      review: input.reviews.map((r) => ({
        '@type': 'Review',
        reviewRating: rating(r.rating),
        author: { '@type': 'Person', name: r.author ?? anonymous },
        datePublished: r.date,
        ...(r.title && { name: r.title }),
        ...(r.body && { reviewBody: r.body }),
      })),
    }),
  };
}
