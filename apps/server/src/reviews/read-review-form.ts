import type { Locale } from '../shared/i18n.ts';
import type { ReviewForm } from './load-review-form.ts';
import { readPhotoDataUrl } from './review-photo.ts';
import { REVIEW_BODY_MAX, REVIEW_TITLE_MAX, type ReviewInput } from './submit-review.ts';

const messages = {
  pl: {
    target: 'Ten formularz nie należy do tej prośby o opinię.',
    rating: 'Wybierz ocenę od 1 do 5.',
    title: `Tytuł może mieć najwyżej ${REVIEW_TITLE_MAX} znaków.`,
    body: `Opinia może mieć najwyżej ${REVIEW_BODY_MAX} znaków.`,
    too_large: 'Zdjęcie jest większe niż 2 MB.',
    not_image: 'Zdjęcie musi być obrazem JPEG, PNG lub WebP.',
  },
  en: {
    target: 'This form does not belong to this review request.',
    rating: 'Choose a rating from 1 to 5.',
    title: `A title can be at most ${REVIEW_TITLE_MAX} characters long.`,
    body: `A review can be at most ${REVIEW_BODY_MAX} characters long.`,
    too_large: 'The photo is larger than 2 MB.',
    not_image: 'The photo must be a JPEG, PNG or WebP image.',
  },
} satisfies Record<Locale, unknown>;

export type ReviewFormResult =
  | {
      ok: true;
      productId: string | null;
      input: Omit<ReviewInput, 'shopId' | 'customerId' | 'requestId'>;
    }
  | { ok: false; productId: string | null; errors: string[] };

/** The fields of one form of the public review page, checked, with errors in the page's language. */
export function readReviewForm(form: ReviewForm, fields: Record<string, string>): ReviewFormResult {
  const m = messages[form.locale];
  const target = fields.target ?? '';
  const productId = target.startsWith('product:') ? target.slice('product:'.length) : null;
  const known = form.targets.some((x) => x.productId === productId);
  if ((target !== 'shop' && productId === null) || !known) {
    return { ok: false, productId: null, errors: [m.target] };
  }
  const errors: string[] = [];
  const rating = /^[1-5]$/.test(fields.rating ?? '') ? Number(fields.rating) : null;
  if (rating === null) errors.push(m.rating);
  const title = (fields.title ?? '').trim();
  if (Array.from(title).length > REVIEW_TITLE_MAX) errors.push(m.title);
  const body = (fields.body ?? '').trim();
  if (Array.from(body).length > REVIEW_BODY_MAX) errors.push(m.body);
  let photo: ReviewInput['photo'] = null;
  if (fields.photo) {
    const check = readPhotoDataUrl(fields.photo);
    if (check.ok) photo = check.photo;
    else errors.push(m[check.reason]);
  }
  if (errors.length > 0 || rating === null) return { ok: false, productId, errors };
  return {
    ok: true,
    productId,
    input: { productId, rating, title: title || null, body: body || null, photo },
  };
}
