import { escapeHtml } from '../messaging/html-escape.ts';
import type { Locale } from '../shared/i18n.ts';
import type { ReferralLanding } from './follow-referral-link.ts';

const TEXT = {
  pl: {
    recommends: (who: string | null, shop: string) =>
      `${who ?? 'Ktoś z Twoich znajomych'} poleca Ci ${/^sklep\b/i.test(shop) ? '' : 'sklep '}${shop}`,
    yourCode: 'Twój kod polecający',
    atCheckout: 'Wpisz go w koszyku przy pierwszym zamówieniu.',
    keepIt: 'Zachowaj go na wypadek, gdyby sklep o niego zapytał.',
    copy: 'Kopiuj kod',
    copied: 'Skopiowano kod do schowka.',
    copyFailed: 'Nie udało się skopiować: zaznacz kod i skopiuj go.',
    continue: 'Przejdź do sklepu',
    terms: 'Regulamin programu poleceń',
    noOffer: 'Odbierz polecenie i przejdź do sklepu.',
    withCode: (offer: string, code: string) => `${offer} z kodem ${code}.`,
    logo: (shop: string) => `${shop} — logo`,
  },
  en: {
    recommends: (who: string | null, shop: string) => `${who ?? 'A friend'} recommends ${shop}`,
    yourCode: 'Your referral code',
    atCheckout: 'Enter it at checkout on your first order.',
    keepIt: 'Keep it in case the shop asks for it.',
    copy: 'Copy the code',
    copied: 'The code is copied to the clipboard.',
    copyFailed: 'Could not copy: select the code and copy it.',
    continue: 'Continue to the shop',
    terms: 'Referral programme terms',
    noOffer: 'Take the recommendation and go to the shop.',
    withCode: (offer: string, code: string) => `${offer} with the code ${code}.`,
    logo: (shop: string) => `${shop} logo`,
  },
} satisfies Record<Locale, unknown>;

/**
 * The page a referral link shows before the shop: who recommends it, the friend's offer, the
 * code with a copy button, and the way on to the storefront. Its Open Graph and Twitter card
 * tags make a shared link preview well. Every value is escaped here.
 */
