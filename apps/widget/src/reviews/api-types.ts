export type ReviewSort = 'newest' | 'highest' | 'lowest' | 'photos';

export interface RatingSummary {
  average: number | null;
  count: number;
  histogram: Record<'1' | '2' | '3' | '4' | '5', number>;
}

export interface ShownReview {
  id: string;
  rating: number;
  title: string | null;
  body: string | null;
  author: string | null;
  date: string;
  photoUrls: string[];
}

export interface ReviewsAnswer {
  product: { id: string; name: string | null; rating: RatingSummary } | null;
  shop: { id: string; name: string; rating: RatingSummary };
  reviews: ShownReview[];
  page: number;
  pageSize: number;
  total: number;
  totalPages: number;
  jsonLd: Record<string, unknown> | null;
}
