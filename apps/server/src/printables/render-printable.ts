import type { Locale } from '../shared/i18n.ts';
import { loyaltyCard, referralFlyer } from './customer-layouts.ts';
import { JOIN_QR_MM, joinSheet, tableTent } from './join-layouts.ts';
import { newPdf, pdfBytes, type Pdf } from './pdf-page.ts';
import type { CustomerPrintFacts, ShopPrintFacts } from './printable-facts.ts';

export const SHOP_PRINTABLES = ['poster', 'flyer', 'table-tent'] as const;
export const CUSTOMER_PRINTABLES = ['loyalty-card', 'referral-flyer'] as const;
export type ShopPrintable = (typeof SHOP_PRINTABLES)[number];
export type CustomerPrintable = (typeof CUSTOMER_PRINTABLES)[number];

/** Each printable's paper, in millimetres (portrait). */
export const PAGE_MM: Record<ShopPrintable | CustomerPrintable, { width: number; height: number }> =
  {
    poster: { width: 210, height: 297 },
    flyer: { width: 105, height: 148 },
    'table-tent': { width: 210, height: 297 },
    'loyalty-card': { width: 210, height: 297 },
    'referral-flyer': { width: 105, height: 148 },
  };

const TITLES: Record<ShopPrintable | CustomerPrintable, Record<Locale, string>> = {
  poster: { pl: 'Plakat', en: 'Poster' },
  flyer: { pl: 'Ulotka', en: 'Flyer' },
  'table-tent': { pl: 'Stojak na stolik', en: 'Table tent' },
  'loyalty-card': { pl: 'Karta stałego klienta', en: 'Loyalty card' },
  'referral-flyer': { pl: 'Poleć nas', en: 'Recommend us' },
};

function start(kind: ShopPrintable | CustomerPrintable, shop: ShopPrintFacts, locale: Locale): Pdf {
  return newPdf({
    widthMm: PAGE_MM[kind].width,
    heightMm: PAGE_MM[kind].height,
    title: `${TITLES[kind][locale]} — ${shop.brand.shopName}`,
    author: shop.brand.shopName,
    lang: locale === 'pl' ? 'pl-PL' : 'en-GB',
  });
}

/** A printable of the shop's own (the QR code leads to joining the programme), as PDF bytes. */
export function renderShopPrintable(
  kind: ShopPrintable,
  shop: ShopPrintFacts,
  locale: Locale,
): Promise<Buffer> {
  const doc = start(kind, shop, locale);
  if (kind === 'poster') joinSheet(doc, shop, locale, 1, JOIN_QR_MM.poster);
  else if (kind === 'flyer') joinSheet(doc, shop, locale, 0.5, JOIN_QR_MM.flyer);
  else tableTent(doc, shop, locale);
  return pdfBytes(doc);
}

/** A printable of one customer's (their card's QR code, or their referral link), as PDF bytes. */
export function renderCustomerPrintable(
  kind: CustomerPrintable,
  shop: ShopPrintFacts,
  customer: CustomerPrintFacts,
  locale: Locale,
): Promise<Buffer> {
  const doc = start(kind, shop, locale);
  if (kind === 'loyalty-card') loyaltyCard(doc, shop, customer, locale);
  else referralFlyer(doc, shop, customer, locale);
  return pdfBytes(doc);
}
