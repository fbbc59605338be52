import type { Brand } from './context.ts';
import { safeColor, textOn } from './colors.ts';

/** Adds a style sheet to a shadow root (constructable where the browser has it: no CSP issue). */
export function addStyles(root: ShadowRoot, css: string): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    const style = document.createElement('style');
    style.textContent = css;
    root.appendChild(style);
  }
}

/**
 * The brand kit's colours as the custom properties every chunk's styles use, on a shadow
 * root's host: `--lojal-primary`, `--lojal-on-primary` (readable on it), `--lojal-accent`.
 */
export function brandStyle(host: HTMLElement, brand: Partial<Brand> | null | undefined): void {
  const primary = safeColor(brand?.primaryColor);
  host.style.setProperty('--lojal-primary', primary);
  host.style.setProperty('--lojal-on-primary', textOn(primary));
  host.style.setProperty('--lojal-accent', safeColor(brand?.accentColor, primary));
}
