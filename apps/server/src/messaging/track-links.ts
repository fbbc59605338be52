import { decodeHtmlEntities, escapeHtml } from './html-escape.ts';

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
    const url = decodeHtmlEntities(escaped);
    return untracked.has(url) ? whole : `href="${escapeHtml(tracking.clickUrl(url))}"`;
  });
  const pixel = `<img src="${escapeHtml(tracking.openPixelUrl)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;" />`;
  const end = rewritten.lastIndexOf('</body>');
  return end === -1 ? rewritten + pixel : rewritten.slice(0, end) + pixel + rewritten.slice(end);
}
