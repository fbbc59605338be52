import { decodeHtmlAttribute, decodeHtmlEntities } from './html-escape.ts';

const BLOCK =
  /<\/?(?:p|div|table|tr|h[1-6]|ul|ol|li|blockquote|section|article|header|footer)\b[^>]*>/gi;

/**
 * The plain-text part of an email derived from its HTML: no head, styles or Outlook comments,
 * hidden preheaders dropped, links kept as "label (url)", blocks on their own lines.
 */
export function htmlToText(html: string): string {
  const body = (/<body\b[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html).replace(/\uE000/g, '');
  // Links become markers (a private-use character) while the rest is decoded, so an address is decoded once, as an attribute.
  const links: string[] = [];
  const text = body
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(style|script|head|title)\b[^>]*>[\s\S]*?<\/\1>/gi, '')
    // The preheader and other hidden blocks are for the inbox list, not for reading.
    .replace(/<div\b[^>]*style="[^"]*display:\s*none[^"]*"[^>]*>[\s\S]*?<\/div>/gi, '')
    .replace(
      /<a\b[^>]*?href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi,
      (_, href: string, inner: string) => {
        links.push(linkText(decodeHtmlAttribute(href), inner));
        return `\uE000${links.length - 1}\uE000`;
      },
    )
    .replace(/<img\b[^>]*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(BLOCK, '\n')
    .replace(/<[^>]+>/g, '');
  return tidy(
    decodeHtmlEntities(text).replace(/\uE000(\d+)\uE000/g, (_, i: string) => links[Number(i)]!),
  );
}

function linkText(href: string, innerHtml: string): string {
  const label = decodeHtmlEntities(
    innerHtml
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  );
  const url = href.startsWith('mailto:') ? href.slice('mailto:'.length) : href;
  if (!url || url.startsWith('#')) return label;
  if (!label || label === url) return url;
  return `${label} (${url})`;
}

function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
