import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { base32Decode, cookieFrom, createMember, PASSWORD } from '../support/accounts.ts';
import { freePort } from '../support/server-process.ts';
import { totpCode } from '../../src/accounts/totp.ts';
import { orderPaid, send } from '../points/support.ts';
import { DASHBOARD_DIR, ensureDashboardBuilt } from '../../src/app/dashboard-build.ts';

// The dashboard (apps/dashboard, built once per run when its sources changed) served by the real
// app on a real database, driven by Debian's Chromium: sign-in, Home with the shop's figures,
// the language switch with Polish plurals, sign-out, a wrong password, and an analyst refused.
const CHROMIUM = '/usr/bin/chromium';
const NOW = '2026-12-06T10:00:00Z';
const clock = fixedClock(NOW);
// Screenshots for a person to look at (LOJAL_SHOTS=/tmp/dashboard-shots): both languages, two widths.
const SHOTS = process.env.LOJAL_SHOTS;

let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let browser: Browser;
let base: string;
let owner: { email: string };
let analyst: { email: string };
let axeSource: string;

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

/** A fresh browser profile in a language, with the browser's clock at the test's "now". */
async function newPage(locale: 'en-GB' | 'pl-PL', width = 1280) {
  const context: BrowserContext = await browser.newContext({
    locale,
    viewport: { width, height: 900 },
  });
  const page = await context.newPage();
  await page.clock.setFixedTime(new Date(NOW));
  return { context, page, complaints: complaintsOf(page) };
}

