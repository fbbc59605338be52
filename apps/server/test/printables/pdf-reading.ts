import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

function has(command: string): boolean {
  try {
    execFileSync(command, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** poppler-utils (pdftotext, pdftoppm, pdfinfo): .ci/run installs them; without them these tests skip. */
export const hasPoppler = has('pdftotext') && has('pdftoppm');

function withFile<T>(pdf: Buffer, use: (dir: string, file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'lojal-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    return use(dir, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The document's text as pdftotext reads it (what a copy from a PDF viewer gives). */
export function pdfText(pdf: Buffer): string {
  return withFile(pdf, (_, file) => execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }));
}

/** Pages and page size in points, from pdfinfo. */
export function pdfInfo(pdf: Buffer): { pages: number; width: number; height: number } {
  const out = withFile(pdf, (_, file) => execFileSync('pdfinfo', [file], { encoding: 'utf8' }));
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(out)!;
  return {
    pages: Number(/Pages:\s+(\d+)/.exec(out)![1]),
    width: Number(size[1]),
    height: Number(size[2]),
  };
}

export interface Raster {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** Each page rendered by pdftoppm at `dpi`, as RGBA pixels. */
export function pdfPages(pdf: Buffer, dpi = 150): Raster[] {
  return withFile(pdf, (dir, file) => {
    execFileSync('pdftoppm', ['-r', String(dpi), '-png', file, join(dir, 'page')]);
    return readdirSync(dir)
      .filter((name) => name.endsWith('.png'))
      .sort()
      .map((name) => {
        const png = PNG.sync.read(readFileSync(join(dir, name)));
        return { width: png.width, height: png.height, data: new Uint8ClampedArray(png.data) };
      });
  });
}

/** The rows [from, to) of a raster (the two faces of a table tent are read one at a time). */
export function rows(raster: Raster, from: number, to: number): Raster {
  const start = Math.round(from * raster.height);
  const end = Math.round(to * raster.height);
  return {
    width: raster.width,
    height: end - start,
    data: raster.data.slice(start * raster.width * 4, end * raster.width * 4),
  };
}

// jsqr is CommonJS whose types declare a default export: Node hands over module.exports.
const jsQR = (jsQRModule as unknown as { default: typeof jsQRModule.default }).default;

/** The text of the QR code a camera would read in this picture, or null. */
export function decodeQr(raster: Raster): string | null {
  return jsQR(raster.data, raster.width, raster.height)?.data ?? null;
}
