import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { PASSWORD } from '../support/accounts.ts';
import { freePort } from '../support/server-process.ts';
import { DASHBOARD_DIR, ensureDashboardBuilt } from '../../src/app/dashboard-build.ts';
import type { Config } from '../../src/config.ts';

/**
 * What every browser test of the dashboard shares: the real app on a real database, listening
 * on a port of its own (the instance's public URL, so cookie writes pass the Origin check), the
 * dashboard built once per run, and Debian's Chromium with the browser's clock at the test's
 * "now". One file per page area: each starts its own harness in `beforeAll`.
 */
export const CHROMIUM = '/usr/bin/chromium';
/**
 * Browser tests run where Chromium is installed, not under a faked clock (libfaketime), and not
 * when LOJAL_BROWSER_TESTS=0 (the Node.js 22 pass: pages are tested once, on Node.js 20).
 */
export const browserTestsRun =
  existsSync(CHROMIUM) &&
  process.env.FAKETIME === undefined &&
  process.env.LOJAL_BROWSER_TESTS !== '0';
// Screenshots for a person to look at (LOJAL_SHOTS=/tmp/dashboard-shots): both languages, two widths.
const SHOTS = process.env.LOJAL_SHOTS;
export const takingShots = SHOTS !== undefined;

export type Shop = Awaited<ReturnType<typeof createTestShop>>;

/** One language at one width, signed in and on Home: what a screenshot walk is given. */
export interface ShotView {
  page: Page;
  locale: 'en-GB' | 'pl-PL';
  lang: 'en' | 'pl';
  width: number;
  complaints: string[];
  /** A full-page screenshot named `<name>-<lang>-<width>.png` (when LOJAL_SHOTS is set). */
  shot(name: string): Promise<void>;
}

export interface Harness {
  t: TestApp;
  shop: Shop;
  /** `http://127.0.0.1:<port>`: the instance's public URL. */
  base: string;
  browser: Browser;
  /** A fresh browser profile in a language and width. */
  newPage(
    locale: 'en-GB' | 'pl-PL',
    width?: number,
  ): Promise<{ context: BrowserContext; page: Page; complaints: string[] }>;
  signInAs(page: Page, email: string, password?: string): Promise<void>;
  /** axe-core's serious and critical violations on the page as it is now. */
  seriousViolations(page: Page): Promise<string[]>;
  /** A full-page screenshot when LOJAL_SHOTS names a folder; nothing otherwise. */
  shot(page: Page, name: string): Promise<void>;
  /**
   * English and Polish, each at 1280 and 390 px: a fresh profile signed in as `email` and on
   * Home, handed to `walk`; the profile is closed after each, also when `walk` fails.
   */
  inEachLanguageAndWidth(email: string, walk: (view: ShotView) => Promise<void>): Promise<void>;
  /** The address of the newest link mailed to this person (account_mail: no SMTP in tests). */
  mailedLink(to: string, route: string): Promise<string>;
  close(): Promise<void>;
}

/** What Chromium complains about: CSP violations, script errors (a signed-out 401 is normal). */
function complaintsOf(page: Page): string[] {
  const complaints: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (/status of 401/.test(text)) return;
    if (message.type() === 'error' || /Content Security Policy/i.test(text)) complaints.push(text);
  });
  page.on('pageerror', (error) => complaints.push(error.message));
  return complaints;
}

/**
 * Starts the app at `now` with one shop (`shopName`), lets `seed` fill it, listens, and opens
 * Chromium.
 */
