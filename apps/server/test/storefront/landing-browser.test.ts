import { browserTestsRun, CHROMIUM } from '../dashboard/browser-harness.ts';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { freePort } from '../support/server-process.ts';
import { call } from '../points/support.ts';
import { codeOf, signUp } from '../referrals/support.ts';
import { DASHBOARD_DIR } from '../../src/app/dashboard-build.ts';

// Issue 15, item 4, in Chromium: a friend opens Ania's link, copies the code and continues to
// the shop, which receives the attribution parameters. Polish and English, 1280 and 390 px.
const SHOTS = process.env.LOJAL_SHOTS;
const NOW = '2026-12-07T10:00:00Z';

let t: TestApp;
let browser: Browser;
let storefront: Server;
let storefrontUrl: string;
let base: string;
let code: string;
let axeSource: string;

async function newPage(locale: 'pl-PL' | 'en-GB', width: number) {
  const context = await browser.newContext({
    locale,
    viewport: { width, height: 800 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  const complaints: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text()))
      complaints.push(m.text());
  });
  page.on('pageerror', (e) => complaints.push(e.message));
  return { context, page, complaints };
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: object) => Promise<unknown> } }).axe;
    return (await axe.run({ resultTypes: ['violations'] })) as {
      violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
    };
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  if (!browserTestsRun) return;
  axeSource = await readFile(
    createRequire(path.join(DASHBOARD_DIR, 'package.json')).resolve('axe-core/axe.min.js'),
    'utf8',
  );
  // The shop's storefront: a page on another origin that shows the address it was opened with.
  const shopPort = await freePort();
  storefront = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(
      `<!doctype html><html lang="pl"><title>Palarnia Kawy</title><h1>Sklep</h1><p id="url">${request.url}</p>`,
    );
  });
  await new Promise<void>((resolve) => storefront.listen(shopPort, '127.0.0.1', resolve));
  storefrontUrl = `http://127.0.0.1:${shopPort}/sklep`;

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  t = await createTestApp({ clock: fixedClock(NOW), config: { publicUrl: base } });
  const shop = await createTestShop(t, 'Palarnia Kawy');
  await call(t, shop, 'PUT', '/v1/referrals/storefront', {
    storefrontUrl: 'https://palarnia.example.pl/',
  });
  // The test storefront is on 127.0.0.1, which the API refuses as a storefront: set directly.
  await t.db
    .updateTable('shops')
    .set({ storefront_url: storefrontUrl })
    .where('id', '=', shop.id)
    .execute();
  const created = await call(t, shop, 'POST', '/v1/referral-campaigns', {
    name: 'Poleć kawę',
    settings: { friendDiscount: { kind: 'fixed', amount: 1500 }, minOrderValue: 5000 },
  });
  expect(created.statusCode, created.body).toBe(201);
  await signUp(t, shop, 'ania', { firstName: 'Ania' });
  code = await codeOf(t, shop, 'ania');
  await t.app.listen({ port, host: '127.0.0.1' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
}, 60_000);

afterAll(async () => {
  if (!browserTestsRun) return;
  await browser?.close();
  await new Promise((resolve) => storefront?.close(resolve));
  await t?.close();
});

const cases = [
  {
    locale: 'pl-PL' as const,
    heading: 'Ania poleca Ci sklep Palarnia Kawy',
    offer: /15\sz\u0142 na pierwsze zam\u00f3wienie/,
    copy: 'Kopiuj kod',
    copied: 'Skopiowano kod do schowka.',
    go: 'Przejdź do sklepu',
  },
  {
    locale: 'en-GB' as const,
    heading: 'Ania recommends Palarnia Kawy',
    offer: /PLN\s15 off your first order/,
    copy: 'Copy the code',
    copied: 'The code is copied to the clipboard.',
    go: 'Continue to the shop',
  },
];

describe.skipIf(!browserTestsRun)('the referral landing page in Chromium', () => {
  for (const c of cases) {
    for (const width of [1280, 390]) {
      it(`${c.locale} at ${width} px: copy the code, then continue to the shop with the attribution`, async () => {
        const { context, page, complaints } = await newPage(c.locale, width);
        try {
          await page.goto(`${base}/r/palarnia-kawy/${code}`);
          await expect
            .poll(() => page.getByRole('heading', { level: 1 }).textContent())
            .toBe(c.heading);
          expect(await page.locator('.offer').textContent()).toMatch(c.offer);
          // Nothing wider than the screen at phone width.
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - window.innerWidth,
          );
          expect(overflow).toBeLessThanOrEqual(0);
          expect(await seriousViolations(page)).toEqual([]);
          await shot(page, `landing-${c.locale.slice(0, 2)}-${width}`);

          await page.getByRole('button', { name: c.copy }).click();
          await expect.poll(() => page.getByRole('status').textContent()).toBe(c.copied);
          expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
          await shot(page, `landing-${c.locale.slice(0, 2)}-${width}-copied`);

          await page.getByRole('link', { name: c.go }).click();
          await page.waitForURL((url) => url.pathname === '/sklep');
          const landed = new URL(page.url());
          expect(landed.origin + landed.pathname).toBe(storefrontUrl);
          expect(landed.searchParams.get('lojal_ref')).toBe(code);
          const visitId = landed.searchParams.get('lojal_visit');
          const visit = await t.db
            .selectFrom('referral_visits')
            .select(['client_address', 'user_agent'])
            .where('id', '=', visitId!)
            .executeTakeFirst();
          expect(visit?.client_address).toBe('127.0.0.1');
          expect(visit?.user_agent).toContain('Chrome');
          expect(complaints).toEqual([]);
        } finally {
          await context.close();
        }
      });
    }
  }

  it('counts one visit for the browser however often it opens the link', async () => {
    const { context, page } = await newPage('pl-PL', 390);
    try {
      const count = async () =>
        (await t.db.selectFrom('referral_visits').select('id').execute()).length;
      await page.goto(`${base}/r/palarnia-kawy/${code}`);
      const before = await count();
      await page.reload();
      await page.goto(`${base}/r/${code}`);
      expect(await count()).toBe(before);
    } finally {
      await context.close();
    }
  });
});
