import { decodeHtmlAttribute, escapeHtml } from './html-escape.ts';
import type { RenderEmailInput, RenderedEmail } from './render-email.ts';

/**
 * Click tracking and the open pixel of `input.tracking` on a rendered email; the unsubscribe and
 * preferences links stay as they are. Apart from renderEmail so that a render worker can do the
 * rest: tracking URLs come from functions, which cannot cross threads.
 */
export function withTracking(
  email: RenderedEmail,
  input: Pick<RenderEmailInput, 'footer' | 'variables' | 'tracking'>,
): RenderedEmail {
  if (!input.tracking) return email;
  const { footer, variables } = input;
  const untracked = new Set(
    [
      footer.unsubscribeUrl,
      footer.preferencesUrl,
      variables.links?.unsubscribe,
      variables.links?.preferences,
    ].filter((u): u is string => !!u),
  );
  return { ...email, html: trackLinks(email.html, input.tracking, untracked) };
}

/**
 * Sends every http(s) link of an email through the click tracker, except the addresses in
 * `untracked` (unsubscribe and preferences links must work without a redirect), and adds the
 * 1×1 open pixel at the end of the body.
 */
export function trackLinks(
  html: string,
  tracking: { clickUrl(originalUrl: string): string; openPixelUrl: string },
  untracked: ReadonlySet<string>,
): string {
  const rewritten = html.replace(/\bhref="(https?:[^"]*)"/gi, (whole, escaped: string) => {
    const url = decodeHtmlAttribute(escaped);
    return untracked.has(url) ? whole : `href="${escapeHtml(tracking.clickUrl(url))}"`;
  });
  const pixel = `<img src="${escapeHtml(tracking.openPixelUrl)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;" />`;
  const end = rewritten.lastIndexOf('</body>');
  return end === -1 ? rewritten + pixel : rewritten.slice(0, end) + pixel + rewritten.slice(end);
}
