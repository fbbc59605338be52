import QRCode from 'qrcode';
import { mm, type Pdf } from './pdf-page.ts';

/**
 * Q (25% of the symbol recoverable) for what hangs and stands in the shop: posters, flyers and
 * table tents get creased, scratched and splashed, and their short addresses still make a small
 * version (large modules) at Q. The printed card uses M (15%): its signed payload is ~90
 * characters, and at M it fits a version with 41 modules instead of 49, so each module is larger
 * on a card-sized code that a staff phone reads close up; a card is kept in a wallet or laminated.
 */
export type QrLevel = 'M' | 'Q';
export const QR_ERROR_CORRECTION: QrLevel = 'Q';
/** The white margin around the symbol, in modules: the QR standard's minimum. */
export const QR_QUIET_MODULES = 4;

/**
 * A QR code of `text` whose symbol (without the quiet zone) is `sizeMm` wide, its top left
 * corner at (x, y) mm; a white quiet zone of 4 modules is painted around it, outside that
 * square. Dark modules are always black on white, whatever the brand's colours: contrast is what
 * a phone camera needs. Returns the module size in millimetres.
 */
export function drawQr(
  doc: Pdf,
  text: string,
  x: number,
  y: number,
  sizeMm: number,
  level: QrLevel = QR_ERROR_CORRECTION,
): number {
  const qr = QRCode.create(text, { errorCorrectionLevel: level });
  const count = qr.modules.size;
  const module = sizeMm / count;
  const quiet = QR_QUIET_MODULES * module;
  doc
    .rect(mm(x - quiet), mm(y - quiet), mm(sizeMm + 2 * quiet), mm(sizeMm + 2 * quiet))
    .fill('#ffffff');
  // One rectangle per horizontal run of dark modules, slightly overlapping the next row so no
  // hairline gap shows between rows when a viewer anti-aliases.
  for (let row = 0; row < count; row++) {
    let col = 0;
    while (col < count) {
      if (!qr.modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < count && qr.modules.get(row, col)) col++;
      doc.rect(
        mm(x + start * module),
        mm(y + row * module),
        mm((col - start) * module),
        mm(module) + 0.05,
      );
    }
  }
  doc.fill('#000000');
  return module;
}

/** The quiet zone's width in millimetres for a symbol of `sizeMm` encoding `text`. */
export function quietZoneMm(
  text: string,
  sizeMm: number,
  level: QrLevel = QR_ERROR_CORRECTION,
): number {
  const count = QRCode.create(text, { errorCorrectionLevel: level }).modules.size;
  return (QR_QUIET_MODULES * sizeMm) / count;
}