export function referralLandingPage(landing: ReferralLanding, pageUrl: string): string {
  const t = TEXT[landing.locale];
  const e = escapeHtml;
  const shop = landing.shop.name;
  const heading = t.recommends(landing.referrerFirstName, shop);
  const title = landing.offer ? `${heading}: ${landing.offer.headline}` : heading;
  const description = landing.offer
    ? t.withCode(capitalise(landing.offer.headline), landing.code)
    : t.noOffer;
  const logo = landing.shop.logoUrl;
  const meta = [
    ['name', 'description', description],
    ['property', 'og:type', 'website'],
    ['property', 'og:site_name', shop],
    ['property', 'og:title', title],
    ['property', 'og:description', description],
    ['property', 'og:url', pageUrl],
    ['property', 'og:locale', landing.locale === 'pl' ? 'pl_PL' : 'en_GB'],
    ...(logo ? [['property', 'og:image', logo] as const] : []),
    ...(logo ? [['property', 'og:image:alt', t.logo(shop)] as const] : []),
    ['name', 'twitter:card', 'summary'],
    ['name', 'twitter:title', title],
    ['name', 'twitter:description', description],
    ...(logo ? [['name', 'twitter:image', logo] as const] : []),
  ]
    .map(([attr, key, value]) => `<meta ${attr}="${key}" content="${e(value)}">`)
    .join('\n');
  const offer = landing.offer
    ? `<p class="offer">${e(capitalise(landing.offer.headline))}</p>\n` +
      (landing.offer.condition ? `<p class="condition">${e(landing.offer.condition)}</p>\n` : '')
    : '';
  return `<!doctype html>
<html lang="${landing.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<title>${e(title)}</title>
${meta}
<link rel="icon" href="data:,">
<style>${LANDING_STYLE}</style>
</head>
<body>
<main>
${logo ? `<img class="logo" src="${e(logo)}" alt="${e(t.logo(shop))}">\n` : ''}<h1>${e(heading)}</h1>
${offer}<section class="code" aria-labelledby="code-label">
<h2 id="code-label">${e(t.yourCode)}</h2>
<div class="code-row"><code id="code">${e(landing.code)}</code><button type="button" id="copy" hidden data-copied="${e(t.copied)}" data-failed="${e(t.copyFailed)}">${e(t.copy)}</button></div>
<p class="hint">${e(landing.codeAtCheckout ? t.atCheckout : t.keepIt)}</p>
<p id="copy-status" class="status" role="status"></p>
</section>
<a class="continue" id="continue" href="${e(landing.continueUrl)}" rel="nofollow">${e(t.continue)}</a>
${landing.termsUrl ? `<p class="terms"><a href="${e(landing.termsUrl)}" rel="nofollow">${e(t.terms)}</a></p>\n` : ''}</main>
<script>${COPY_SCRIPT}</script>
</body>
</html>
`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// Shows the copy button (hidden without script: the code can still be selected) and copies the
// code; where the clipboard API is missing or refused, selects the code and asks the browser to
// copy it. The pages' Content-Security-Policy allows exactly this text (by its hash).
export const COPY_SCRIPT = `
(function () {
  var button = document.getElementById('copy');
  var code = document.getElementById('code');
  var status = document.getElementById('copy-status');
  if (!button || !code || !status) return;
  button.hidden = false;
  function say(ok) {
    status.textContent = button.getAttribute(ok ? 'data-copied' : 'data-failed');
  }
  function selectAndCopy() {
    var range = document.createRange();
    range.selectNodeContents(code);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    say(ok);
  }
  button.addEventListener('click', function () {
    var text = code.textContent;
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { say(true); }, selectAndCopy);
    } else {
      selectAndCopy();
    }
  });
})();
`;

/** The landing page's style sheet; the Content-Security-Policy allows it by its hash. */
export const LANDING_STYLE = `
*{box-sizing:border-box}
[hidden]{display:none!important}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1d2327;background:#eef3f1;margin:0;padding:1rem;min-height:100vh;display:flex;align-items:center;justify-content:center}
main{width:100%;max-width:30rem;background:#fff;padding:2rem 1.5rem;border-radius:16px;box-shadow:0 4px 24px rgba(0,0,0,.08);text-align:center}
.logo{display:block;max-width:10rem;max-height:4rem;margin:0 auto 1.25rem;object-fit:contain}
h1{font-size:1.5rem;line-height:1.3;margin:0 0 .75rem;overflow-wrap:anywhere}
.offer{font-size:1.35rem;font-weight:700;color:#17594a;margin:0 0 .25rem}
.condition{color:#4a5358;margin:0}
.code{margin:1.5rem 0;padding:1rem;border:2px dashed #1f6f5c;border-radius:12px;background:#f6faf8}
.code h2{font-size:.95rem;font-weight:600;color:#4a5358;margin:0 0 .5rem}
.code-row{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;justify-content:center}
code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:1.5rem;font-weight:700;letter-spacing:.06em;user-select:all;overflow-wrap:anywhere}
button{font:inherit;min-height:2.75rem;padding:.5rem 1rem;border:2px solid #1f6f5c;border-radius:8px;background:#fff;color:#17594a;font-weight:600;cursor:pointer}
button:hover{background:#e3efeb}
.hint{color:#4a5358;font-size:.95rem;margin:.75rem 0 0}
.status{min-height:1.5rem;margin:.25rem 0 0;font-weight:600;color:#17594a}
.status:empty{min-height:0}
.continue{display:block;min-height:3rem;padding:.75rem 1rem;border-radius:8px;background:#1f6f5c;color:#fff;font-weight:700;font-size:1.1rem;text-decoration:none}
.continue:hover{background:#17594a}
.terms{margin:1rem 0 0;font-size:.9rem}
.terms a{color:#17594a}
:focus-visible{outline:3px solid #0b3d31;outline-offset:3px}
`;
