import { fitText, mm, type Pdf } from './pdf-page.ts';
import type { PrintBrand } from './print-brand.ts';
import type { ShopPrintFacts } from './printable-facts.ts';
import type { PrintTexts } from './printable-texts.ts';
import type { Locale } from '../shared/i18n.ts';

export const INK = '#1d2327';
export const MUTED = '#4a545e';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The logo fitted in the box (centred, or at the left), else the shop's name in bold: a logo
 * the PDF library cannot read must not stop the printable.
 */
export function logoOrName(
  doc: Pdf,
  brand: PrintBrand,
  box: Box,
  style: { color: string; size: number; align: 'left' | 'center' },
): void {
  if (brand.logo) {
    try {
      doc.image(brand.logo, mm(box.x), mm(box.y), {
        fit: [mm(box.width), mm(box.height)],
        ...(style.align === 'center' ? { align: 'center' as const } : {}),
        valign: 'center',
      });
      return;
    } catch {
      // Falls through to the name.
    }
  }
  fitText(doc, brand.shopName, box, {
    font: 'bold',
    size: style.size,
    minSize: Math.min(style.size, 7),
    color: style.color,
    align: style.align,
    middle: true,
  });
}

/** The lines that say what joining gives: the stamp card, points, or a general promise. */
export function perkLines(facts: ShopPrintFacts, t: PrintTexts, locale: Locale): string[] {
  const lines: string[] = [];
  if (facts.stampCard)
    lines.push(t.stampLine(facts.stampCard.stamps, facts.stampCard.reward[locale]));
  if (facts.pointsRewards) lines.push(t.pointsLine);
  if (lines.length === 0) lines.push(t.genericLine);
  return lines;
}

/** A dashed guide line (fold) between two points in millimetres. */
export function dashedLine(doc: Pdf, x1: number, y1: number, x2: number, y2: number): void {
  doc
    .save()
    .moveTo(mm(x1), mm(y1))
    .lineTo(mm(x2), mm(y2))
    .dash(mm(2), { space: mm(1.5) })
    .lineWidth(0.6)
    .strokeColor('#8a939b')
    .stroke()
    .undash()
    .restore();
}
