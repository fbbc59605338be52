import { escapeHtml, notFoundPage, publicPage } from '../surveys/public-page.ts';
import { formatDate } from '../shared/i18n.ts';
import type { Confirmation } from './confirm-sign-up.ts';
import { discountWords } from './popup-mail.ts';

/** The page the double opt-in link opens: confirmed (with the welcome code), already used, or not valid. */
export function confirmPage(c: Confirmation): { status: number; html: string } {
  if (c.kind === 'invalid') return { status: 404, html: notFoundPage() };
  const pl = c.locale === 'pl';
  const shop = escapeHtml(c.shopName);
  if (c.kind === 'already') {
    return {
      status: 200,
      html: publicPage({
        locale: c.locale,
        title: pl ? 'Link już użyty' : 'Link already used',
        heading: pl ? 'Zapis był już potwierdzony' : 'Your sign-up was already confirmed',
        body: pl
          ? `<p>Ten link działa jeden raz i został już użyty: zapis do newslettera sklepu ${shop} jest potwierdzony.</p>\n<p>Kod powitalny, jeśli sklep go daje, wysłaliśmy Ci e-mailem.</p>`
          : `<p>This link works once and was already used: your sign-up to the ${shop} newsletter is confirmed.</p>\n<p>The welcome code, if the shop gives one, was sent to you by e-mail.</p>`,
      }),
    };
  }
  const parts = [
    pl
      ? `<p>Dziękujemy! Od teraz będziesz dostawać newsletter sklepu ${shop}. Wypisać się możesz w każdej chwili, linkiem w każdej wiadomości.</p>`
      : `<p>Thank you! From now on you will get the ${shop} newsletter. You can unsubscribe at any time with the link in every e-mail.</p>`,
  ];
  if (c.coupon) {
    const words = escapeHtml(discountWords(c.coupon.discount, c.locale));
    const until = c.coupon.expiresAt
      ? escapeHtml(formatDate(c.coupon.expiresAt, c.timezone, c.locale, 'long'))
      : null;
    parts.push(
      '<section>',
      `<p>${pl ? `Twój kod na powitanie (${words}):` : `Your welcome code (${words}):`}</p>`,
      `<h2 id="code">${escapeHtml(c.coupon.code)}</h2>`,
      `<p class="note">${
        pl
          ? `Kod jest jednorazowy${until ? `, ważny do ${until}` : ''}. Wysłaliśmy go też na Twój adres e-mail.`
          : `The code works once${until ? `, until ${until}` : ''}. We also sent it to your e-mail address.`
      }</p>`,
      '</section>',
    );
  }
  if (c.storefrontUrl && /^https?:\/\//.test(c.storefrontUrl)) {
    parts.push(
      `<p><a href="${escapeHtml(c.storefrontUrl)}">${pl ? `Wróć do sklepu ${shop}` : `Back to ${shop}`}</a></p>`,
    );
  }
  return {
    status: 200,
    html: publicPage({
      locale: c.locale,
      title: pl ? 'Zapis potwierdzony' : 'Sign-up confirmed',
      heading: pl ? 'Zapis potwierdzony' : 'Sign-up confirmed',
      body: parts.join('\n'),
    }),
  };
}
