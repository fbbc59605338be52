import type { Locale } from '../shared/i18n.ts';
import { drawQr, quietZoneMm } from './draw-qr.ts';
import { INK, MUTED, dashedLine, logoOrName, perkLines } from './draw-parts.ts';
import { fitText, mm, type Pdf } from './pdf-page.ts';
import { readsOnWhite } from './print-brand.ts';
import type { CustomerPrintFacts, ShopPrintFacts } from './printable-facts.ts';
import { printTexts } from './printable-texts.ts';

/** ID-1, the size of a bank card (ISO/IEC 7810), and its corner radius, in millimetres. */
export const ID1 = { width: 85.6, height: 53.98, radius: 3.18 } as const;
export const CARD_QR_MM = 36;
export const CARD_QR_LEVEL = 'M' as const;
export const REFERRAL_QR_MM = 40;

/**
 * The loyalty card on an A4 sheet at its real size: front and back side by side, joined at the
 * fold, inside one cut line. Folded, glued or laminated, it is a plastic-card-sized card whose
 * back carries the QR code a staff scanner reads (stamps/card-qr.ts).
 */
export function loyaltyCard(
  doc: Pdf,
  shop: ShopPrintFacts,
  customer: CustomerPrintFacts,
  locale: Locale,
): void {
  const t = printTexts[locale];
  const brand = shop.brand;
  const fold = 105;
  const top = 40;
  const left = fold - ID1.width;
  fitText(
    doc,
    t.cardHowTo,
    { x: 20, y: 18, width: 170, height: 16 },
    {
      font: 'regular',
      size: 10,
      color: MUTED,
    },
  );

  // Front: the brand's colour, its logo on a white tile, the card's title and the holder.
  doc.save();
  doc.roundedRect(mm(left), mm(top), mm(ID1.width + 5), mm(ID1.height), mm(ID1.radius)).clip();
  doc.rect(mm(left), mm(top), mm(ID1.width), mm(ID1.height)).fill(brand.primary);
  doc.restore();
  doc.roundedRect(mm(left + 5), mm(top + 5), mm(38), mm(16), mm(1.5)).fill('#ffffff');
  logoOrName(
    doc,
    brand,
    { x: left + 7, y: top + 6.5, width: 34, height: 13 },
    {
      color: INK,
      size: 10,
      align: 'center',
    },
  );
  fitText(
    doc,
    t.cardTitle,
    { x: left + 5, y: top + 25, width: ID1.width - 10, height: 8 },
    {
      font: 'bold',
      size: 13,
      minSize: 8,
      color: brand.onPrimary,
    },
  );
  fitText(
    doc,
    perkLines(shop, t, locale)[0]!,
    {
      x: left + 5,
      y: top + 34,
      width: ID1.width - 10,
      height: 8,
    },
    { font: 'regular', size: 7.5, minSize: 5.5, color: brand.onPrimary },
  );
  if (customer.fullName) {
    fitText(
      doc,
      customer.fullName,
      { x: left + 5, y: top + 45, width: ID1.width - 10, height: 5 },
      {
        font: 'bold',
        size: 9,
        minSize: 6,
        color: brand.onPrimary,
      },
    );
  }

  // Back: the QR code on white with its quiet zone, what to do with it, the card number.
  const quiet = quietZoneMm(customer.cardPayload, CARD_QR_MM, CARD_QR_LEVEL);
  const qrX = fold + 3 + quiet;
  const qrY = top + (ID1.height - CARD_QR_MM) / 2;
  drawQr(doc, customer.cardPayload, qrX, qrY, CARD_QR_MM, CARD_QR_LEVEL);
  const textX = qrX + CARD_QR_MM + quiet + 1;
  const textWidth = fold + ID1.width - 3 - textX;
  logoOrName(
    doc,
    { ...brand, logo: null },
    { x: textX, y: top + 5, width: textWidth, height: 8 },
    {
      color: readsOnWhite(brand.primary) ? brand.primary : INK,
      size: 9,
      align: 'left',
    },
  );
  fitText(
    doc,
    t.cardShow,
    { x: textX, y: top + 16, width: textWidth, height: 14 },
    {
      font: 'bold',
      size: 9,
      minSize: 6,
      color: INK,
    },
  );
  fitText(
    doc,
    t.cardNumber,
    { x: textX, y: top + 36, width: textWidth, height: 4 },
    {
      font: 'regular',
      size: 6,
      color: MUTED,
    },
  );
  fitText(
    doc,
    groupsOfFour(customer.cardNumber),
    { x: textX, y: top + 40, width: textWidth, height: 8 },
    {
      font: 'regular',
      size: 6.5,
      minSize: 5,
      color: INK,
    },
  );

  // The cut line around both halves, the fold between them.
  doc
    .roundedRect(mm(left), mm(top), mm(2 * ID1.width), mm(ID1.height), mm(ID1.radius))
    .lineWidth(0.5)
    .strokeColor('#5c6670')
    .stroke();
  dashedLine(doc, fold, top - 4, fold, top + ID1.height + 4);
}

