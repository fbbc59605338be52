import type { ShopRow } from '../shops/shop.ts';

/**
 * A link that applies a code at the shop's own checkout, where the platform has one: Shopify's
 * `/discount/{code}` (it stores the code in the cart and continues to `redirect`). Other
 * platforms have no such address without a plug-in, so the shopper copies the code.
 */
export function checkoutLink(shop: ShopRow, code: string): string | null {
  if (!shop.storefront_url) return null;
  let url: URL;
  try {
    url = new URL(shop.storefront_url);
  } catch {
    return null;
  }
  if (!isShopify(url)) return null;
  return `${url.origin}/discount/${encodeURIComponent(code)}`;
}

function isShopify(url: URL): boolean {
  return url.hostname.endsWith('.myshopify.com');
}
