import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

export type Pdf = PDFKit.PDFDocument;

/** Millimetres to PDF points (1/72 inch): every layout is drawn in millimetres. */
export const mm = (value: number) => (value * 72) / 25.4;

const require = createRequire(import.meta.url);
// DejaVu Sans ships inside the npm package (Bitstream Vera licence: embedding allowed); the PDF
// standard fonts have no ą ć ę ł ń ó ś ź ż, and a system font may be missing on a user's machine.
const fonts = {
  regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
  bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
};

export type FontName = keyof typeof fonts;

/** A new document of one size in millimetres, the fonts registered (pdfkit embeds a subset). */
export function newPdf(input: {
  widthMm: number;
  heightMm: number;
  title: string;
  author: string;
  lang: string;
  /** Margins for text that flows onto new pages (a report); none for a drawn layout. */
  marginMm?: number;
}): Pdf {
  const doc = new PDFDocument({
    size: [mm(input.widthMm), mm(input.heightMm)],
    margin: mm(input.marginMm ?? 0),
    lang: input.lang,
    info: { Title: input.title, Author: input.author, Creator: 'Lojal' },
    displayTitle: true,
  });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  return doc;
}

/** The finished document's bytes. */
export function pdfBytes(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

export interface TextBox {
  x: number;
  y: number;
  width: number;
  /** The most height the text may take; it shrinks (down to `minSize`) to fit, then is cut. */
  height: number;
}

/**
 * Text in a box, all in millimetres: the largest size from `size` down to `minSize` at which it
 * fits the box (a long shop name must not push the QR code off the page). Returns the height
 * used, so the next block can follow it.
 */
export function fitText(
  doc: Pdf,
  text: string,
  box: TextBox,
  style: {
    font: FontName;
    size: number;
    minSize?: number;
    color: string;
    align?: 'left' | 'center' | 'right';
    /** Centre the text vertically in the box. */
    middle?: boolean;
  },
): number {
  const width = mm(box.width);
  const height = mm(box.height);
  let size = style.size;
  const minSize = style.minSize ?? Math.min(style.size, 6);
  const measure = (s: number) =>
    doc
      .font(style.font)
      .fontSize(s)
      .heightOfString(text, { width, lineGap: s * 0.1 });
  while (size > minSize && measure(size) > height) size = Math.max(minSize, size - 0.5);
  const used = Math.min(measure(size), height);
  const top = mm(box.y) + (style.middle ? (height - used) / 2 : 0);
  doc
    .font(style.font)
    .fontSize(size)
    .fillColor(style.color)
    .text(text, mm(box.x), top, {
      width,
      height,
      lineGap: size * 0.1,
      align: style.align ?? 'left',
      ellipsis: true,
      lineBreak: true,
    });
  // pdfkit moves its cursor; a later text at an explicit position must not inherit it.
  doc.x = 0;
  doc.y = 0;
  return (used * 25.4) / 72;
}
