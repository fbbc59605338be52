import { browserTestsRun, CHROMIUM } from '../dashboard/browser-harness.ts';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { freePort } from '../support/server-process.ts';
import { call, orderPaid, send } from '../points/support.ts';
import { DASHBOARD_DIR } from '../../src/app/dashboard-build.ts';
import { ensureWidgetBuilt } from '../../src/app/widget-build.ts';

// Issue 15, item 3, in Chromium: a customer asks for a sign-in link, opens it from the mail,
// sees their balance, downloads their data; the same link a second time is refused; the
// account can be deleted. Polish and English, 1280 and 390 px, axe without serious violations.
const SHOTS = process.env.LOJAL_SHOTS;
const NOW = '2026-12-07T10:00:00Z';

let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let browser: Browser;
let base: string;
let axeSource: string;

async function newPage(locale: 'pl-PL' | 'en-GB', width: number) {
  const context = await browser.newContext({
    locale,
    viewport: { width, height: 860 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const complaints: string[] = [];
  page.on('console', (m) => {
    const text = m.text();
    // The refused second use and a signed-out check answer 4xx on purpose.
    if (/status of 4(01|04|10)/.test(text)) return;
    if (m.type() === 'error' || /Content Security Policy/i.test(text)) complaints.push(text);
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

/** The link of the n-th sign-in mail to the address, read from the shop's outbox. */
async function mailedLink(to: string, n: number): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const mails = await t.db
      .selectFrom('mail_outbox')
      .select('raw')
      .where('shop_id', '=', shop.id)
      .where('to_address', '=', to)
      .orderBy('created_at')
      .orderBy('message_id')
      .execute();
    if (mails.length >= n) {
      const raw = mails[n - 1]!.raw.replace(/=\r\n/g, '').replace(/=3D/g, '=');
      const found = /(https?:\/\/[^\s"<]+\/p\/[\w-]+\/enter#[\w-]+)/.exec(raw);
      if (found) return found[1]!;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no sign-in mail ${n} to ${to}`);
}

const WORDS = {
  'pl-PL': {
    send: 'Wyślij link',
    email: 'Adres e-mail',
    sent: /Jeśli ten adres jest w programie/,
    heading: 'Twoje konto',
    hello: 'Cześć, Ania!',
    points: (n: number) =>
      `${new Intl.NumberFormat('pl').format(n)}\u00a0${
        { one: 'punkt', few: 'punkty', many: 'punktów', other: 'punktu' }[
          new Intl.PluralRules('pl').select(n) as 'one'
        ]
      }`,
    used: 'Ten link został już użyty — poproś o nowy.',
    askAgain: 'Poproś o nowy link',
    download: 'Pobierz moje dane (JSON)',
    preferences: 'Ustawienia wiadomości (zgody)',
  },
  'en-GB': {
    send: 'Send the link',
    email: 'E-mail address',
    sent: /If this address is in the programme/,
    heading: 'Your account',
    hello: 'Hi, Ania!',
    points: (n: number) =>
      `${new Intl.NumberFormat('en').format(n)}\u00a0${n === 1 ? 'point' : 'points'}`,
    used: 'This link was already used — ask for a new one.',
    askAgain: 'Ask for a new link',
    download: 'Download my data (JSON)',
    preferences: 'Message preferences (consents)',
  },
};

beforeAll(async () => {
  if (!browserTestsRun) return;
  await ensureWidgetBuilt({ info: () => {} });
  axeSource = await readFile(
    createRequire(path.join(DASHBOARD_DIR, 'package.json')).resolve('axe-core/axe.min.js'),
    'utf8',
  );
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  t = await createTestApp({ clock: fixedClock(NOW), config: { publicUrl: base } });
  shop = await createTestShop(t, 'Palarnia Kawy');
  await send(
    t,
    shop,
    orderPaid(
      'o-1',
      { id: 'ania', email: 'ania@example.pl', firstName: 'Ania' },
      '2026-12-01T10:00:00Z',
      { total: 12_300 },
    ),
    orderPaid(
      'o-2',
      { id: 'jan', email: 'jan@example.pl', firstName: 'Jan' },
      '2026-12-01T11:00:00Z',
      {
        total: 5_000,
      },
    ),
  );
  const adjusted = await call(t, shop, 'POST', '/v1/customers/ania/adjustments', {
    points: 1250,
    reason: 'powitanie',
  });
  expect(adjusted.statusCode, adjusted.body).toBe(201);
  await t.app.listen({ port, host: '127.0.0.1' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
}, 60_000);

afterAll(async () => {
  if (!browserTestsRun) return;
  await browser?.close();
  await t?.close();
});

async function available(customerId: string): Promise<number> {
  const res = await call(t, shop, 'GET', `/v1/customers/${customerId}`);
  return res.json().points.available as number;
}

let mails = 0;
const cases = [
  { locale: 'pl-PL' as const, width: 390 },
  { locale: 'en-GB' as const, width: 1280 },
  { locale: 'pl-PL' as const, width: 1280 },
  { locale: 'en-GB' as const, width: 390 },
];

describe.skipIf(!browserTestsRun)('the customer portal in Chromium', () => {
  for (const c of cases) {
    it(`${c.locale} at ${c.width} px: sign in by the mailed link once, see the balance; the link a second time is refused`, async () => {
      const w = WORDS[c.locale];
      const name = `portal-${c.locale.slice(0, 2)}-${c.width}`;
      const { context, page, complaints } = await newPage(c.locale, c.width);
      try {
        await page.goto(`${base}/p/${shop.slug}`);
        await page.getByLabel(w.email).fill('ania@example.pl');
        expect(await seriousViolations(page)).toEqual([]);
        await shot(page, `${name}-sign-in`);
        await page.getByRole('button', { name: w.send }).click();
        await expect.poll(() => page.locator('#sign-in-status').textContent()).toMatch(w.sent);
        await shot(page, `${name}-sent`);

        mails += 1;
        const link = await mailedLink('ania@example.pl', mails);
        expect(link.startsWith(`${base}/p/${shop.slug}/enter#`)).toBe(true);
        await page.goto(link);
        await page.waitForURL(`${base}/p/${shop.slug}`);
        await expect
          .poll(() => page.getByRole('heading', { level: 1 }).textContent())
          .toBe(w.heading);
        // The programme is the widget's panel in page mode (in its own shadow root).
        await page.getByText(w.hello).waitFor();
        expect(await page.locator('#portal-panel').evaluate((e) => e.shadowRoot !== null)).toBe(
          true,
        );
        const balance = await available('ania');
        expect(balance).toBeGreaterThan(0);
        const shown = await page.locator('.balance').textContent();
        expect(shown?.replace(/\u00a0/g, ' ')).toBe(w.points(balance).replace(/\u00a0/g, ' '));
        // The portal token lives in sessionStorage only: no cookie, nothing in localStorage.
        const storage = await page.evaluate(() => ({
          session: Object.keys(sessionStorage),
          local: Object.keys(localStorage),
          cookie: document.cookie,
        }));
        expect(storage).toEqual({ session: [`lojal-portal:${shop.id}`], local: [], cookie: '' });
        expect((await context.cookies()).length).toBe(0);
        expect(page.url()).not.toContain('#');
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        expect(overflow).toBeLessThanOrEqual(0);
        expect(await seriousViolations(page)).toEqual([]);
        await shot(page, `${name}-panel`);

        // "Download my data": a JSON file with the customer's own data.
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('button', { name: w.download }).click(),
        ]);
        const file = JSON.parse(await readFile((await download.path())!, 'utf8')) as {
          customerId: string;
        };
        expect(file.customerId).toBe('ania');
        expect(await page.getByRole('link', { name: w.preferences }).count()).toBe(1);

        // The same link again (another tab): refused, with the way to ask for a new one.
        const again = await context.newPage();
        await again.goto(link);
        await expect
          .poll(() => again.getByRole('heading', { level: 1 }).textContent())
          .toBe(w.used);
        expect(await again.getByRole('link', { name: w.askAgain }).isVisible()).toBe(true);
        expect(await seriousViolations(again)).toEqual([]);
        await shot(again, `${name}-used`);
        expect(complaints).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it("shows the programme with the page's own script when the widget cannot load", async () => {
    const { context, page, complaints } = await newPage('pl-PL', 390);
    try {
      await page.route('**/widget.js', (route) => route.fulfill({ status: 503, body: '' }));
      await page.goto(`${base}/p/${shop.slug}`);
      await page.getByLabel('Adres e-mail').fill('ania@example.pl');
      await page.getByRole('button', { name: 'Wyślij link' }).click();
      mails += 1;
      await page.goto(await mailedLink('ania@example.pl', mails));
      await page.getByText('Cześć, Ania!').waitFor();
      const balance = await available('ania');
      expect(await page.locator('.balance').textContent()).toBe(WORDS['pl-PL'].points(balance));
      expect(await page.getByText(/^Dostępne od .*: 123\spunkty$/).count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);
      await shot(page, 'portal-pl-390-panel-without-widget');
      expect(complaints.filter((c) => !/503/.test(c))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('deletes the account after a confirmation step', async () => {
    const { context, page, complaints } = await newPage('pl-PL', 390);
    try {
      await page.goto(`${base}/p/${shop.slug}`);
      await page.getByLabel('Adres e-mail').fill('jan@example.pl');
      await page.getByRole('button', { name: 'Wyślij link' }).click();
      await page.goto(await mailedLink('jan@example.pl', 1));
      await page.getByText('Cześć, Jan!').waitFor();

      await page.getByRole('button', { name: 'Usuń moje konto' }).click();
      await expect.poll(() => page.getByText(/Tego nie da się cofnąć/).isVisible()).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      await shot(page, 'portal-pl-390-delete-confirm');
      await page.getByRole('button', { name: 'Tak, usuń moje konto' }).click();
      await expect
        .poll(() => page.getByRole('status').first().textContent())
        .toMatch(/Przyjęliśmy prośbę o usunięcie konta/);
      await shot(page, 'portal-pl-390-deleted');
      expect(await page.evaluate(() => Object.keys(sessionStorage))).toEqual([]);
      await t.processor.drain();
      const row = await t.db
        .selectFrom('customers')
        .select(['email', 'redacted_at'])
        .where('shop_id', '=', shop.id)
        .where('external_id', '=', 'jan')
        .executeTakeFirstOrThrow();
      expect(row.email).toBeNull();
      expect(row.redacted_at).not.toBeNull();
      expect(complaints).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('takes the customer to the message preferences page', async () => {
    const { context, page } = await newPage('en-GB', 1280);
    try {
      await page.goto(`${base}/p/${shop.slug}`);
      await page.getByLabel('E-mail address').fill('ania@example.pl');
      await page.getByRole('button', { name: 'Send the link' }).click();
      mails += 1;
      await page.goto(await mailedLink('ania@example.pl', mails));
      await page.getByText('Hi, Ania!').waitFor();
      await page.getByRole('link', { name: 'Message preferences (consents)' }).click();
      await page.waitForURL((url) => url.pathname.startsWith('/m/p/'));
      expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
      await shot(page, 'portal-en-1280-preferences');
    } finally {
      await context.close();
    }
  });
});
