const ALLOWED = new Set(['svg', 'path', 'rect', 'g', 'title', 'desc']);

/**
 * The server's QR code as an SVG element, keeping only plain shapes: no scripts, no links, no
 * event attributes, whatever the string holds.
 */
export function safeSvg(source: string): SVGSVGElement | null {
  const doc = new DOMParser().parseFromString(source, 'image/svg+xml');
  const svg = doc.documentElement;
  if (svg.nodeName !== 'svg' || doc.querySelector('parsererror')) return null;
  for (const el of Array.from(svg.querySelectorAll('*')).concat(svg)) {
    if (!ALLOWED.has(el.nodeName)) {
      el.remove();
      continue;
    }
    for (const attr of Array.from(el.attributes)) {
      if (/^on/i.test(attr.name) || /href$/i.test(attr.name) || /^style$/i.test(attr.name)) {
        el.removeAttribute(attr.name);
      }
    }
  }
  return document.importNode(svg, true) as unknown as SVGSVGElement;
}
