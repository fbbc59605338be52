import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import {
  cardShopId,
  isCardPayload,
  signCardPayload,
  verifyCardPayload,
} from '../../src/stamps/card-qr.ts';
import { imageKind, loadLogo, printBrand, textOn } from '../../src/printables/print-brand.ts';
import { renderShopPrintable } from '../../src/printables/render-printable.ts';
import type { ShopPrintFacts } from '../../src/printables/printable-facts.ts';
import { decodeQr, hasPoppler, pdfPages, pdfText, rows } from './pdf-reading.ts';

function logoPng(): Buffer {
  const png = new PNG({ width: 60, height: 20 });
  png.data.fill(200);
  return PNG.sync.write(png);
}

const answer = (body: Buffer, status = 200) =>
  (async () => new Response(new Uint8Array(body), { status })) as unknown as typeof fetch;

describe("the brand kit's logo", () => {
  it('takes a PNG or a JPEG, and gives nothing for anything else or a failure', async () => {
    const png = logoPng();
    expect(await loadLogo('https://a.example/logo.png', answer(png))).toEqual(png);
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
    expect(imageKind(jpeg)).toBe('jpeg');
    expect(await loadLogo('https://b.example/logo.svg', answer(Buffer.from('<svg/>')))).toBeNull();
    expect(await loadLogo('https://c.example/logo.png', answer(png, 404))).toBeNull();
    const failing = (async () => {
      throw new Error('refused');
    }) as unknown as typeof fetch;
    expect(await loadLogo('https://d.example/logo.png', failing)).toBeNull();
    expect(await loadLogo(null, failing)).toBeNull();
  });

  it('is fetched once per address for ten minutes', async () => {
    let calls = 0;
    const counting = (async () => {
      calls++;
      return new Response(new Uint8Array(logoPng()));
    }) as unknown as typeof fetch;
    await loadLogo('https://e.example/logo.png', counting, 0);
    await loadLogo('https://e.example/logo.png', counting, 9 * 60_000);
    expect(calls).toBe(1);
    await loadLogo('https://e.example/logo.png', counting, 11 * 60_000);
    expect(calls).toBe(2);
  });

  it('text on the brand colour is black or white, whichever reads', () => {
    expect(textOn('#ffd43b')).toBe('#000000');
    expect(textOn('#1f6f5c')).toBe('#ffffff');
    expect(printBrand({ shopName: 'A', primary: 'red', accent: null, logo: null }).primary).toBe(
      '#1f6f5c',
    );
  });
});

describe.skipIf(!hasPoppler)('a printable with a logo and a long name', () => {
  it('embeds the logo, keeps to one page and its QR code still reads', async () => {
    const facts: ShopPrintFacts = {
      brand: printBrand({
        shopName: 'Pracownia Ceramiki i Kawiarnia „Pod Złotą Różą” — Świętokrzyskie Żółte Łąki',
        primary: '#ffd43b',
        accent: '#2f9e44',
        logo: logoPng(),
      }),
      joinUrl: 'https://sklep.example.pl/programy/lojalnosciowy/dolacz?zrodlo=plakat&kampania=zima',
      stampCard: { stamps: 12, reward: { pl: 'Darmowe ciasto', en: 'Free cake' } },
      pointsRewards: false,
    };
    for (const kind of ['poster', 'flyer', 'table-tent'] as const) {
      const pdf = await renderShopPrintable(kind, facts, 'pl');
      expect(pdf.toString('latin1')).toContain('/Subtype /Image');
      const pages = pdfPages(pdf, 100);
      expect(pages).toHaveLength(1);
      const faces =
        kind === 'table-tent' ? [rows(pages[0]!, 0, 0.5), rows(pages[0]!, 0.5, 1)] : pages;
      for (const face of faces) expect(decodeQr(face)).toBe(facts.joinUrl);
      // With a logo the name is not set as text; the perks are, with Polish plurals.
      expect(pdfText(pdf).replace(/\s+/g, ' ')).toContain(
        'Zbierz 12 pieczątek, a odbierzesz: Darmowe ciasto',
      );
    }
  });
});

describe("a printed card's QR payload", () => {
  const key = randomBytes(32);
  const payload = signCardPayload(key, 'shp_abc', 'cus_def');

  it('names the shop and the customer, and verifies with the shop key only', () => {
    expect(isCardPayload(payload)).toBe(true);
    expect(cardShopId(payload)).toBe('shp_abc');
    expect(verifyCardPayload(key, payload)).toBe('cus_def');
    expect(verifyCardPayload(randomBytes(32), payload)).toBeNull();
  });

  it('refuses a payload whose customer or shop was changed', () => {
    expect(verifyCardPayload(key, payload.replace('cus_def', 'cus_deg'))).toBeNull();
    expect(verifyCardPayload(key, payload.replace('shp_abc', 'shp_abd'))).toBeNull();
    expect(verifyCardPayload(key, `${payload}x`)).toBeNull();
  });
});
