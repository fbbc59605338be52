import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, cookieFrom, createMember } from '../support/accounts.ts';
import { fixedClock, type TestApp } from '../support/app.ts';
import { totpCode } from '../../src/accounts/totp.ts';
import { orderPaid, send } from '../points/support.ts';
import { browserTestsRun, startHarness, takingShots, type Harness } from './browser-harness.ts';

// The dashboard served by the real app on a real database, driven by Debian's Chromium:
// sign-in, Home with the shop's figures, the language switch with Polish plurals, sign-out, a
// wrong password, a second factor, throttling, invitations and resets, and an analyst refused.
const NOW = '2026-12-06T10:00:00Z';
const clock = fixedClock(NOW);

let h: Harness;
let t: TestApp;
let base: string;
let shop: Harness['shop'];
let owner: { email: string };
let analyst: { email: string };
const newPage: Harness['newPage'] = (...a) => h.newPage(...a);
const signInAs: Harness['signInAs'] = (...a) => h.signInAs(...a);
const seriousViolations: Harness['seriousViolations'] = (...a) => h.seriousViolations(...a);
const shot: Harness['shot'] = (...a) => h.shot(...a);
const mailedLink: Harness['mailedLink'] = (...a) => h.mailedLink(...a);

describe.skipIf(!browserTestsRun)('the dashboard in a browser', () => {
  beforeAll(async () => {
    h = await startHarness({
      now: NOW,
      shopName: 'Palarnia Kawy',
      // 1 point a złoty: 1 point in the last 7 days, 2 in 30, 5 in 90; guests add revenue.
      seed: async (app, s) => {
        await send(
          app,
          s,
          orderPaid('o-1', 'ola', '2026-12-04T12:00:00Z', { total: 100 }),
          orderPaid('o-2', null, '2026-12-03T12:00:00Z', { total: 24_900 }),
          orderPaid('o-3', 'jan', '2026-11-26T12:00:00Z', { total: 100 }),
          orderPaid('o-4', null, '2026-11-20T12:00:00Z', { total: 12_050 }),
          orderPaid('o-5', 'ola', '2026-10-10T12:00:00Z', { total: 300 }),
        );
      },
    });
    ({ t, base, shop } = h);
    owner = await createMember(t, shop.id, 'owner', 'wlasciciel@palarnia.pl');
    analyst = await createMember(t, shop.id, 'analyst', 'analityk@palarnia.pl');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
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
    // Members (ola 1 zł, jan 1 zł) apart from the guests' 249 + 120.50 zł.
    expect(await page.getByTestId('stat-members').innerText()).toMatch(/PLN\s2\.00\s+0\.5%/);
    expect(await page.getByTestId('stat-referrals').innerText()).toMatch(/Friends referred\s+0/);
    expect(await page.getByTestId('stat-liability').innerText()).toMatch(
      /5 points held by 2 members/,
    );
    expect(await seriousViolations(page)).toEqual([]);
    // Under the pointer, the active menu entry keeps its contrast (the theme's hover shade).
    await page.getByRole('navigation').getByRole('link', { name: 'Home' }).hover();
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

  it.skipIf(!takingShots)(
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
});
