import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, type TestApp } from '../support/app.ts';
import { addCustomer, call } from '../messaging-api/support.ts';

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

// Under scripts/test-awkward-dates.sh libfaketime would fake the browser's clock as well.
describe.skipIf(!existsSync(CHROMIUM) || process.env.FAKETIME !== undefined)(
  'the survey page in a browser',
  () => {
    beforeAll(async () => {
      t = await createTestApp();
      shop = await createTestShop(t, 'Sklep Ziutki');
      await addCustomer(t, shop, { id: 'ola' });
      await addCustomer(t, shop, { id: 'jan' });
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
      await page.goto(local(survey.answerUrls[9]!));
      await page.getByText('Zapisaliśmy Twoją ocenę: 9/10.').waitFor();
      expect(await answerOf(survey.requestId)).toEqual({ score: 9 });
      // The comment form of the answered page is there to use.
      await page.getByLabel('Chcesz coś dodać? (nieobowiązkowo)').fill('Szybka dostawa');
      await page.getByRole('button', { name: 'Wyślij' }).click();
      await page.getByText('Dziękujemy za komentarz').waitFor();
      await page.close();
    }, 30_000);

    it('asks for one tap when JavaScript is off, and records only then', async () => {
      const survey = await ask('jan');
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(local(survey.answerUrls[4]!));
      await page.getByRole('button', { name: 'Zapisz ocenę 4/10' }).waitFor();
      expect(await answerOf(survey.requestId)).toBeUndefined();
      await page.getByRole('button', { name: 'Zapisz ocenę 4/10' }).click();
      await page.getByText('Zapisaliśmy Twoją ocenę: 4/10.').waitFor();
      expect(await answerOf(survey.requestId)).toEqual({ score: 4 });
      await context.close();
    }, 30_000);
  },
);
