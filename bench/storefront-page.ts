/**
 * What the storefront widget costs a shop's page (npm run bench:storefront-page): the test
 * storefront page (apps/server/test/storefront/host-page.ts, a shop's page with its own CSS) is
 * loaded in Debian's Chromium without the widget's script tag and with it (a guest: the
 * launcher, not the panel, which loads on the first interaction), BENCH_LOADS times each
 * (default 7), each in a fresh profile (nothing cached). Printed for both and their difference,
 * as Lighthouse counts them:
 *
 * - script bytes: the scripts' bytes over the wire (Lojal gzips them) and unpacked;
 * - main-thread time at load: the renderer's task time (CDP Performance metrics TaskDuration,
 *   ScriptDuration, style and layout) from navigation to 3.5 s after it (the launcher is shown by
 *   then; nothing else runs in the page meanwhile),
 *   and long tasks (> 50 ms, PerformanceObserver) with the total blocking time they make;
 * - cumulative layout shift (PerformanceObserver 'layout-shift').
 *
 * Then the panel: from the click on the launcher to the programme shown (median).
 *
 *   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import { chromium, type Browser } from 'playwright-core';
import { connect } from '../apps/server/src/db/connect.ts';
import { recreateDatabase, withDatabase } from '../apps/server/src/db/databases.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { provisionShop } from '../apps/server/src/app/provision-shop.ts';
import { SecretBox } from '../apps/server/src/shared/secrets.ts';
import { systemClock } from '../apps/server/src/shared/clock.ts';
import { ensureWidgetBuilt } from '../apps/server/src/app/widget-build.ts';
import { startHostPage } from '../apps/server/test/storefront/host-page.ts';
import { ms, percentile, startBenchServer } from './support/server.ts';

const LOADS = Number(process.env.BENCH_LOADS ?? 7);
const serverUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'lojal_bench_storefront_page';
const PORT = 3919;
const BASE = `http://127.0.0.1:${PORT}`;
const CHROMIUM = '/usr/bin/chromium';
// The same window for both pages, long enough for the launcher (idle, then one request): no
// Playwright locator polls the page while it is measured (its injected script would count).
const SETTLE_MS = 3500;

interface Load {
  scriptBytes: number;
  scriptBytesUnpacked: number;
  scripts: number;
  taskMs: number;
  scriptMs: number;
  styleMs: number;
  layoutMs: number;
  longTasks: number;
  longestTaskMs: number;
  /** The longest task of all loads (the others are medians). */
  longestTaskWorstMs?: number;
  blockingMs: number;
  cls: number;
}

// Runs in the page before its own scripts: long tasks and layout shifts from the start.
const OBSERVE = `
  window.__bench = { longTasks: [], cls: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) window.__bench.cls += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
`;

async function loadOnce(browser: Browser, url: string, widget: boolean): Promise<Load> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'pl-PL',
  });
  const page = await context.newPage();
  await page.addInitScript(OBSERVE);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Performance.enable');
  const scriptIds = new Set<string>();
  let scriptBytes = 0;
  let scriptBytesUnpacked = 0;
  cdp.on('Network.responseReceived', (e) => {
    if (e.type === 'Script') scriptIds.add(e.requestId);
  });
  cdp.on('Network.dataReceived', (e) => {
    if (scriptIds.has(e.requestId)) scriptBytesUnpacked += e.dataLength;
  });
  cdp.on('Network.loadingFinished', (e) => {
    if (scriptIds.has(e.requestId)) scriptBytes += e.encodedDataLength;
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(SETTLE_MS);
  const { metrics } = await cdp.send('Performance.getMetrics');
  const shown = await page.evaluate(
    () => !!document.querySelector('lojal-launcher')?.shadowRoot?.querySelector('button'),
  );
  if (shown !== widget) throw new Error(`the launcher is ${shown ? '' : 'not '}there on ${url}`);
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  const seen = (await page.evaluate('window.__bench')) as { longTasks: number[]; cls: number };
  await context.close();
  return {
    scriptBytes,
    scriptBytesUnpacked,
    scripts: scriptIds.size,
    taskMs: metric('TaskDuration') * 1000,
    scriptMs: metric('ScriptDuration') * 1000,
    styleMs: metric('RecalcStyleDuration') * 1000,
    layoutMs: metric('LayoutDuration') * 1000,
    longTasks: seen.longTasks.length,
    longestTaskMs: Math.max(0, ...seen.longTasks),
    blockingMs: seen.longTasks.reduce((sum, d) => sum + Math.max(0, d - 50), 0),
    cls: seen.cls,
  };
}

function median(loads: Load[]): Load {
  const pick = (key: keyof Load) => {
    const sorted = loads.map((l) => l[key] ?? 0).sort((a, b) => a - b);
    return percentile(sorted, 50);
  };
  return {
    scriptBytes: pick('scriptBytes'),
    scriptBytesUnpacked: pick('scriptBytesUnpacked'),
    scripts: pick('scripts'),
    taskMs: ms(pick('taskMs')),
    scriptMs: ms(pick('scriptMs')),
    styleMs: ms(pick('styleMs')),
    layoutMs: ms(pick('layoutMs')),
    longTasks: pick('longTasks'),
    longestTaskMs: ms(pick('longestTaskMs')),
    longestTaskWorstMs: ms(Math.max(...loads.map((l) => l.longestTaskMs))),
    blockingMs: ms(pick('blockingMs')),
    cls: Number(Math.max(...loads.map((l) => l.cls)).toFixed(4)),
  };
}

async function panelOpens(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'pl-PL',
  });
  const page = await context.newPage();
  await page.goto(url);
  const launcher = page.locator('lojal-launcher button');
  await launcher.waitFor();
  const started = performance.now();
  await launcher.click();
  await page.locator('lojal-panel dialog h3').first().waitFor();
  const took = performance.now() - started;
  await context.close();
  return took;
}

