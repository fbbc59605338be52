import { decodeHTML, decodeHTMLAttribute } from 'entities/decode';

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe to place in HTML content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]!);
}

/**
 * The text an HTML fragment stands for: every named entity of HTML (`&ndash;`, `&euro;`,
 * `&oacute;`…) and every numeric one, decoded as a browser decodes text content.
 */
export function decodeHtmlEntities(html: string): string {
  return decodeHTML(html);
}

/** An attribute's value (a link's address): `&copy=` in a query string stays as it is there. */
export function decodeHtmlAttribute(value: string): string {
  return decodeHTMLAttribute(value);
}
