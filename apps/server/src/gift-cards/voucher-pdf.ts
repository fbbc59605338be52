import type { Locale } from '../shared/i18n.ts';
import { drawQr } from '../printables/draw-qr.ts';
import { INK, MUTED, logoOrName } from '../printables/draw-parts.ts';
import { fitText, mm, newPdf, pdfBytes } from '../printables/pdf-page.ts';
import { readsOnWhite, type PrintBrand } from '../printables/print-brand.ts';
import { voucherTexts } from './voucher-texts.ts';

export interface VoucherFacts {
  brand: PrintBrand;
  /** Already formatted in the voucher's language ("150,00 zł"). */
  amount: string;
  code: string;
  pin: string;
  recipientName: string | null;
  message: string | null;
  /** Already formatted, or null for a card without an end date. */
  validUntil: string | null;
  balanceUrl: string;
}

/** A6 landscape: fits an envelope, and prints two to an A4 sheet. */
export const VOUCHER_MM = { width: 148, height: 105 } as const;
export const VOUCHER_QR_MM = 28;

/**
 * The printable voucher: the brand's colour band with its logo, the value, the recipient and
 * the buyer's message; the code and PIN large enough to read out at a till; and a QR code to the
 * shop's balance page (black on white, 4-module quiet zone, as every printable).
 */
export function renderVoucher(facts: VoucherFacts, locale: Locale): Promise<Buffer> {
  const t = voucherTexts[locale];
  const brand = facts.brand;
  const doc = newPdf({
    widthMm: VOUCHER_MM.width,
    heightMm: VOUCHER_MM.height,
    title: `${t.title} — ${brand.shopName}`,
    author: brand.shopName,
    lang: locale === 'pl' ? 'pl-PL' : 'en-GB',
  });
  const accent = readsOnWhite(brand.primary) ? brand.primary : INK;

  // The band: logo on a white tile, the title and the value in the brand's colours.
  doc.rect(0, 0, mm(VOUCHER_MM.width), mm(34)).fill(brand.primary);
  doc.roundedRect(mm(8), mm(7), mm(40), mm(20), mm(2)).fill('#ffffff');
  logoOrName(
    doc,
    brand,
    { x: 10, y: 8.5, width: 36, height: 17 },
    {
      color: INK,
      size: 11,
      align: 'center',
    },
  );
  fitText(
    doc,
    t.title,
    { x: 54, y: 7, width: 86, height: 9 },
    {
      font: 'regular',
      size: 13,
      color: brand.onPrimary,
      align: 'right',
    },
  );
  fitText(
    doc,
    facts.amount,
    { x: 54, y: 15, width: 86, height: 14 },
    {
      font: 'bold',
      size: 26,
      minSize: 14,
      color: brand.onPrimary,
      align: 'right',
    },
  );

  // Left column: to whom, the message, the code and PIN, the end date.
  let y = 39;
  if (facts.recipientName) {
    y += fitText(
      doc,
      t.for(facts.recipientName),
      { x: 8, y, width: 92, height: 7 },
      {
        font: 'bold',
        size: 12,
        minSize: 8,
        color: INK,
      },
    );
    y += 1;
  }
  if (facts.message) {
    fitText(
      doc,
      t.quote(facts.message),
      { x: 8, y, width: 92, height: 16 },
      {
        font: 'regular',
        size: 10,
        minSize: 6,
        color: MUTED,
      },
    );
  }
  const codeTop = 66;
  fitText(
    doc,
    t.code,
    { x: 8, y: codeTop, width: 70, height: 5 },
    {
      font: 'regular',
      size: 8,
      color: MUTED,
    },
  );
  fitText(
    doc,
    facts.code,
    { x: 8, y: codeTop + 4, width: 92, height: 8 },
    {
      font: 'bold',
      size: 15,
      minSize: 9,
      color: accent,
    },
  );
  fitText(
    doc,
    `${t.pin}: ${facts.pin}`,
    { x: 8, y: codeTop + 13, width: 60, height: 7 },
    {
      font: 'bold',
      size: 12,
      color: INK,
    },
  );
  fitText(
    doc,
    facts.validUntil ? t.validUntil(facts.validUntil) : t.noExpiry,
    { x: 8, y: codeTop + 20.5, width: 92, height: 5 },
    { font: 'regular', size: 8.5, color: MUTED },
  );
  fitText(
    doc,
    t.howTo(brand.shopName),
    { x: 8, y: codeTop + 26, width: 92, height: 8 },
    {
      font: 'regular',
      size: 7.5,
      minSize: 6,
      color: MUTED,
    },
  );

  // Right column: the QR code to the balance page and its address for those without a camera.
  const qrX = VOUCHER_MM.width - 8 - VOUCHER_QR_MM - 4;
  drawQr(doc, facts.balanceUrl, qrX, 44, VOUCHER_QR_MM);
  fitText(
    doc,
    t.balance,
    { x: 104, y: 78, width: 40, height: 9 },
    {
      font: 'regular',
      size: 6.5,
      minSize: 5,
      color: MUTED,
      align: 'center',
    },
  );
  fitText(
    doc,
    facts.balanceUrl.replace(/^https?:\/\//, ''),
    {
      x: 102,
      y: 87,
      width: 44,
      height: 8,
    },
    { font: 'bold', size: 7, minSize: 5, color: INK, align: 'center' },
  );
  return pdfBytes(doc);
}
