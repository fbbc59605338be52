import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  type TestApp,
} from '../support/app.ts';
import { asMember, createMember, signIn } from '../support/accounts.ts';
import { call, send } from '../points/support.ts';
import { coffeeCard, createProgramme, createStaff, scan, type Shop } from '../stamps/support.ts';
import { decodeQr, hasPoppler, pdfInfo, pdfPages, pdfText, rows } from './pdf-reading.ts';

const clock = fixedClock('2026-11-24T09:00:00Z');
let t: TestApp;
let shop: Shop;
let other: Shop;
let slug: string;

const A4 = { width: 595.28, height: 841.89 };
const A6 = { width: 297.64, height: 419.53 };

async function pdf(url: string, headers: Record<string, string> = bearer(shop.apiKey)) {
  const res = await t.app.inject({ method: 'GET', url, headers });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  return res.rawPayload;
}

/** Text as pdftotext gives it, with line breaks as spaces (a headline may wrap anywhere). */
const flat = (text: string) => text.replace(/\s+/g, ' ');

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Kawiarnia Żółta Łódź');
  other = await createTestShop(t, 'Piekarnia');
  slug = (await call(t, shop, 'GET', '/v1/shop')).json().slug;
  await createProgramme(t, shop, coffeeCard);
  await send(t, shop, {
    type: 'customer.created',
    id: 'c-lucja',
    data: { id: 'lucja', email: 'lucja@example.com', firstName: 'Łucja', lastName: 'Żak' },
  });
  await send(t, other, {
    type: 'customer.created',
    id: 'c-olek',
    data: { id: 'olek', email: 'olek@example.com', firstName: 'Olek' },
  });
});
afterAll(() => t.close());

describe.skipIf(!hasPoppler)("the shop's printables", () => {
  it.each([
    ['poster', A4],
    ['flyer', A6],
    ['table-tent', A4],
  ] as const)(
    'the %s renders on one page of its paper in Polish, with the QR code to join',
    async (kind, paper) => {
      const bytes = await pdf(`/v1/printables/${kind}.pdf?lang=pl`);
      const info = pdfInfo(bytes);
      expect(info.pages).toBe(1);
      expect(info.width).toBeCloseTo(paper.width, 0);
      expect(info.height).toBeCloseTo(paper.height, 0);
      const text = flat(pdfText(bytes));
      expect(text).toContain('Kawiarnia Żółta Łódź');
      expect(text).toContain('Dołącz do naszego programu lojalnościowego');
      expect(text).toContain('Zbierz 3 pieczątki, a odbierzesz: Darmowa kawa');
      expect(text).toContain('Zeskanuj kod aparatem telefonu');
      const [page] = pdfPages(bytes);
      const faces = kind === 'table-tent' ? [rows(page!, 0, 0.5), rows(page!, 0.5, 1)] : [page!];
      for (const face of faces) expect(decodeQr(face)).toBe(`http://localhost:3000/p/${slug}`);
    },
  );

  it('speaks English when asked, and the shop’s language by default', async () => {
    const en = flat(pdfText(await pdf('/v1/printables/poster.pdf?lang=en')));
    expect(en).toContain('Join our loyalty programme');
    expect(en).toContain('Collect 3 stamps and get: Free coffee');
    expect(en).toContain('Scan the code with your phone camera');
    expect(en).not.toContain('Dołącz');
    const byDefault = flat(pdfText(await pdf('/v1/printables/flyer.pdf')));
    expect(byDefault).toContain('Dołącz do naszego programu lojalnościowego');
  });

  it("leads to the shop's own join page once it has one, in the brand kit's colour", async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/v1/shop',
      headers: bearer(shop.apiKey),
      payload: {
        storefrontJoinUrl: 'https://zolta-lodz.example.pl/dolacz',
        brand: { primaryColor: '#123456' },
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const bytes = await pdf('/v1/printables/poster.pdf?lang=en');
    const [page] = pdfPages(bytes);
    expect(decodeQr(page!)).toBe('https://zolta-lodz.example.pl/dolacz');
    // The band under the logo is the brand's primary colour (poster: 45–101 mm from the top).
    const y = Math.round((70 / 297) * page!.height);
    const at = (y * page!.width + 10) * 4;
    expect([...page!.data.slice(at, at + 3)]).toEqual([0x12, 0x34, 0x56]);
    expect(flat(pdfText(bytes))).toContain('or go to https://zolta-lodz.example.pl/dolacz');
  });

  it('refuses a kind or language it does not know', async () => {
    for (const url of ['/v1/printables/banner.pdf', '/v1/printables/poster.pdf?lang=de']) {
      const res = await t.app.inject({ method: 'GET', url, headers: bearer(shop.apiKey) });
      expectProblem(res, 400);
    }
  });
});

