import { plural, type Locale } from '../shared/i18n.ts';
import { escapeHtml, publicPage } from '../surveys/public-page.ts';
import type { ReviewForm } from './load-review-form.ts';
import { REVIEW_BODY_MAX, REVIEW_TITLE_MAX } from './submit-review.ts';

const texts = {
  pl: {
    title: (shop: string) => `Twoja opinia — ${shop}`,
    heading: (shop: string) => `Oceń zakupy w ${shop}`,
    intro: (n: number) =>
      n > 0
        ? `Oceń ${plural('pl', n, { one: 'produkt', few: 'produkty', many: 'produktów', other: 'produktu' })} i nasz sklep. Każdą opinię wysyłasz osobno.`
        : 'Oceń nasz sklep.',
    product: (name: string) => `Produkt: ${name}`,
    unnamed: (id: string) => `produkt ${id}`,
    shop: (shop: string) => `Sklep ${shop}`,
    rating: 'Ocena (wymagana)',
    stars: (n: number) => `${n} z 5`,
    titleLabel: 'Tytuł (nieobowiązkowo)',
    bodyLabel: 'Twoja opinia (nieobowiązkowo)',
    photoLabel: 'Zdjęcie (nieobowiązkowo; JPEG, PNG lub WebP, najwyżej 2 MB)',
    maxLength: (n: number) => `najwyżej ${n} znaków`,
    send: 'Wyślij opinię',
    saved: 'Dziękujemy! Twoja opinia czeka na zatwierdzenie.',
    pending: 'Twoja opinia czeka na zatwierdzenie. Możesz ją jeszcze poprawić.',
    approved: 'Dziękujemy! Twoja opinia została opublikowana.',
    rejected: 'Twoja opinia nie została opublikowana.',
    errorPrefix: 'Nie udało się wysłać opinii:',
  },
  en: {
    title: (shop: string) => `Your review — ${shop}`,
    heading: (shop: string) => `Review your purchase at ${shop}`,
    intro: (n: number) =>
      n > 0
        ? `Review ${plural('en', n, { one: 'product', other: 'products' })} and our shop. Each review is sent on its own.`
        : 'Review our shop.',
    product: (name: string) => `Product: ${name}`,
    unnamed: (id: string) => `product ${id}`,
    shop: (shop: string) => `The shop ${shop}`,
    rating: 'Rating (required)',
    stars: (n: number) => `${n} out of 5`,
    titleLabel: 'Title (optional)',
    bodyLabel: 'Your review (optional)',
    photoLabel: 'Photo (optional; JPEG, PNG or WebP, at most 2 MB)',
    maxLength: (n: number) => `at most ${n} characters`,
    send: 'Send review',
    saved: 'Thank you! Your review is waiting for approval.',
    pending: 'Your review is waiting for approval. You can still edit it.',
    approved: 'Thank you! Your review has been published.',
    rejected: 'Your review was not published.',
    errorPrefix: 'The review could not be sent:',
  },
} satisfies Record<Locale, unknown>;

export interface ReviewNotice {
  /** The form it belongs to: a product id, or null for the shop. */
  productId: string | null;
  saved?: boolean;
  errors?: string[];
  values?: { rating?: string; title?: string; body?: string };
}

/** A form per product plus one for the shop; moderated reviews show their state instead. */
export function reviewPage(form: ReviewForm, notice?: ReviewNotice): string {
  const t = texts[form.locale];
  const products = form.targets.filter((x) => x.productId !== null).length;
  const sections = form.targets.map((target, i) => {
    const heading =
      target.productId === null
        ? t.shop(form.shop.name)
        : t.product(target.name ?? t.unnamed(target.productId));
    const mine = notice && notice.productId === target.productId ? notice : undefined;
    const parts = [
      `<section aria-labelledby="h-${i}">`,
      `<h2 id="h-${i}">${escapeHtml(heading)}</h2>`,
    ];
    if (mine?.errors?.length) {
      parts.push(
        `<div class="error" role="alert"><p>${escapeHtml(t.errorPrefix)}</p><ul>${mine.errors
          .map((e) => `<li>${escapeHtml(e)}</li>`)
          .join('')}</ul></div>`,
      );
    }
    const status = target.review?.status;
    if (mine?.saved) parts.push(`<p role="status">${escapeHtml(t.saved)}</p>`);
    else if (status) parts.push(`<p>${escapeHtml(t[status])}</p>`);
    if (!status || status === 'pending') {
      const values = mine?.values ?? {
        rating: target.review ? String(target.review.rating) : undefined,
        title: target.review?.title ?? undefined,
        body: target.review?.body ?? undefined,
      };
      parts.push(reviewForm(form.locale, i, target.productId, values));
    }
    parts.push('</section>');
    return parts.join('\n');
  });
  return publicPage({
    locale: form.locale,
    title: t.title(form.shop.name),
    heading: t.heading(form.shop.name),
    body: `<p>${escapeHtml(t.intro(products))}</p>\n${sections.join('\n')}\n<script>${PHOTO_SCRIPT}</script>`,
  });
}

function reviewForm(
  locale: Locale,
  i: number,
  productId: string | null,
  values: { rating?: string; title?: string; body?: string },
): string {
  const t = texts[locale];
  const radios = [1, 2, 3, 4, 5]
    .map((n) => {
      const checked = values.rating === String(n) ? ' checked' : '';
      return `<span class="choice"><input type="radio" id="r-${i}-${n}" name="rating" value="${n}" required${checked}><label for="r-${i}-${n}">${escapeHtml(t.stars(n))}</label></span>`;
    })
    .join('\n');
  const target = productId === null ? 'shop' : `product:${productId}`;
  return `<form method="post" action="">
<input type="hidden" name="target" value="${escapeHtml(target)}">
<fieldset><legend>${escapeHtml(t.rating)}</legend>
${radios}
</fieldset>
<label for="title-${i}">${escapeHtml(t.titleLabel)}</label>
<input type="text" id="title-${i}" name="title" maxlength="${REVIEW_TITLE_MAX}" value="${escapeHtml(values.title ?? '')}">
<label for="body-${i}">${escapeHtml(t.bodyLabel)}</label>
<textarea id="body-${i}" name="body" rows="6" maxlength="${REVIEW_BODY_MAX}" aria-describedby="body-limit-${i}">${escapeHtml(values.body ?? '')}</textarea>
<p class="note" id="body-limit-${i}">${escapeHtml(t.maxLength(REVIEW_BODY_MAX))}</p>
<label for="photo-file-${i}">${escapeHtml(t.photoLabel)}</label>
<input type="file" id="photo-file-${i}" accept="image/jpeg,image/png,image/webp" data-photo-field="photo-${i}">
<input type="hidden" id="photo-${i}" name="photo">
<button type="submit">${escapeHtml(t.send)}</button>
</form>`;
}

// The form is sent url-encoded, so a chosen file travels as a data URL in a hidden field;
// without JavaScript the review is still sent, just without the photo.
// The pages' Content-Security-Policy allows exactly this text (by its hash).
export const PHOTO_SCRIPT = `
document.querySelectorAll('input[data-photo-field]').forEach(function (input) {
  input.addEventListener('change', function () {
    var field = document.getElementById(input.getAttribute('data-photo-field'));
    var file = input.files && input.files[0];
    if (!file) { field.value = ''; return; }
    var reader = new FileReader();
    reader.onload = function () { field.value = reader.result; };
    reader.readAsDataURL(file);
  });
});
`;
