import { escapeHtml } from '../messaging/html-escape.ts';
import type { Locale } from '../shared/i18n.ts';

export { escapeHtml };

/**
 * The frame of the pages customers open from e-mails (survey answers, review forms): one
 * column, readable without CSS, large targets, visible focus. Everything passed in as `body`
 * must already be escaped; `title` and `heading` are escaped here.
 */
export function publicPage(page: {
  locale: Locale;
  title: string;
  heading: string;
  body: string;
}): string {
  return `<!doctype html>
<html lang="${page.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${escapeHtml(page.title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(page.heading)}</h1>
${page.body}
</main>
</body>
</html>
`;
}

/** Shown for a link that is malformed, forged, expired or names nothing: in both languages. */
export function notFoundPage(): string {
  return publicPage({
    locale: 'pl',
    title: 'Nie znaleziono — Not found',
    heading: 'Nie znaleziono strony',
    body:
      '<p>Ten link jest nieprawidłowy albo wygasł.</p>\n' +
      '<p lang="en">Page not found: this link is not valid or has expired.</p>',
  });
}

/** Shown when one client address sent too many requests: in both languages. */
export function tooManyRequestsPage(): string {
  return publicPage({
    locale: 'pl',
    title: 'Za dużo żądań — Too many requests',
    heading: 'Za dużo żądań',
    body:
      '<p>Z Twojej sieci przyszło w krótkim czasie zbyt wiele żądań. Spróbuj ponownie za minutę.</p>\n' +
      '<p lang="en">Too many requests came from your network. Please try again in a minute.</p>',
  });
}

/** The pages' one style sheet; their Content-Security-Policy allows it by its hash. */
export const PAGE_STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1d2327;background:#f4f4f2;margin:0;padding:1rem}
main{max-width:40rem;margin:0 auto;background:#fff;padding:1.5rem;border-radius:8px}
h1{font-size:1.5rem;margin-top:0}
h2{font-size:1.2rem}
a,button,input,textarea,select{font:inherit}
:focus-visible{outline:3px solid #1f6f5c;outline-offset:2px}
.scores{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;padding:0}
.scores a{display:inline-block;min-width:2.75rem;min-height:2.75rem;line-height:2.75rem;text-align:center;border:1px solid #1f6f5c;border-radius:6px;color:#1f6f5c;text-decoration:none}
.scores a[aria-current]{background:#1f6f5c;color:#fff;font-weight:bold}
textarea,input[type=text],input[type=url]{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #767676;border-radius:4px}
button{margin-top:.75rem;padding:.6rem 1.2rem;border:0;border-radius:6px;background:#1f6f5c;color:#fff;cursor:pointer}
input[type=text]+label{display:block;margin-top:.75rem}
input[type=file]{display:block;margin-top:.25rem}
fieldset{border:1px solid #ccc;border-radius:6px;margin:0 0 1rem}
.choice{display:inline-block;white-space:nowrap;margin:.25rem 1rem .25rem 0}
.choice input{min-width:1.25rem;min-height:1.25rem;vertical-align:middle;margin:0 .35rem 0 0}
.error{color:#a00000;font-weight:bold}
.note{color:#555}
section{border-top:1px solid #ddd;padding-top:1rem;margin-top:1rem}
`;
