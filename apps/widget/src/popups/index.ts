import type { ChunkContext } from '../shared/context.ts';
import { isCheckoutPath } from './checkout-paths.ts';
import { showPopup, type PopupOffer } from './dialog.ts';
import { armTriggers } from './triggers.ts';
import { mayShow, visitor } from './visitor.ts';

/** The popups chunk's api (for tests and the shop's own scripts). */
export interface PopupsApi {
  /** The pop-ups this page was offered. */
  offers: PopupOffer[];
}

/**
 * The cart's value in minor units, when the shop's page says it: `data-cart-total` on the
 * widget's script tag or `data-lojal-cart-total` on any element.
 */
function cartTotal(): number | null {
  const script = document.querySelector<HTMLElement>('script[data-shop][data-cart-total]');
  const value =
    script?.dataset.cartTotal ??
    document.querySelector('[data-lojal-cart-total]')?.getAttribute('data-lojal-cart-total');
  return value && /^\d{1,13}$/.test(value) ? Number(value) : null;
}

/**
 * Pop-ups: asks which ones this visit may see, keeps their frequency caps, arms their triggers
 * and shows one at a time. Never on a cart, checkout or payment page (the server refuses too).
 */
async function definePopups(ctx: ChunkContext): Promise<PopupsApi> {
  if (isCheckoutPath(location.pathname)) return { offers: [] };
  const who = visitor();
  const query = new URLSearchParams({
    path: location.pathname,
    visitor: who.kind,
    visitorId: who.id,
  });
  const cart = cartTotal();
  if (cart !== null) query.set('cartTotal', String(cart));
  let offers: PopupOffer[] = [];
  try {
    offers = (await ctx.fetchJson<{ data: PopupOffer[] }>(`/popups?${query}`)).data;
  } catch {
    return { offers };
  }
  let showing = false;
  for (const offer of offers) {
    if (!mayShow(offer.id, offer.frequency, Date.now())) continue;
    armTriggers(offer.triggers, () => {
      // The page may have moved on (a single-page shop), or another pop-up is up.
      if (showing || isCheckoutPath(location.pathname)) return;
      if (!mayShow(offer.id, offer.frequency, Date.now())) return;
      showing = true;
      showPopup(ctx, offer, who.id, () => {
        showing = false;
      });
    });
  }
  return { offers };
}

window.__lojal?.define('popups', definePopups);
