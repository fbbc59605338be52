/**
 * Pages where a pop-up must never cover what the shopper is doing: the cart, the checkout, the
 * payment and the order confirmation, as the platforms Lojal works with name them (Shopify
 * /cart, /checkouts/…; WooCommerce /koszyk, /zamowienie, /checkout/order-received; Shoper
 * /basket; IdoSell /basketedit.php, /order1.php; PrestaShop /koszyk, /zamowienie, /order).
 * The widget's popups chunk carries the same list (apps/widget/src/popups/checkout-paths.ts;
 * a test checks they agree) and refuses too.
 */
export const CHECKOUT_SEGMENTS = [
  'cart',
  'carts',
  'basket',
  'basketedit',
  'koszyk',
  'checkout',
  'checkouts',
  'kasa',
  'zamowienie',
  'zamówienie',
  'zamowienia',
  'order',
  'order1',
  'order2',
  'order-pay',
  'order-received',
  'payment',
  'payments',
  'platnosc',
  'płatność',
  'platnosci',
  'thank-you',
  'thank_you',
  'podziekowanie',
  'podziękowanie',
];

const SEGMENTS = new Set(CHECKOUT_SEGMENTS);

/** Whether a page path (with or without its query) is a cart, checkout or payment page. */
export function isCheckoutPath(path: string): boolean {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A malformed escape: judge the path as given.
  }
  const pathname = decoded.split(/[?#]/, 1)[0]!.toLowerCase();
  return pathname
    .split('/')
    .some((segment) => SEGMENTS.has(segment.replace(/\.(php|html?|aspx?)$/, '')));
}
