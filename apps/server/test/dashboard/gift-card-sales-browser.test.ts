import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, copyFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createMember } from '../support/accounts.ts';
import type { TestApp } from '../support/app.ts';
import { call } from '../points/support.ts';
import { hasPoppler } from '../printables/pdf-reading.ts';
import { printBrand } from '../../src/printables/print-brand.ts';
import { renderVoucher } from '../../src/gift-cards/voucher-pdf.ts';
import { browserTestsRun, startHarness, takingShots, type Harness } from './browser-harness.ts';

// Gift cards customers buy, in Chromium: the owner marks a product as a gift card and reads the
// liability report on the gift card page; a holder checks a card on the public balance page,
// phone-sized, in Polish and English.
const NOW = '2027-01-20T09:00:00Z';

let h: Harness;
let t: TestApp;
let base: string;
let shop: Harness['shop'];
let owner: { email: string };
let card: { code: string; pin: string };

async function openGiftCards(page: Page) {
  await h.signInAs(page, owner.email);
  await page.getByRole('heading', { level: 1, name: /^(Home|Pulpit)$/ }).waitFor();
  await page.goto(`${base}/admin/gift-cards`);
  await page.getByTestId('gift-card-products').waitFor();
}

describe.skipIf(!browserTestsRun)('gift cards customers buy, in a browser', () => {
  beforeAll(async () => {
    h = await startHarness({
      now: NOW,
      shopName: 'Kawiarnia Żółta Łódź',
      seed: async (app, s) => {
        await call(app, s, 'PUT', '/v1/gift-card-products/632910392', {
          amounts: 'fixed',
          variantAmounts: { '808950810': 10000, '808950811': 20000 },
          validMonths: 12,
        });
        const issued = await call(app, s, 'POST', '/v1/gift-cards', {
          amount: 15000,
          currency: 'PLN',
          expiresAt: '2027-12-31T22:59:59Z',
        });
        card = issued.json() as { code: string; pin: string };
        await call(app, s, 'POST', `/v1/gift-cards/${card.code}/spends`, {
          amount: 2550,
          currency: 'PLN',
        });
      },
    });
    ({ t, base, shop } = h);
    owner = await createMember(t, shop.id, 'owner', 'wlasciciel@zolta.pl');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('the owner marks a product as a gift card and reads the liability report', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await openGiftCards(page);
    const form = page.getByTestId('gift-card-product-form');
    await form.getByLabel(/^Product id in your shop/).fill('777');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('gift-card-products').getByText('777', { exact: true }).waitFor();
    const listed = (await call(t, shop, 'GET', '/v1/gift-card-products')).json() as {
      data: Array<{ productId: string; amounts: string }>;
    };
    expect(listed.data.map((p) => [p.productId, p.amounts])).toEqual([
      ['632910392', 'fixed'],
      ['777', 'any'],
    ]);
    const report = page.getByTestId('gift-card-report-PLN');
    // 150.00 issued, 25.50 spent: 124.50 outstanding.
    expect(await report.innerText()).toContain('124.50');
    expect(await h.seriousViolations(page)).toEqual([]);
    expect(complaints).toEqual([]);
    await context.close();
  }, 60_000);

  it('a holder checks the balance on a phone; a wrong PIN says only that it is wrong', async () => {
    const { context, page, complaints } = await h.newPage('pl-PL', 390);
    await page.goto(`${base}/g/${shop.slug}`);
    await page.getByLabel('Kod karty').fill(card.code);
    await page.getByLabel('PIN').fill(card.pin === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Sprawdź saldo' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toContain('Kod lub PIN są nieprawidłowe');
    await page.getByLabel('Kod karty').fill(card.code);
    await page.getByLabel('PIN').fill(card.pin);
    await page.getByRole('button', { name: 'Sprawdź saldo' }).click();
    await page.getByRole('heading', { level: 2, name: /^Saldo:/ }).waitFor();
    expect(await page.locator('main').innerText()).toContain('124,50');
    expect(await h.seriousViolations(page)).toEqual([]);
    expect(complaints).toEqual([]);
    await context.close();
  }, 60_000);

  it.skipIf(!takingShots)(
    'screenshots in both languages at two widths, and the voucher as a picture',
    async () => {
      const dir = process.env.LOJAL_SHOTS!;
      for (const [locale, lang] of [
        ['en-GB', 'en'],
        ['pl-PL', 'pl'],
      ] as const) {
        for (const width of [1280, 390]) {
          const { context, page } = await h.newPage(locale, width);
          await openGiftCards(page);
          await page.getByTestId('gift-card-report-PLN').waitFor();
          await h.shot(page, `gift-cards-${lang}-${width}`);
          await page.goto(`${base}/g/${shop.slug}?lang=${lang}`);
          await page.locator('#code').fill(card.code);
          await page.locator('#pin').fill(card.pin);
          await page.locator('button[type=submit]').click();
          await page.locator('section h2').first().waitFor();
          await h.shot(page, `balance-page-${lang}-${width}`);
          await context.close();
        }
        if (hasPoppler) {
          const pdf = await renderVoucher(
            {
              brand: printBrand({
                shopName: shop.name,
                primary: '#7b2d8e',
                accent: null,
                logo: null,
              }),
              amount: lang === 'pl' ? '150,00 zł' : 'PLN 150.00',
              code: card.code,
              pin: card.pin,
              recipientName: 'Zofia Źdźbło-Wąsowicz',
              message:
                lang === 'pl'
                  ? 'Wszystkiego najlepszego z okazji urodzin! Kawa na mój koszt.'
                  : 'Happy birthday! The coffee is on me.',
              validUntil: lang === 'pl' ? '31 grudnia 2027' : '31 December 2027',
              balanceUrl: `${base}/g/${shop.slug}`,
            },
            lang,
          );
          const work = mkdtempSync(path.join(tmpdir(), 'voucher-'));
          try {
            writeFileSync(path.join(work, 'voucher.pdf'), pdf);
            execFileSync('pdftoppm', [
              '-r',
              '150',
              '-png',
              path.join(work, 'voucher.pdf'),
              path.join(work, 'page'),
            ]);
            const png = readdirSync(work).find((f) => f.endsWith('.png'))!;
            copyFileSync(path.join(work, png), path.join(dir, `voucher-${lang}.png`));
          } finally {
            rmSync(work, { recursive: true, force: true });
          }
        }
      }
    },
    // eight page loads and two PDF renders: minutes on a busy shared machine
    300_000,
  );
});
