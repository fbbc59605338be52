import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChunkContext } from '../shared/context.ts';
import { plural } from '../shared/messages.ts';
import type { RatingSummary, ReviewSort, ReviewsAnswer, ShownReview } from './api-types.ts';
import { Stars } from './stars.tsx';
import { ratingValue, reviewsText, type ReviewsText } from './texts.ts';

const SORTS: ReviewSort[] = ['newest', 'highest', 'lowest', 'photos'];

interface Props {
  ctx: ChunkContext;
  productId: string | null;
  pageSize: number;
  /** The block's heading: the element's `data-title`; '' for none (the page has its own). */
  heading: string | undefined;
  /** Called with the first answer (for the JSON-LD). */
  onFirst(answer: ReviewsAnswer): void;
}

/** One block of reviews: rating summary, histogram, sorting, the reviews of a page, paging. */
export function ReviewsBlock({ ctx, productId, pageSize, heading, onFirst }: Props) {
  const t = reviewsText(ctx.locale);
  const [sort, setSort] = useState<ReviewSort>('newest');
  const [page, setPage] = useState(1);
  const [answer, setAnswer] = useState<ReviewsAnswer | null>(null);
  const [failed, setFailed] = useState(false);
  // Called once, with the first answer, whatever the parent passes on later renders.
  const first = useRef<Props['onFirst'] | null>(onFirst);
  const list = useRef<HTMLDivElement>(null);
  const moved = useRef(false);

  useEffect(() => {
    let live = true;
    const query = new URLSearchParams({ sort, page: String(page), pageSize: String(pageSize) });
    if (productId) query.set('product', productId);
    ctx.fetchJson<ReviewsAnswer>(`/reviews?${query}`).then(
      (data) => {
        if (!live) return;
        setAnswer(data);
        setFailed(false);
        first.current?.(data);
        first.current = null;
        if (moved.current) list.current?.focus();
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [ctx, productId, pageSize, sort, page]);

  const title = heading || (productId ? t.title : t.shopTitle);
  const h2 = heading === '' ? null : <h2>{title}</h2>;
  if (!answer) {
    return (
      <section class="block" aria-label={title}>
        {h2}
        <p class="muted" role="status">
          {failed ? t.failed : t.loading}
        </p>
      </section>
    );
  }
  const rating = answer.product?.rating ?? answer.shop.rating;
  const go = (next: number) => {
    moved.current = true;
    setPage(next);
  };
  return (
    <section class="block" aria-label={title}>
      {h2}
      {rating.count === 0 ? (
        <p class="muted">{productId ? t.none : t.noneShop}</p>
      ) : (
        <div class="summary">
          <Summary t={t} locale={ctx.locale} rating={rating} />
          <Histogram t={t} locale={ctx.locale} rating={rating} />
        </div>
      )}
      {productId && answer.shop.rating.count > 0 && answer.shop.rating.average !== null && (
        <p class="shop-rating">
          {t.shopRating(
            ratingValue(ctx.locale, answer.shop.rating.average),
            plural(ctx.locale, t.reviews, answer.shop.rating.count),
          )}
        </p>
      )}
      {rating.count > 0 && (
        <>
          <div class="toolbar">
            <label>
              <span>{t.sort}</span>
              <select
                value={sort}
                onChange={(e) => {
                  moved.current = false;
                  setPage(1);
                  setSort((e.currentTarget as HTMLSelectElement).value as ReviewSort);
                }}
              >
                {SORTS.map((s) => (
                  <option key={s} value={s}>
                    {t.sorts[s]}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div
            class="list"
            ref={list}
            tabIndex={-1}
            aria-label={t.page(answer.page, answer.totalPages)}
          >
            <ul>
              {answer.reviews.map((r) => (
                <Review key={r.id} t={t} ctx={ctx} review={r} />
              ))}
            </ul>
          </div>
          {answer.totalPages > 1 && (
            <nav class="pager" aria-label={t.pages}>
              <button type="button" disabled={answer.page <= 1} onClick={() => go(answer.page - 1)}>
                {t.previous}
              </button>
              <span>{t.page(answer.page, answer.totalPages)}</span>
              <button
                type="button"
                disabled={answer.page >= answer.totalPages}
                onClick={() => go(answer.page + 1)}
              >
                {t.next}
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}

function Summary({
  t,
  locale,
  rating,
}: {
  t: ReviewsText;
  locale: ChunkContext['locale'];
  rating: RatingSummary;
}) {
  const value = ratingValue(locale, rating.average ?? 0);
  return (
    <div class="average">
      <span class="big" aria-hidden="true">
        {value}
      </span>
      <div>
        <Stars value={rating.average ?? 0} label={t.outOf(value)} size="large" />
        <p class="count">{plural(locale, t.reviews, rating.count)}</p>
      </div>
    </div>
  );
}

function Histogram({
  t,
  locale,
  rating,
}: {
  t: ReviewsText;
  locale: ChunkContext['locale'];
  rating: RatingSummary;
}) {
  return (
    <ul class="histogram" aria-label={t.histogram}>
      {(['5', '4', '3', '2', '1'] as const).map((stars) => {
        const n = rating.histogram[stars];
        const share = rating.count > 0 ? (n / rating.count) * 100 : 0;
        return (
          <li key={stars}>
            <span class="sr">{`${plural(locale, t.stars, Number(stars))}: ${plural(locale, t.reviews, n)}`}</span>
            <span class="label" aria-hidden="true">
              {stars}
              <svg viewBox="0 0 24 24" focusable="false">
                <path d="M12 2.5l2.9 6.1 6.6.8-4.9 4.6 1.3 6.6L12 17.3l-5.9 3.3 1.3-6.6-4.9-4.6 6.6-.8z" />
              </svg>
            </span>
            <span class="bar" aria-hidden="true">
              <span style={{ width: `${share}%` }} />
            </span>
            <span class="n" aria-hidden="true">
              {n}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

/** Lojal's own photo addresses and https ones elsewhere; nothing else goes into an <img>. */
function safePhoto(ctx: ChunkContext, url: string): boolean {
  return url.startsWith('https://') || url.startsWith(`${ctx.api}/`);
}

function Review({ t, ctx, review }: { t: ReviewsText; ctx: ChunkContext; review: ShownReview }) {
  const author = review.author ?? t.customer;
  const date = new Intl.DateTimeFormat(ctx.locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${review.date}T00:00:00Z`));
  const photos = review.photoUrls.filter((u) => safePhoto(ctx, u));
  return (
    <li class="review">
      <div class="head">
        <Stars value={review.rating} label={t.outOf(String(review.rating))} />
        {review.title && <h3>{review.title}</h3>}
      </div>
      {review.body && <p class="text">{review.body}</p>}
      {photos.length > 0 && (
        <div class="photos">
          {photos.map((url) => (
            <a key={url} href={url} target="_blank" rel="noopener noreferrer">
              <img src={url} alt={t.photo(author)} loading="lazy" width={96} height={96} />
            </a>
          ))}
        </div>
      )}
      <p class="meta">
        <span class="author">{author}</span> · <time dateTime={review.date}>{date}</time>
      </p>
    </li>
  );
}
