import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A shop's storefront for the widget's browser tests: static HTML styled like a real shop, with
 * the aggressive CSS themes ship (`* { … !important }`, `button { all: unset }`, `div { display:
 * flex !important }`), served on a port of its own, so the widget runs cross-origin as on a shop.
 *
 * `GET /?lang=pl&token=…&locale=…&widget=0&mode=page` renders the page: `lang` is `<html lang>`,
 * `token` and `locale` become the script tag's data attributes, `widget=0` leaves the script
 * out (the page without the widget, for the bench), `mode=page` mounts the panel full size into
 * `#lojal-portal` (as the customer portal does).
 */
export const HOST_CSS = `
* { box-sizing: content-box !important; font: 30px serif !important; letter-spacing: 0.05em !important; }
html, body { margin: 0; background: #fbf7f0; color: #2b2118; }
button { all: unset; background: #c0392b !important; color: #fff !important; padding: 10px 24px !important; cursor: pointer; }
div { display: flex !important; flex-wrap: wrap; }
svg { width: 300px !important; height: 300px !important; fill: red !important; }
h1, h2, h3 { color: #7a1f10 !important; text-transform: uppercase !important; margin: 0.4em 0 !important; }
a { color: #0a7d00 !important; text-decoration: underline wavy !important; }
input { border: 6px dotted #c0392b !important; }
p { margin: 2em 0 !important; }
ul, li { list-style: square !important; padding: 0 !important; margin: 0 !important; }
dialog { display: block !important; position: static !important; }
[role="dialog"], [aria-modal] { display: none !important; }
img { border: 8px solid hotpink !important; }
section { padding: 40px !important; }
.header { justify-content: space-between; align-items: center; padding: 20px 40px; background: #2b2118; }
.header a, .header h1 { color: #fbf7f0 !important; }
.products { gap: 24px; padding: 24px 40px; }
.product { flex-direction: column; width: 260px; background: #fff; padding: 16px; border: 1px solid #e4d9c8; }
.product .photo { height: 180px; background: linear-gradient(135deg, #6f4e37, #c69c6d); }
.footer { padding: 40px; background: #e4d9c8; }
`;

const PRODUCTS = [
  ['Etiopia Yirgacheffe', '49,00 zł'],
  ['Kolumbia Huila', '45,00 zł'],
  ['Brazylia Santos', '39,00 zł'],
  ['Gwatemala Antigua', '52,00 zł'],
  ['Kenia AA', '58,00 zł'],
  ['Espresso Blend', '42,00 zł'],
];

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface HostPageOptions {
  lojal: string;
  shopId: string;
  lang?: string;
  token?: string | null;
  locale?: string | null;
  widget?: boolean;
  mode?: 'page' | null;
}

export function hostPageHtml(o: HostPageOptions): string {
  const attrs = [
    `src="${escape(o.lojal)}/widget.js"`,
    `data-shop="${escape(o.shopId)}"`,
    o.token ? `data-customer-token="${escape(o.token)}"` : '',
    o.locale ? `data-locale="${escape(o.locale)}"` : '',
    o.mode === 'page' ? 'data-mode="page" data-target="#lojal-portal"' : '',
    'async',
  ].filter(Boolean);
  const products = PRODUCTS.map(
    ([
      name,
      price,
    ]) => `<div class="product"><div class="photo" role="img" aria-label="${escape(name!)}"></div>
      <h3>${escape(name!)}</h3><p class="price">${escape(price!)}</p><button type="button" class="add">Do koszyka</button></div>`,
  ).join('\n');
  return `<!doctype html>
<html lang="${escape(o.lang ?? 'pl')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Palarnia Kawy — sklep</title>
<style>${HOST_CSS}</style>
</head>
<body>
<div class="header" id="shop-header"><h1 id="shop-title">Palarnia Kawy</h1>
  <nav><a href="/">Kawa</a> <a href="/">Akcesoria</a> <a href="/">Koszyk (0)</a></nav></div>
<main>
<section><h2 id="shop-heading">Świeżo palona kawa</h2>
<p id="shop-lead">Palimy co tydzień, wysyłamy w 24 godziny.</p>
<button type="button" id="shop-button">Zobacz nowości</button>
<label>Newsletter <input id="shop-input" type="email" placeholder="e-mail"></label></section>
${o.mode === 'page' ? '<section><div id="lojal-portal"></div></section>' : ''}
<div class="products" id="shop-products">${products}</div>
</main>
<div class="footer" id="shop-footer"><p>© Palarnia Kawy · ul. Długa 1, Kraków</p></div>
${o.widget === false ? '' : `<script ${attrs.join(' ')}></script>`}
</body>
</html>`;
}

/** Serves the host page on 127.0.0.1 at a port of its own; `origin` is its address. */
export async function startHostPage(
  lojal: string,
  shopId: string,
): Promise<{ origin: string; server: Server }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://host');
    if (url.pathname === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    const q = url.searchParams;
    const html = hostPageHtml({
      lojal,
      shopId: q.get('shop') ?? shopId,
      lang: q.get('lang') ?? 'pl',
      token: q.get('token'),
      locale: q.get('locale'),
      widget: q.get('widget') !== '0',
      mode: q.get('mode') === 'page' ? 'page' : null,
    });
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, server };
}