/**
 * "Poleć nas" on A6: what a referrer hands a friend. Who recommends the shop, the friend's offer
 * from the live referral campaign, the referrer's own code, and the QR code of their link (the
 * landing page or the shop, with the attribution, exactly as a shared link).
 */
export function referralFlyer(
  doc: Pdf,
  shop: ShopPrintFacts,
  customer: CustomerPrintFacts,
  locale: Locale,
): void {
  const t = printTexts[locale];
  const brand = shop.brand;
  const width = 105;
  const margin = 8;
  const inner = width - 2 * margin;
  logoOrName(
    doc,
    brand,
    { x: margin, y: 5, width: inner, height: 15 },
    {
      color: INK,
      size: 15,
      align: 'center',
    },
  );
  doc.rect(0, mm(23), mm(width), mm(34)).fill(brand.primary);
  fitText(
    doc,
    t.referralLabel.toUpperCase(),
    { x: margin, y: 26, width: inner, height: 5 },
    {
      font: 'bold',
      size: 8,
      color: brand.onPrimary,
      align: 'center',
    },
  );
  fitText(
    doc,
    t.referralHeadline(customer.firstName, brand.shopName),
    {
      x: margin,
      y: 32,
      width: inner,
      height: 23,
    },
    { font: 'bold', size: 16, minSize: 8, color: brand.onPrimary, align: 'center', middle: true },
  );

  const offer = customer.friendOffer[locale];
  const used = fitText(
    doc,
    offer?.headline ?? t.referralNoOffer,
    {
      x: margin,
      y: 60,
      width: inner,
      height: 12,
    },
    { font: 'bold', size: 12, minSize: 7, color: INK, align: 'center' },
  );
  if (offer?.condition) {
    fitText(
      doc,
      offer.condition,
      { x: margin, y: 60 + used + 0.5, width: inner, height: 6 },
      {
        font: 'regular',
        size: 7.5,
        minSize: 5.5,
        color: MUTED,
        align: 'center',
      },
    );
  }
  doc
    .roundedRect(mm(margin + 8), mm(81), mm(inner - 16), mm(13), mm(2))
    .dash(mm(1.5), { space: mm(1) })
    .lineWidth(1)
    .strokeColor(readsOnWhite(brand.primary) ? brand.primary : INK)
    .stroke()
    .undash();
  fitText(
    doc,
    t.referralCode,
    { x: margin, y: 82, width: inner, height: 4 },
    {
      font: 'regular',
      size: 7,
      color: MUTED,
      align: 'center',
    },
  );
  fitText(
    doc,
    customer.referralCode,
    { x: margin + 9, y: 86, width: inner - 18, height: 7 },
    {
      font: 'bold',
      size: 13,
      minSize: 7,
      color: INK,
      align: 'center',
    },
  );

  const quiet = quietZoneMm(customer.referralLink, REFERRAL_QR_MM);
  const qrX = margin - 2 + quiet;
  const qrY = 99;
  drawQr(doc, customer.referralLink, qrX, qrY, REFERRAL_QR_MM);
  const textX = qrX + REFERRAL_QR_MM + quiet + 1;
  const column = { x: textX, width: width - margin + 2 - textX };
  const scanUsed = fitText(
    doc,
    t.referralScan,
    { ...column, y: qrY + 1, height: 16 },
    {
      font: 'bold',
      size: 9,
      minSize: 6,
      color: INK,
    },
  );
  fitText(
    doc,
    `${t.orVisit} ${customer.referralLink}`,
    {
      ...column,
      y: qrY + scanUsed + 3,
      height: 20,
    },
    { font: 'regular', size: 7, minSize: 5, color: MUTED },
  );
  doc.rect(0, mm(145), mm(width), mm(3.5)).fill(brand.accent);
}

/** "cus_01m981cp4yem…" as "cus_ 01m9 81cp 4yem …": easier to read out and type. */
export function groupsOfFour(id: string): string {
  const [prefix, rest] = id.includes('_') ? [`${id.split('_')[0]}_`, id.split('_')[1]!] : ['', id];
  return [prefix, ...(rest.match(/.{1,4}/g) ?? [])].filter(Boolean).join(' ');
}
