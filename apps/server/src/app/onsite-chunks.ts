import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import { popupWantedOn } from '../popups/eligible-popups.ts';
import { loadSocialProofSettings } from '../social-proof/social-proof-settings.ts';

/**
 * The widget's on-site chunks (apps/widget: pop-ups, social proof, …) and when a page of a shop
 * wants each. The loader asks `GET /storefront/v1/shops/:shopId/widget?path=…` once idle and
 * loads the chunks named in its `onsite` list. A feature adds one entry here; its chunk is in
 * apps/widget/build.mjs (ENTRIES) and its sources in apps/widget/src/<chunk>/.
 */
export interface OnsiteChunk {
  /** The chunk's name in apps/widget/build.mjs ENTRIES. */
  chunk: string;
  /** Whether this page (`path`: location.pathname) of the shop loads the chunk: keep it cheap. */
  wanted(db: Db, shop: ShopRow, page: { path: string }): Promise<boolean>;
}

export const onsiteChunks: readonly OnsiteChunk[] = [
  // An active pop-up whose pages include this one (never a cart, checkout or payment page).
  { chunk: 'popups', wanted: (db, shop, page) => popupWantedOn(db, shop, page.path) },
  {
    chunk: 'social-proof',
    // One read by primary key; the chunk itself asks for the product's counts.
    wanted: async (db, shop) => {
      const settings = await loadSocialProofSettings(db, shop.id);
      return settings.enabled && settings.messages.length > 0;
    },
  },
  // The reviews chunk is not listed: the loader loads it when the page has [data-lojal-reviews].
];

/** The names of the chunks a page wants, in the list's order. */
export async function onsiteChunksFor(
  db: Db,
  shop: ShopRow,
  page: { path: string },
  chunks: readonly OnsiteChunk[] = onsiteChunks,
): Promise<string[]> {
  const wanted = await Promise.all(chunks.map((c) => c.wanted(db, shop, page)));
  return chunks.filter((_, i) => wanted[i]).map((c) => c.chunk);
}
