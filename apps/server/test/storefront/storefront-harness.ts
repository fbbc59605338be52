import { mkdir, readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { freePort } from '../support/server-process.ts';
import { browserTestsRun, CHROMIUM } from '../dashboard/browser-harness.ts';
import { DASHBOARD_DIR } from '../../src/app/dashboard-build.ts';
import { ensureWidgetBuilt } from '../../src/app/widget-build.ts';
import { startHostPage } from './host-page.ts';

export { browserTestsRun, CHROMIUM };
export type Shop = Awaited<ReturnType<typeof createTestShop>>;

/**
 * What every browser test of the storefront widget shares: the real app on a real database on
 * a port of its own (Lojal's origin), the widget built once, a shop's static storefront page on
 * another port (another origin: CORS is used for real), and Debian's Chromium with the
 * browser's clock at the test's "now". One file per area: each starts its own harness.
 *
 * Screenshots go to LOJAL_SHOTS (e.g. /tmp/shots-widget) when it is set.
 */
export interface StorefrontHarness {
  t: TestApp;
  shop: Shop;
  /** Lojal's public URL, `http://127.0.0.1:<port>`. */
  base: string;
  /** The shop's storefront page's origin (declared in the shop's storefrontOrigins). */
  shopOrigin: string;
  browser: Browser;
  /** The storefront page's address for these options (see host-page.ts). */
  pageUrl(options?: PageOptions): string;
  /**
   * A fresh browser profile (its language, width, Warsaw time, clipboard allowed for the shop's
   * origin) on the storefront page. Returns Chromium's complaints (script errors) as they come.
   */
  openShop(
    options?: PageOptions & { width?: number; browserLocale?: 'pl-PL' | 'en-GB' },
  ): Promise<{ context: BrowserContext; page: Page; complaints: string[] }>;
  /** The launcher button (inside its shadow root), once it is shown. */
  launcher(page: Page): Locator;
  /** The panel's dialog (inside its shadow root). */
  panel(page: Page): Locator;
  /** Opens the panel with the launcher and waits until its content has loaded. */
  openPanel(page: Page): Promise<Locator>;
  /** axe-core's serious and critical violations inside the widget's shadow roots. */
  widgetViolations(page: Page): Promise<string[]>;
  /** A screenshot (the viewport: the widget is fixed) when LOJAL_SHOTS names a folder. */
  shot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export interface PageOptions {
  /** `<html lang>` (default pl). */
  lang?: string;
  /** The customer token for `data-customer-token`. */
  token?: string | null;
  /** `data-locale`. */
  locale?: string | null;
  /** false: the page without the widget's script tag. */
  widget?: boolean;
  /** Another shop's id in `data-shop`. */
  shopId?: string;
  /** `page`: the panel mounted full size into the page (the portal's way). */
  mode?: 'page';
}

const SHOTS = process.env.LOJAL_SHOTS;
/** The widget's elements on the page: one per chunk (`<lojal-NAME>`). */
const WIDGET_HOSTS = ['lojal-launcher', 'lojal-panel', '#lojal-portal'];

function complaintsOf(page: Page): string[] {
  const complaints: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') complaints.push(message.text());
  });
  page.on('pageerror', (error) => complaints.push(error.message));
  return complaints;
}

/**
 * Waits for the widget's finite animations (the launcher fading in, the panel rising) to end:
 * axe and screenshots judge it at rest. (document.getAnimations() does not see into shadow roots.)
 */
async function atRest(page: Page): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      [document, ...Array.from(document.querySelectorAll('lojal-launcher, lojal-panel'))]
        .flatMap((n) =>
          ('shadowRoot' in n && n.shadowRoot ? n.shadowRoot : (n as Document)).getAnimations(),
        )
        .filter((a) => a.effect?.getTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
}

/** Starts the app at `now` with one shop, lets `seed` fill it, and serves the storefront page. */
export async function startStorefrontHarness(options: {
  now: string;
  shopName: string;
  seed?: (t: TestApp, shop: Shop) => Promise<void>;
}): Promise<StorefrontHarness> {
  await ensureWidgetBuilt({ info: () => {} });
  const axeSource = await readFile(
    createRequire(path.join(DASHBOARD_DIR, 'package.json')).resolve('axe-core/axe.min.js'),
    'utf8',
  );
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t = await createTestApp({ clock: fixedClock(options.now), config: { publicUrl: base } });
  const shop = await createTestShop(t, options.shopName);
  const host: { origin: string; server: Server } = await startHostPage(base, shop.id);
  await declareStorefrontOrigin(t, shop, host.origin);
  await options.seed?.(t, shop);
  await t.app.listen({ port, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });

  const pageUrl = (o: PageOptions = {}) => {
    const q = new URLSearchParams();
    if (o.lang) q.set('lang', o.lang);
    if (o.token) q.set('token', o.token);
    if (o.locale) q.set('locale', o.locale);
    if (o.widget === false) q.set('widget', '0');
    if (o.shopId) q.set('shop', o.shopId);
    if (o.mode) q.set('mode', o.mode);
    return `${host.origin}/?${q}`;
  };
  const panel = (page: Page) => page.locator('lojal-panel dialog');

  return {
    t,
    shop,
    base,
    shopOrigin: host.origin,
    browser,
    pageUrl,
    async openShop(o = {}) {
      const browserLocale = o.browserLocale ?? (o.lang === 'en' ? 'en-GB' : 'pl-PL');
      const context = await browser.newContext({
        locale: browserLocale,
        timezoneId: 'Europe/Warsaw',
        viewport: { width: o.width ?? 1280, height: o.width && o.width < 600 ? 844 : 900 },
      });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: host.origin,
      });
      const page = await context.newPage();
      await page.clock.setFixedTime(new Date(options.now));
      const complaints = complaintsOf(page);
      await page.goto(pageUrl(o));
      return { context, page, complaints };
    },
    launcher: (page) => page.locator('lojal-launcher button'),
    panel,
    async openPanel(page) {
      await page.locator('lojal-launcher button').click();
      const dialog = panel(page);
      await dialog.waitFor({ state: 'visible' });
      // Loaded: a section heading is there and nothing is busy (loading, or the account being made).
      await dialog.locator('.body h3').first().waitFor();
      await dialog.locator('[aria-busy="true"]').waitFor({ state: 'detached' });
      return dialog;
    },
    async widgetViolations(page) {
      await atRest(page);
      await page.evaluate(axeSource);
      const result = await page.evaluate(async (hosts: string[]) => {
        const axe = (
          window as unknown as { axe: { run: (c: object, o: object) => Promise<unknown> } }
        ).axe;
        const include = hosts.filter((h) => document.querySelector(h)).map((h) => [h]);
        return (await axe.run({ include }, { resultTypes: ['violations'] })) as {
          violations: { id: string; impact: string; nodes: { target: unknown[] }[] }[];
        };
      }, WIDGET_HOSTS);
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
    },
    async shot(page, name) {
      if (!SHOTS) return;
      await atRest(page);
      await mkdir(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => host.server.close(resolve));
      await t.close();
    },
  };
}

/** PATCH /v1/shop: the storefront page's origin is one the shop declares (CORS lets it in). */
async function declareStorefrontOrigin(t: TestApp, shop: Shop, origin: string): Promise<void> {
  const response = await t.app.inject({
    method: 'PATCH',
    url: '/v1/shop',
    headers: { authorization: `Bearer ${shop.apiKey}` },
    payload: { storefrontOrigins: [origin] },
  });
  if (response.statusCode !== 200) {
    throw new Error(`PATCH /v1/shop storefrontOrigins: ${response.statusCode} ${response.body}`);
  }
}
