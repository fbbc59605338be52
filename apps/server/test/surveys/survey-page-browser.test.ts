import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, type TestApp } from '../support/app.ts';
import { addCustomer, call } from '../messaging-api/support.ts';
import { orderPaid, send } from '../points/support.ts';

// The survey page in a real browser (Debian's Chromium): the person's one click in the e-mail
// answers, because the page posts the score itself; without JavaScript the button does.
const CHROMIUM = '/usr/bin/chromium';
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let browser: Browser;
let base: string;

const answerOf = (requestId: string) =>
  t.db
    .selectFrom('survey_answers')
    .select('score')
    .where('request_id', '=', requestId)
    .executeTakeFirst();

async function ask(customerId: string) {
  const res = await call(t, shop, 'POST', '/v1/survey-requests', { customerId, kind: 'nps' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { requestId: string; answerUrls: string[] };
}
const local = (url: string) => `${base}${new URL(url).pathname}`;

/** What Chromium reports about the page: Content-Security-Policy violations, script errors. */
function complaintsOf(page: Page): string[] {
  const complaints: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text()))
      complaints.push(message.text());
  });
  page.on('pageerror', (error) => complaints.push(error.message));
  return complaints;
}

/** Opens a public page, checking it came with its strict policy. */
async function open(page: Page, url: string) {
  const response = await page.goto(url);
  expect(response?.status()).toBe(200);
  const policy = response?.headers()['content-security-policy'] ?? '';
  expect(policy).toContain("default-src 'none'");
  expect(policy).toMatch(/script-src 'sha256-/);
  expect(policy).not.toContain('unsafe-inline');
}

// Under scripts/test-awkward-dates.sh libfaketime would fake the browser's clock as well.
describe.skipIf(!existsSync(CHROMIUM) || process.env.FAKETIME !== undefined)(
  'the survey page in a browser',
  () => {
    beforeAll(async () => {
      t = await createTestApp();
      shop = await createTestShop(t, 'Sklep Ziutki');
      await addCustomer(t, shop, { id: 'ola' });
      await addCustomer(t, shop, { id: 'jan' });
      await send(
        t,
        shop,
        orderPaid('o-1', 'ola', '2026-03-30T10:00:00Z', {
          total: 5000,
          lines: [{ productId: 'kubek', quantity: 1, price: 5000 }],
        }),
      );
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu'],
      });
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await t?.close();
    });

    it('records the score of the link a person clicked, with no further tap', async () => {
      const survey = await ask('ola');
      const page = await browser.newPage();
      const complaints = complaintsOf(page);
      await open(page, local(survey.answerUrls[9]!));
      await page.getByText('Zapisaliśmy Twoją ocenę: 9/10.').waitFor();
      expect(await answerOf(survey.requestId)).toEqual({ score: 9 });
      // The comment form of the answered page is there to use.
      await page.getByLabel('Chcesz coś dodać? (nieobowiązkowo)').fill('Szybka dostawa');
      await page.getByRole('button', { name: 'Wyślij' }).click();
      await page.getByText('Dziękujemy za komentarz').waitFor();
      // The page's script, style and forms all ran under its Content-Security-Policy.
      expect(complaints).toEqual([]);
      await page.close();
    }, 30_000);

    it('asks for one tap when JavaScript is off, and records only then', async () => {
      const survey = await ask('jan');
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      const complaints = complaintsOf(page);
      await open(page, local(survey.answerUrls[4]!));
      await page.getByRole('button', { name: 'Zapisz ocenę 4/10' }).waitFor();
      expect(await answerOf(survey.requestId)).toBeUndefined();
      await page.getByRole('button', { name: 'Zapisz ocenę 4/10' }).click();
      await page.getByText('Zapisaliśmy Twoją ocenę: 4/10.').waitFor();
      expect(await answerOf(survey.requestId)).toEqual({ score: 4 });
      expect(complaints).toEqual([]);
      await context.close();
    }, 30_000);

    it('shows the review and preferences pages with nothing refused by their policy', async () => {
      const review = await call(t, shop, 'POST', '/v1/review-requests', {
        customerId: 'ola',
        orderId: 'o-1',
      });
      expect(review.statusCode, review.body).toBe(201);
      const preferences = await call(t, shop, 'GET', '/v1/customers/ola/preferences-link');
      expect(preferences.statusCode, preferences.body).toBe(200);
      const page = await browser.newPage();
      const complaints = complaintsOf(page);
      await open(page, local(review.json().url));
      // The photo script ran: choosing a file fills the hidden field with its data URL.
      const png = Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
        'base64',
      );
      await page
        .locator('input[type=file]')
        .first()
        .setInputFiles({ name: 'a.png', mimeType: 'image/png', buffer: png });
      await expect
        .poll(() => page.locator('input[name=photo]').first().inputValue())
        .toMatch(/^data:image\/png;base64,/);
      await open(page, local(preferences.json().url));
      await page.getByRole('button').first().click();
      await page.waitForLoadState();
      expect(complaints).toEqual([]);
      await page.close();
    }, 30_000);
  },
);