export async function startHarness(options: {
  now: string;
  shopName: string;
  seed?: (t: TestApp, shop: Shop) => Promise<void>;
  /** More settings of the app (a platform fake on 127.0.0.1 needs platformPrivateNetworks). */
  config?: Partial<Config>;
  /** More Chromium switches (a fake camera for the staff app). */
  browserArgs?: string[];
}): Promise<Harness> {
  await ensureDashboardBuilt({ info: () => {} });
  const axeSource = await readFile(
    createRequire(path.join(DASHBOARD_DIR, 'package.json')).resolve('axe-core/axe.min.js'),
    'utf8',
  );
  const clock = fixedClock(options.now);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t = await createTestApp({ clock, config: { ...options.config, publicUrl: base } });
  const shop = await createTestShop(t, options.shopName);
  await options.seed?.(t, shop);
  await t.app.listen({ port, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', ...(options.browserArgs ?? [])],
  });

  const harness: Harness = {
    t,
    shop,
    base,
    browser,
    async newPage(locale, width = 1280) {
      const context = await browser.newContext({ locale, viewport: { width, height: 900 } });
      const page = await context.newPage();
      await page.clock.setFixedTime(new Date(options.now));
      return { context, page, complaints: complaintsOf(page) };
    },
    async signInAs(page, email, password = PASSWORD) {
      await page.goto(`${base}/admin/`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
      await page.getByLabel(/^(E-mail)/).fill(email);
      await page.getByLabel(/^(Password|Hasło)/).fill(password);
      await page.getByRole('button', { name: /^(Sign in|Zaloguj)$/ }).click();
    },
    async seriousViolations(page) {
      // Judged at rest: a dialog fading in has colours between its states, which axe would
      // measure (CSS transitions and animations are both in getAnimations()).
      // (Endless ones, a spinner, never finish: they are left alone.)
      await page.evaluate(() =>
        Promise.all(
          document
            .getAnimations()
            .filter((a) => a.effect?.getTiming().iterations !== Infinity)
            .map((a) => a.finished.catch(() => undefined)),
        ),
      );
      // Evaluated through DevTools, so the page's CSP stays as it is.
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
    },
    async shot(page, name) {
      if (!SHOTS) return;
      await mkdir(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    },
    async inEachLanguageAndWidth(email, walk) {
      const views = [
        ['en-GB', 'en'],
        ['pl-PL', 'pl'],
      ] as const;
      for (const [locale, lang] of views) {
        for (const width of [1280, 390]) {
          const { context, page, complaints } = await harness.newPage(locale, width);
          try {
            await harness.signInAs(page, email);
            await page.getByRole('heading', { name: /^(Home|Pulpit)$/, level: 1 }).waitFor();
            const shot = (name: string) => harness.shot(page, `${name}-${lang}-${width}`);
            await walk({ page, locale, lang, width, complaints, shot });
          } finally {
            await context.close();
          }
        }
      }
    },
    async mailedLink(to, route) {
      for (let i = 0; i < 100; i++) {
        const mail = await t.db
          .selectFrom('account_mail')
          .select('raw')
          .where('to_address', '=', to)
          .orderBy('id', 'desc')
          .executeTakeFirst();
        const raw = mail?.raw.replace(/=\r\n/g, '').replace(/=3D/g, '=');
        const token = raw ? new RegExp(`/admin/${route}\\?token=([\\w.%-]+)`).exec(raw)?.[1] : null;
        if (token) return `${base}/admin/${route}?token=${token}`;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no ${route} mail to ${to}`);
    },
    async close() {
      await browser.close();
      await t.close();
    },
  };
  return harness;
}

/**
 * The statuses of requests the signed-in page itself sends, one after another, with its session
 * cookie and the shop header: what a person's own browser gets when the page hides a button.
 */
export async function statusesFromPage(
  page: Page,
  shopId: string,
  requests: { method: string; path: string; body?: unknown }[],
): Promise<number[]> {
  return page.evaluate(
    async ({ shopId, requests }) => {
      const statuses: number[] = [];
      for (const { method, path, body } of requests) {
        const response = await fetch(path, {
          method,
          headers: { 'content-type': 'application/json', 'lojal-shop': shopId },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        statuses.push(response.status);
      }
      return statuses;
    },
    { shopId, requests },
  );
}
