import type { Locale } from '../shared/i18n.ts';
import { drawQr, quietZoneMm } from './draw-qr.ts';
import { INK, MUTED, dashedLine, logoOrName, perkLines } from './draw-parts.ts';
import { fitText, mm, type Pdf } from './pdf-page.ts';
import type { ShopPrintFacts } from './printable-facts.ts';
import { readsOnWhite } from './print-brand.ts';
import { printTexts } from './printable-texts.ts';

/** QR symbol sizes in millimetres (without the quiet zone): see docs/printables.md. */
export const JOIN_QR_MM = { poster: 90, flyer: 46, tent: 58 } as const;

/**
 * The A4 poster (scale 1) or the A6 flyer (scale 0.5: A6 is A4 halved twice): the brand's logo,
 * the invitation on a band of the brand colour, what joining gives, and the QR code to join
 * with the address printed under it for those who type.
 */
export function joinSheet(
  doc: Pdf,
  facts: ShopPrintFacts,
  locale: Locale,
  scale: number,
  qrMm: number,
): void {
  const t = printTexts[locale];
  const s = (v: number) => v * scale;
  const width = s(210);
  const margin = s(15);
  const inner = width - 2 * margin;
  const brand = facts.brand;

  logoOrName(
    doc,
    brand,
    { x: margin, y: s(9), width: inner, height: s(30) },
    {
      color: INK,
      size: s(30),
      align: 'center',
    },
  );
  doc.rect(0, mm(s(45)), mm(width), mm(s(56))).fill(brand.primary);
  fitText(
    doc,
    t.joinHeadline,
    { x: margin, y: s(49), width: inner, height: s(48) },
    {
      font: 'bold',
      size: s(34),
      minSize: s(16),
      color: brand.onPrimary,
      align: 'center',
      middle: true,
    },
  );
  fitText(
    doc,
    perkLines(facts, t, locale).join('\n'),
    {
      x: margin,
      y: s(107),
      width: inner,
      height: s(44),
    },
    {
      font: 'regular',
      size: s(18),
      minSize: Math.max(7, s(11)),
      color: INK,
      align: 'center',
      middle: true,
    },
  );

  const qrX = (width - qrMm) / 2;
  const qrY = s(157);
  drawQr(doc, facts.joinUrl, qrX, qrY, qrMm);
  let y = qrY + qrMm + quietZoneMm(facts.joinUrl, qrMm) + s(1);
  y += fitText(
    doc,
    t.scan,
    { x: margin, y, width: inner, height: s(9) },
    {
      font: 'bold',
      size: s(17),
      minSize: 8,
      color: INK,
      align: 'center',
    },
  );
  fitText(
    doc,
    `${t.orVisit} ${facts.joinUrl}`,
    { x: margin, y: y + s(1), width: inner, height: s(12) },
    {
      font: 'regular',
      size: s(12),
      minSize: 6,
      color: MUTED,
      align: 'center',
    },
  );
  doc.rect(0, mm(s(289)), mm(width), mm(s(8))).fill(brand.accent);
}

const FACE = { width: 210, height: 148.5 };

/**
 * A table tent from one A4 sheet: folded in half across, it stands as an A-frame with an A5
 * landscape face on each side. The top half is printed upside down so both faces read upright
 * once folded; the fold is marked.
 */
export function tableTent(doc: Pdf, facts: ShopPrintFacts, locale: Locale): void {
  doc.save();
  doc.rotate(180, { origin: [mm(FACE.width / 2), mm(FACE.height / 2)] });
  tentFace(doc, facts, locale, 0);
  doc.restore();
  tentFace(doc, facts, locale, FACE.height);
  dashedLine(doc, 0, FACE.height, FACE.width, FACE.height);
  fitText(
    doc,
    printTexts[locale].foldHere,
    { x: 4, y: FACE.height - 4, width: 40, height: 3.5 },
    {
      font: 'regular',
      size: 7,
      color: MUTED,
    },
  );
}

/** One face: the brand's stripe and logo, the invitation and perks at the left, the QR at the right. */
function tentFace(doc: Pdf, facts: ShopPrintFacts, locale: Locale, top: number): void {
  const t = printTexts[locale];
  const brand = facts.brand;
  doc.rect(0, mm(top), mm(8), mm(FACE.height)).fill(brand.primary);
  doc.rect(mm(8), mm(top + FACE.height - 5), mm(FACE.width - 8), mm(5)).fill(brand.accent);
  const left = { x: 16, width: 108 };
  logoOrName(
    doc,
    brand,
    { ...left, y: top + 12, height: 22 },
    { color: INK, size: 22, align: 'left' },
  );
  fitText(
    doc,
    t.joinHeadline,
    { ...left, y: top + 40, height: 36 },
    {
      font: 'bold',
      size: 24,
      minSize: 12,
      color: readsOnWhite(brand.primary) ? brand.primary : INK,
    },
  );
  fitText(
    doc,
    perkLines(facts, t, locale).join('\n'),
    { ...left, y: top + 80, height: 34 },
    {
      font: 'regular',
      size: 14,
      minSize: 8,
      color: INK,
    },
  );
  fitText(
    doc,
    t.askStaff,
    { ...left, y: top + 118, height: 14 },
    {
      font: 'regular',
      size: 11,
      minSize: 7,
      color: MUTED,
    },
  );
  const qrMm = JOIN_QR_MM.tent;
  const qrX = 140;
  const qrY = top + 20;
  drawQr(doc, facts.joinUrl, qrX, qrY, qrMm);
  const y = qrY + qrMm + quietZoneMm(facts.joinUrl, qrMm) + 1;
  const column = { x: 130, width: 78 };
  const used = fitText(
    doc,
    t.scan,
    { ...column, y, height: 10 },
    {
      font: 'bold',
      size: 11,
      minSize: 7,
      color: INK,
      align: 'center',
    },
  );
  fitText(
    doc,
    facts.joinUrl,
    { ...column, y: y + used + 1, height: 8 },
    {
      font: 'regular',
      size: 8,
      minSize: 5.5,
      color: MUTED,
      align: 'center',
    },
  );
}
