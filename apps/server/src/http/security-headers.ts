import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { PAGE_STYLE } from '../surveys/public-page.ts';
import { ANSWER_SCRIPT } from '../surveys/survey-page.ts';
import { PHOTO_SCRIPT } from '../reviews/review-page.ts';
import { COPY_SCRIPT, LANDING_STYLE } from '../referrals/referral-landing-page.ts';
import { PORTAL_SCRIPT, PORTAL_STYLE } from '../portal/portal-page.ts';

/**
 * The response headers that defend the browser side, in one place. Public pages (survey,
 * review, preferences and unsubscribe pages, their 404 and 429 pages) carry a customer's token
 * in their address, so they load nothing from elsewhere, run only the inline scripts listed
 * here (by hash), post forms only to Lojal, cannot be framed and send no Referer.
 */

/** The inline scripts and style sheet of the public pages, exactly as the pages embed them. */
const PAGE_SCRIPTS = [ANSWER_SCRIPT, PHOTO_SCRIPT, COPY_SCRIPT, PORTAL_SCRIPT];
const PAGE_STYLES = [PAGE_STYLE, LANDING_STYLE, PORTAL_STYLE];

const hashSource = (text: string) =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export const PUBLIC_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${PAGE_SCRIPTS.map(hashSource).join(' ')}`,
  `style-src ${PAGE_STYLES.map(hashSource).join(' ')}`,
  // The survey page posts its answer to its own address; the icon is an empty data: URL.
  "connect-src 'self'",
  'img-src data:',
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * Pages with the shop's logo from the brand kit (an https address of the shop's choosing): the
 * referral landing page and the customer portal, neither with a token in its address. Otherwise
 * the same policy; the portal's script calls only Lojal's own storefront API ('self').
 */
export const BRANDED_PAGE_CSP = PUBLIC_PAGE_CSP.replace('img-src data:', 'img-src data: https:');

/** Headers every public HTML page gets: no caching of personal pages, no framing, no sniffing. */
export const PUBLIC_PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': PUBLIC_PAGE_CSP,
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

export const BRANDED_PAGE_HEADERS = {
  ...PUBLIC_PAGE_HEADERS,
  'content-security-policy': BRANDED_PAGE_CSP,
  vary: 'Accept-Language',
};

/**
 * The customer portal also runs the storefront widget in page mode: the loader and its chunks
 * are Lojal's own static files (`/widget.js`, `/widget/…`), so scripts from 'self' are allowed
 * beside the page's own hashed script. The widget styles its shadow root with constructed
 * style sheets and CSSOM, which this policy does not need to open.
 */
export const PORTAL_PAGE_HEADERS = {
  ...BRANDED_PAGE_HEADERS,
  'content-security-policy': BRANDED_PAGE_CSP.replace('script-src ', "script-src 'self' "),
};

/**
 * The dashboard (`/admin`, a Vite build): scripts and style sheets only from Lojal itself, no
 * inline script at all. Its component kit writes a few `<style>` elements at run time (theme
 * variables, responsive sizes); those carry the page's one-time nonce, which the server puts into
 * index.html on every load (`DASHBOARD_NONCE_PLACEHOLDER`, Vite's `html.cspNonce`).
 */
export const DASHBOARD_NONCE_PLACEHOLDER = '__LOJAL_CSP_NONCE__';
export function dashboardCsp(nonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    // https: images for the brand kit's preview of the shop's own logo (Settings → Brand kit).
    "img-src 'self' data: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** An answer that is not a page (JSON, problems, CSV, images, redirects) renders nothing. */
const NOT_A_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * On every response: no MIME sniffing, no Referer (addresses carry tokens), and for anything
 * that is not HTML a policy that lets it run and embed nothing. HTML keeps its own policy: the
 * public pages set theirs above, and `/docs` (Swagger UI) needs its scripts.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    const type = String(reply.getHeader('content-type') ?? '');
    if (!reply.hasHeader('content-security-policy') && !type.startsWith('text/html')) {
      reply.header('content-security-policy', NOT_A_PAGE_CSP);
    }
    return payload;
  });
}
