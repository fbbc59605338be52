/**
 * Puts the product's schema.org JSON-LD into the page's <head> (one script per product, replaced
 * when asked again), so search engines can show its stars. As text, never as HTML: a review
 * cannot close the script element. The product's name is the page's own when it gives one.
 */
export function injectJsonLd(
  productId: string,
  data: Record<string, unknown>,
  name: string | null,
): void {
  const ld = name ? { ...data, name } : data;
  let script = Array.from(
    document.head.querySelectorAll<HTMLScriptElement>('script[data-lojal-reviews-ld]'),
  ).find((s) => s.dataset.lojalReviewsLd === productId);
  if (!script) {
    script = document.createElement('script');
    script.type = 'application/ld+json';
    script.dataset.lojalReviewsLd = productId;
    document.head.appendChild(script);
  }
  script.textContent = JSON.stringify(ld).replace(/</g, '\\u003c');
}

/** The product's name from the block's `data-product-name`, else the page's og:title or h1. */
export function productNameOf(element: HTMLElement): string | null {
  const given =
    element.dataset.productName ??
    document.querySelector<HTMLMetaElement>('meta[property="og:title"]')?.content ??
    document.querySelector('h1')?.textContent;
  return given?.trim() || null;
}