async function main() {
  if (!existsSync(CHROMIUM)) {
    console.log('skipped: no /usr/bin/chromium');
    return;
  }
  await ensureWidgetBuilt({ info: (m: string) => console.log(m) });
  await recreateDatabase(serverUrl, DB);
  const databaseUrl = withDatabase(serverUrl, DB);
  const { db, pool } = connect(databaseUrl, 2);
  await migrate(pool);
  const shop = await provisionShop(db, systemClock, SecretBox.fromString('a'.repeat(64)), {
    name: 'Palarnia Kawy',
    currency: 'PLN',
    timezone: 'Europe/Warsaw',
    locale: 'pl',
  });
  await db.destroy();

  const server = await startBenchServer({
    databaseUrl,
    port: PORT,
    adminToken: 'b'.repeat(40),
    processor: false,
    env: { LOJAL_PUBLIC_URL: BASE },
  });
  let host: { origin: string; server: Server } | undefined;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    host = await startHostPage(BASE, shop.id);
    const patch = await fetch(`${BASE}/v1/shop`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${shop.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ storefrontOrigins: [host.origin] }),
    });
    if (!patch.ok) throw new Error(`PATCH /v1/shop: ${patch.status} ${await patch.text()}`);

    const without: Load[] = [];
    const withWidget: Load[] = [];
    // Alternated, so that whatever else the machine does falls on both alike.
    for (let i = 0; i < LOADS; i++) {
      without.push(await loadOnce(browser, `${host.origin}/?widget=0`, false));
      withWidget.push(await loadOnce(browser, `${host.origin}/`, true));
    }
    const a = median(without);
    const b = median(withWidget);
    const diff = Object.fromEntries(
      (Object.keys(a) as (keyof Load)[]).map((k) => [
        k,
        Number(((b[k] ?? 0) - (a[k] ?? 0)).toFixed(4)),
      ]),
    );
    const load = os.loadavg().map((l) => l.toFixed(1));
    console.log(
      `the storefront page, median of ${LOADS} cold loads (CLS: the worst); ` +
        `machine load average ${load.join(' ')} on ${os.cpus().length} cores`,
    );
    console.log(`  without the widget: ${JSON.stringify(a)}`);
    console.log(`  with the widget:    ${JSON.stringify(b)}`);
    console.log(`  difference:         ${JSON.stringify(diff)}`);
    const opens: number[] = [];
    for (let i = 0; i < Math.min(LOADS, 5); i++)
      opens.push(await panelOpens(browser, `${host.origin}/`));
    opens.sort((x, y) => x - y);
    console.log(
      `panel: click to the programme shown, median ${ms(percentile(opens, 50))} ms (cold chunk)`,
    );
    console.log(
      JSON.stringify({
        without: a,
        with: b,
        difference: diff,
        panelOpenMs: ms(percentile(opens, 50)),
      }),
    );
  } finally {
    await browser.close();
    host?.server.close();
    server.kill('SIGTERM');
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