describe.skipIf(!hasPoppler)("a customer's printables", () => {
  it('the loyalty card is ID-1 sized and its QR code stamps the card at a staff device', async () => {
    const bytes = await pdf('/v1/customers/lucja/printables/loyalty-card.pdf?lang=pl');
    const text = flat(pdfText(bytes));
    expect(text).toContain('Karta stałego klienta');
    expect(text).toContain('Łucja Żak');
    expect(text).toContain('Pokaż ten kod przy kasie');
    const payload = decodeQr(pdfPages(bytes)[0]!);
    expect(payload).toMatch(new RegExp(`^LJC1\\.${shop.id}\\.cus_[0-9a-z]+\\.[\\w-]{22}$`));
    // The card number staff can type: Lojal's customer id, printed in groups of four.
    expect(text.replace(/\s/g, '')).toContain(payload!.split('.')[2]!);

    const staff = await createStaff(t, shop, 'Ola');
    const first = await scan(t, staff.token, payload!);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ customerId: 'lucja', card: { stamps: 1 } });
    // Paper cannot change, so the card scans again: the card's daily limit (2) bounds it.
    expect((await scan(t, staff.token, payload!)).statusCode).toBe(201);
    const third = await scan(t, staff.token, payload!);
    expect(third.statusCode).toBe(422);
    expect(third.json().type).toContain('daily-limit-reached');

    const en = flat(pdfText(await pdf('/v1/customers/lucja/printables/loyalty-card.pdf?lang=en')));
    expect(en).toContain('Loyalty card');
    expect(en).toContain('Show this code at the till');
  });

  it("a card's QR code does not stamp at another shop, nor once tampered with", async () => {
    const bytes = await pdf('/v1/customers/lucja/printables/loyalty-card.pdf');
    const payload = decodeQr(pdfPages(bytes)[0]!)!;
    const otherStaff = await createStaff(t, other, 'Kasia');
    const elsewhere = await scan(t, otherStaff.token, payload);
    expect(elsewhere.statusCode).toBe(422);
    expect(elsewhere.json().type).toContain('qr-invalid');
    const staff = await createStaff(t, shop, 'Basia');
    const olek = await t.db
      .selectFrom('customers')
      .select('id')
      .where('shop_id', '=', other.id)
      .executeTakeFirstOrThrow();
    const forged = payload.replace(/cus_[0-9a-z]+/, olek.id);
    const res = await scan(t, staff.token, forged);
    expect(res.statusCode).toBe(422);
    expect(res.json().type).toContain('qr-invalid');
  });

  it("an erased customer's card stops stamping", async () => {
    await send(t, shop, {
      type: 'customer.created',
      id: 'c-zenon',
      data: { id: 'zenon', email: 'zenon@example.com', firstName: 'Zenon' },
    });
    const bytes = await pdf('/v1/customers/zenon/printables/loyalty-card.pdf');
    const payload = decodeQr(pdfPages(bytes)[0]!)!;
    const staff = await createStaff(t, shop, 'Zosia');
    expect((await scan(t, staff.token, payload)).statusCode).toBe(201);
    await t.db
      .updateTable('customers')
      .set({ redacted_at: clock.now() })
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', 'zenon')
      .execute();
    const res = await scan(t, staff.token, payload);
    expect(res.statusCode).toBe(422);
    expect(res.json().type).toContain('qr-invalid');
    const again = await t.app.inject({
      method: 'GET',
      url: '/v1/customers/zenon/printables/loyalty-card.pdf',
      headers: bearer(shop.apiKey),
    });
    expectProblem(again, 404);
  });

  it("the referral flyer carries the customer's own code and the QR code of their link", async () => {
    const code = (await call(t, shop, 'GET', '/v1/customers/lucja')).json().referralCode as string;
    const bytes = await pdf('/v1/customers/lucja/printables/referral-flyer.pdf?lang=pl');
    const info = pdfInfo(bytes);
    expect(info.width).toBeCloseTo(A6.width, 0);
    const text = flat(pdfText(bytes));
    expect(text).toContain('POLEĆ NAS');
    expect(text).toContain('Łucja poleca Ci sklep Kawiarnia Żółta Łódź');
    expect(text).toContain(code);
    expect(decodeQr(pdfPages(bytes)[0]!)).toBe(`http://localhost:3000/r/${slug}/${code}`);
    const en = flat(
      pdfText(await pdf('/v1/customers/lucja/printables/referral-flyer.pdf?lang=en')),
    );
    expect(en).toContain('Łucja recommends Kawiarnia Żółta Łódź');
    expect(en).toContain('Referral code');
  });

  it("another shop's customer is not found", async () => {
    for (const kind of ['loyalty-card', 'referral-flyer']) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/v1/customers/olek/printables/${kind}.pdf`,
        headers: bearer(shop.apiKey),
      });
      expectProblem(res, 404);
    }
  });
});

describe('who may print', () => {
  it("marketers print the shop's materials; support prints customers' cards; analysts neither", async () => {
    const cookies: Record<string, string> = {};
    for (const role of ['marketer', 'support', 'analyst'] as const) {
      const member = await createMember(t, shop.id, role);
      cookies[role] = await signIn(t, member.email);
    }
    const status = async (role: string, url: string) =>
      (await t.app.inject({ method: 'GET', url, headers: asMember(cookies[role]!, shop.id) }))
        .statusCode;
    const poster = '/v1/printables/poster.pdf';
    const card = '/v1/customers/lucja/printables/loyalty-card.pdf';
    expect(await status('marketer', poster)).toBe(200);
    expect(await status('support', poster)).toBe(403);
    expect(await status('support', card)).toBe(200);
    expect(await status('analyst', poster)).toBe(403);
    expect(await status('analyst', card)).toBe(403);
    expect(await status('analyst', '/v1/printables')).toBe(403);
    const list = await t.app.inject({
      method: 'GET',
      url: '/v1/printables',
      headers: asMember(cookies.support!, shop.id),
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().printables).toContainEqual(
      expect.objectContaining({
        kind: 'loyalty-card',
        scope: 'customer',
        page: { widthMm: 210, heightMm: 297 },
        qr: { sizeMm: 36, quietZoneModules: 4, errorCorrection: 'M', leadsTo: 'card' },
      }),
    );
  });
});
