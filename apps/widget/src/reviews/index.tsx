import { render } from 'preact';
import type { ChunkContext } from '../shared/context.ts';
import { addStyles, brandStyle } from '../shared/styles.ts';
import { injectJsonLd, productNameOf } from './json-ld.ts';
import { ReviewsBlock } from './reviews-block.tsx';
import css from './reviews.css';

const MOUNTED = 'lojalMounted';

/**
 * Reviews: every `[data-lojal-reviews]` element of the page (`data-product="…"` for a
 * product's reviews, none for the shop's own) becomes a reviews block in its own shadow root,
 * so the shop's styles and the block's never meet. Each product's JSON-LD goes into <head>
 * unless the element says `data-jsonld="false"` (a theme that prints its own).
 */
function mountAll(ctx: ChunkContext): number {
  const elements = document.querySelectorAll<HTMLElement>('[data-lojal-reviews]');
  let mounted = 0;
  elements.forEach((element) => {
    if (element.dataset[MOUNTED]) return;
    element.dataset[MOUNTED] = '1';
    const productId = element.dataset.product?.trim() || null;
    const pageSize = Math.min(50, Math.max(1, Number(element.dataset.pageSize) || 5));
    const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
    addStyles(root, css);
    brandStyle(element, ctx.brand);
    const container = document.createElement('div');
    root.appendChild(container);
    render(
      <ReviewsBlock
        ctx={ctx}
        productId={productId}
        pageSize={pageSize}
        heading={element.dataset.title?.trim()}
        onFirst={(answer) => {
          if (productId && answer.jsonLd && element.dataset.jsonld !== 'false') {
            injectJsonLd(productId, answer.jsonLd, productNameOf(element));
          }
        }}
      />,
      container,
    );
    mounted++;
  });
  return mounted;
}

window.__lojal?.define('reviews', (ctx) => {
  mountAll(ctx);
  // Blocks a page adds later (a quick view, a theme's section loaded on scroll).
  return { mount: () => mountAll(ctx) };
});