/** axe-core in the page (evaluated through DevTools, so the page's CSP stays as it is). */
async function seriousViolations(page: Page) {
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

async function signInAs(page: Page, email: string, password = PASSWORD) {
  await page.goto(`${base}/admin/`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
  await page.getByLabel(/^(E-mail)/).fill(email);
  await page.getByLabel(/^(Password|Hasło)/).fill(password);
  await page.getByRole('button', { name: /^(Sign in|Zaloguj)$/ }).click();
}

/** The address of the newest link mailed to this person (account_mail: no SMTP in tests). */
async function mailedLink(to: string, route: string): Promise<string> {
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
}

async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

describe.skipIf(!existsSync(CHROMIUM) || process.env.FAKETIME !== undefined)(
  'the dashboard in a browser',
  () => {
    beforeAll(async () => {
      await ensureDashboardBuilt({ info: () => {} });
      axeSource = await readFile(
        createRequire(path.join(DASHBOARD_DIR, 'package.json')).resolve('axe-core/axe.min.js'),
        'utf8',
      );
      // Cookie writes must come from the instance's own origin: the test's address is it.
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      t = await createTestApp({ clock, config: { publicUrl: base } });
      shop = await createTestShop(t, 'Palarnia Kawy');
      // 1 point a złoty: 1 point in the last 7 days, 2 in 30, 5 in 90; guests add revenue.
      await send(
        t,
        shop,
        orderPaid('o-1', 'ola', '2026-12-04T12:00:00Z', { total: 100 }),
        orderPaid('o-2', null, '2026-12-03T12:00:00Z', { total: 24_900 }),
        orderPaid('o-3', 'jan', '2026-11-26T12:00:00Z', { total: 100 }),
        orderPaid('o-4', null, '2026-11-20T12:00:00Z', { total: 12_050 }),
        orderPaid('o-5', 'ola', '2026-10-10T12:00:00Z', { total: 300 }),
      );
      owner = await createMember(t, shop.id, 'owner', 'wlasciciel@palarnia.pl');
      analyst = await createMember(t, shop.id, 'analyst', 'analityk@palarnia.pl');
      await t.app.listen({ port, host: '127.0.0.1' });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu'],
      });
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await t?.close();
    });

    it('an owner signs in, sees Home with the shop figures and its chart, reads Polish plurals, and signs out', async () => {
      const { context, page, complaints } = await newPage('en-GB');
      await signInAs(page, owner.email);
      await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
      await shot(page, 'sign-in-done');

      // The chart, from a fresh load of /admin while signed in.
      const started = performance.now();
      await page.goto(`${base}/admin/`);
      await page.locator('[data-testid="trend-chart"][data-ready="true"]').waitFor();
      const chartMs = Math.round(performance.now() - started);
      console.log(`dashboard: navigation to the Home chart ${chartMs} ms`);

      // Last 30 days: 249 + 120.50 + 1 + 1 zł, 2 points issued.
      await expect.poll(() => page.getByTestId('stat-revenue').innerText()).toMatch(/PLN\s371\.50/);
      expect(await page.getByTestId('stat-issued').innerText()).toContain('2 points');
      expect(await page.getByTestId('stat-liability').innerText()).toMatch(
        /5 points held by 2 members/,
      );
      expect(await seriousViolations(page)).toEqual([]);
      await shot(page, 'home-en-1280');

      // Polish, remembered on the next load; 1 punkt, 2 punkty, 5 punktów.
      await page.locator('label', { hasText: /^PL$/ }).click();
      await page.getByRole('heading', { name: 'Pulpit', level: 1 }).waitFor();
      await page.reload();
      await page.getByRole('heading', { name: 'Pulpit', level: 1 }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('pl');
      const issued = page.getByTestId('stat-issued');
      await expect.poll(() => issued.innerText()).toContain('2 punkty');
      expect(await page.getByTestId('stat-revenue').innerText()).toMatch(/371,50\s*zł/);
      expect(await page.getByTestId('stat-liability').innerText()).toContain('5 punktów');
      await page.getByLabel('Okres').first().click();
      await page.getByRole('option', { name: 'Ostatnie 7 dni' }).click();
      await expect.poll(() => issued.innerText()).toContain('1 punkt');
      await page.getByLabel('Okres').first().click();
      await page.getByRole('option', { name: 'Ostatnie 90 dni' }).click();
      await expect.poll(() => issued.innerText()).toContain('5 punktów');
      await shot(page, 'home-pl-1280');

      await page.getByRole('button', { name: 'Wyloguj' }).click();
      await page.getByRole('heading', { name: 'Zaloguj się do Lojal' }).waitFor();
      await page.goto(`${base}/admin/`);
      await page.getByRole('heading', { name: 'Zaloguj się do Lojal' }).waitFor();
      expect(complaints).toEqual([]);
      await context.close();
    }, 60_000);

    it('a wrong password is said next to the field, and the sign-in page passes axe', async () => {
      const { context, page, complaints } = await newPage('en-GB');
      await page.goto(`${base}/admin/sign-in`);
      await page.getByRole('heading', { name: 'Sign in to Lojal' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await shot(page, 'sign-in-en-1280');
      await signInAs(page, owner.email, 'not the password');
      await shot(page, 'sign-in-wrong-en-1280');
      const password = page.locator('input[type="password"]');
      await expect.poll(() => password.getAttribute('aria-invalid')).toBe('true');
      const described = (await password.getAttribute('aria-describedby')) ?? '';
      const said = await page
        .locator(`[id="${described.split(' ').find((id) => id.endsWith('error'))}"]`)
        .innerText();
      expect(said).toBe('The e-mail address or the password is not right.');
      expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
      expect(await seriousViolations(page)).toEqual([]);
      expect(complaints).toEqual([]);
      await context.close();
    }, 30_000);

    it('an admin with a second factor is asked for the code, told a wrong one, and let in with the right one', async () => {
      const admin = await createMember(t, shop.id, 'admin', 'admin@palarnia.pl');
      const login = await t.app.inject({
        method: 'POST',
        url: '/v1/session',
        headers: { origin: base },
        payload: { email: admin.email, password: admin.password },
      });
      const me = { cookie: cookieFrom(login), origin: base };
      const enrol = await t.app.inject({ method: 'POST', url: '/v1/me/totp', headers: me });
      expect(enrol.statusCode, enrol.body).toBe(201);
      const key = base32Decode(enrol.json().secret);
      const confirm = await t.app.inject({
        method: 'POST',
        url: '/v1/me/totp/confirm',
        headers: me,
        payload: { otp: totpCode(key, clock.now()) },
      });
      expect(confirm.statusCode, confirm.body).toBe(204);

      const { context, page, complaints } = await newPage('en-GB');
      await signInAs(page, admin.email);
      const code = page.getByLabel(/^Code from your authenticator app/);
      await code.waitFor();
      await expect.poll(() => code.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await page.getByText('Enter the code from your authenticator app.').count()).toBe(1);
      await code.fill('000000');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('The code does not match.').waitFor();
      await code.fill(totpCode(key, clock.now()));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
      expect(complaints).toEqual([]);
      await context.close();
    }, 30_000);

    it('a throttled sign-in says how long to wait (429 with Retry-After)', async () => {
      const member = await createMember(t, shop.id, 'support', 'obsluga@palarnia.pl');
      for (let i = 0; i < t.config.loginRateLimit; i++) {
        await t.app.inject({
          method: 'POST',
          url: '/v1/session',
          headers: { origin: base },
          payload: { email: member.email, password: `wrong ${i}` },
        });
      }
      const { context, page, complaints } = await newPage('en-GB');
      await signInAs(page, member.email);
      await expect
        .poll(() => page.getByTestId('form-error').innerText())
        .toMatch(/^Too many attempts\. Try again in 1[45] minutes\.$/);
      expect(await page.getByTestId('form-error').getAttribute('role')).toBe('alert');
      expect(complaints.filter((c) => !/status of 429/.test(c))).toEqual([]);
      await context.close();
    }, 30_000);

    it('an analyst sees the team but is refused an invitation (403), visibly', async () => {
      const { context, page } = await newPage('en-GB');
      await signInAs(page, analyst.email);
      await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'Team' }).click();
      await page.getByRole('heading', { name: 'Team', level: 1 }).waitFor();
      await expect.poll(() => page.getByRole('table').innerText()).toContain(owner.email);
      await page.getByLabel(/^E-mail/).fill('nowa@palarnia.pl');
      const refused = page.waitForResponse((r) => r.url().endsWith('/v1/team/invitations'));
      await page.getByRole('button', { name: 'Send the invitation' }).click();
      expect((await refused).status()).toBe(403);
      await expect
        .poll(() => page.getByTestId('forbidden').innerText())
        .toBe('Your role in this shop does not allow this.');
      const invitations = await t.db.selectFrom('invitations').select('id').execute();
      expect(invitations).toEqual([]);
      await context.close();
    }, 30_000);

    it('an owner invites a person from the Team page; the e-mailed link signs them in; a reset link sets a new password', async () => {
      const { context, page, complaints } = await newPage('pl-PL');
      await signInAs(page, owner.email);
      await page.getByRole('link', { name: 'Zespół' }).click();
      await page.getByRole('heading', { name: 'Zespół', level: 1 }).waitFor();
      await page.getByLabel(/^E-mail/).fill('marta@palarnia.pl');
      await page.getByRole('button', { name: 'Wyślij zaproszenie' }).click();
      await page.getByText('Zaproszenie wysłane na adres marta@palarnia.pl.').waitFor();
      await page.getByRole('button', { name: 'Wyloguj' }).click();
      await page.getByRole('heading', { name: 'Zaloguj się do Lojal' }).waitFor();

      await page.goto(await mailedLink('marta@palarnia.pl', 'invitation'));
      await page.getByRole('heading', { name: 'Dołącz do sklepu w Lojal' }).waitFor();
      await page.getByLabel(/^Imię i nazwisko/).fill('Marta Nowak');
      await page.locator('input[type="password"]').fill('krótkie');
      await page.getByRole('button', { name: 'Przyjmij zaproszenie' }).click();
      // The server's field error, next to the field.
      const password = page.locator('input[type="password"]');
      await expect.poll(() => password.getAttribute('aria-invalid')).toBe('true');
      await page.getByText('Hasło musi mieć od 10 do 200 znaków.').waitFor();
      await shot(page, 'invitation-pl-1280');
      await password.fill('palarnia kawy 2026');
      await page.getByRole('button', { name: 'Przyjmij zaproszenie' }).click();
      await page.getByRole('heading', { name: 'Pulpit', level: 1 }).waitFor();
      expect(await page.getByRole('navigation').innerText()).toContain('marketing');

      await page.getByRole('button', { name: 'Wyloguj' }).click();
      await page.getByRole('link', { name: 'Nie pamiętasz hasła?' }).click();
      await page.getByLabel(/^E-mail/).fill('marta@palarnia.pl');
      await page.getByRole('button', { name: 'Wyślij mi link' }).click();
      await page.getByText(/Jeśli ten adres ma konto w Lojal/).waitFor();
      await page.goto(await mailedLink('marta@palarnia.pl', 'reset-password'));
      await page.locator('input[type="password"]').fill('nowe hasło do palarni');
      await page.getByRole('button', { name: 'Ustaw hasło' }).click();
      await page.getByText('Hasło jest ustawione. Zaloguj się nim.').waitFor();
      await page.getByRole('link', { name: 'Przejdź do logowania' }).click();
      await signInAs(page, 'marta@palarnia.pl', 'nowe hasło do palarni');
      await page.getByRole('heading', { name: 'Pulpit', level: 1 }).waitFor();
      expect(complaints.filter((c) => !/status of 400/.test(c))).toEqual([]);
      await context.close();
    }, 45_000);

    it.skipIf(!SHOTS)(
      'screenshots: sign-in and Home in both languages at 1280 and 390 px',
      async () => {
        for (const [locale, lang] of [
          ['en-GB', 'en'],
          ['pl-PL', 'pl'],
        ] as const) {
          for (const width of [1280, 390]) {
            const { context, page } = await newPage(locale, width);
            await page.goto(`${base}/admin/sign-in`);
            await page.getByRole('heading', { level: 1 }).waitFor();
            await shot(page, `sign-in-${lang}-${width}`);
            await signInAs(page, owner.email);
            await page.locator('[data-testid="trend-chart"][data-ready="true"]').waitFor();
            await shot(page, `home-${lang}-${width}`);
            await context.close();
          }
        }
      },
      60_000,
    );
  },
);
