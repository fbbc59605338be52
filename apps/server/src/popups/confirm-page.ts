import { escapeHtml, notFoundPage, publicPage } from '../surveys/public-page.ts';
import { formatDate, type Locale } from '../shared/i18n.ts';
import type { Confirmation, WelcomeCoupon } from './confirm-sign-up.ts';
import { discountWords } from './popup-mail.ts';

function couponSection(coupon: WelcomeCoupon, locale: Locale, timezone: string, mailed: boolean) {
  const pl = locale === 'pl';
  const words = escapeHtml(discountWords(coupon.discount, locale));
  const until = coupon.expiresAt
    ? escapeHtml(formatDate(coupon.expiresAt, timezone, locale, 'long'))
    : null;
  const terms = pl
    ? `Kod jest jednorazowy${until ? `, ważny do ${until}` : ''}.`
    : `The code works once${until ? `, until ${until}` : ''}.`;
  const copy = pl
    ? mailed
      ? ' Wysłaliśmy go też na Twój adres e-mail.'
      : ' Znajdziesz go też w e-mailu od nas.'
    : mailed
      ? ' We also sent it to your e-mail address.'
      : ' You will also find it in our e-mail.';
  return [
    '<section>',
    `<p>${pl ? `Twój kod na powitanie (${words}):` : `Your welcome code (${words}):`}</p>`,
    `<h2 id="code">${escapeHtml(coupon.code)}</h2>`,
    `<p class="note">${terms}${copy}</p>`,
    '</section>',
  ].join('\n');
}

function shopLink(url: string | null, shop: string, locale: Locale): string {
  if (!url || !/^https?:\/\//.test(url)) return '';
  const label = locale === 'pl' ? `Wróć do sklepu ${shop}` : `Back to ${shop}`;
  return `<p><a href="${escapeHtml(url)}">${label}</a></p>`;
}

/**
 * The double opt-in link's page: the button that confirms (pending), the confirmation with the
 * welcome code (confirmed, or already: the link is used up, the same code shown again), or 404.
 */
export function confirmPage(c: Confirmation): { status: number; html: string } {
  if (c.kind === 'invalid') return { status: 404, html: notFoundPage() };
  const pl = c.locale === 'pl';
  const shop = escapeHtml(c.shopName);
  if (c.kind === 'pending') {
    return {
      status: 200,
      html: publicPage({
        locale: c.locale,
        title: pl ? 'Potwierdź zapis' : 'Confirm your sign-up',
        heading: pl ? 'Potwierdź zapis do newslettera' : 'Confirm your newsletter sign-up',
        body: [
          pl
            ? `<p>Adres <strong>${escapeHtml(c.email)}</strong> zapisano do newslettera sklepu ${shop}. Potwierdź, że to Ty.</p>`
            : `<p>The address <strong>${escapeHtml(c.email)}</strong> was signed up to the ${shop} newsletter. Confirm that it was you.</p>`,
          '<form method="post">',
          `<button type="submit">${pl ? 'Potwierdzam zapis' : 'Confirm my sign-up'}</button>`,
          '</form>',
          pl
            ? '<p class="note">Jeśli to nie Ty, zamknij tę stronę: bez potwierdzenia nie wyślemy Ci nic więcej.</p>'
            : '<p class="note">If it was not you, close this page: without a confirmation we will send you nothing more.</p>',
        ].join('\n'),
      }),
    };
  }
  const parts =
    c.kind === 'confirmed'
      ? [
          pl
            ? `<p>Dziękujemy! Od teraz będziesz dostawać newsletter sklepu ${shop}. Wypisać się możesz w każdej chwili: link jest w stopce każdej wiadomości.</p>`
            : `<p>Thank you! From now on you will get the ${shop} newsletter. You can unsubscribe at any time: the link is at the foot of every e-mail.</p>`,
        ]
      : [
          pl
            ? `<p>Ten link działa jeden raz i został już użyty: zapis do newslettera sklepu ${shop} jest potwierdzony.</p>`
            : `<p>This link works once and was already used: your sign-up to the ${shop} newsletter is confirmed.</p>`,
        ];
  if (c.coupon) parts.push(couponSection(c.coupon, c.locale, c.timezone, c.kind === 'confirmed'));
  parts.push(shopLink(c.storefrontUrl, shop, c.locale));
  const heading =
    c.kind === 'confirmed'
      ? pl
        ? 'Zapis potwierdzony'
        : 'Sign-up confirmed'
      : pl
        ? 'Zapis był już potwierdzony'
        : 'Your sign-up was already confirmed';
  return {
    status: 200,
    html: publicPage({ locale: c.locale, title: heading, heading, body: parts.join('\n') }),
  };
}
