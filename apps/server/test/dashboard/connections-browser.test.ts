import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CONNECTORS } from '../../src/app/connectors.ts';
import { pullConnection } from '../../src/connections/pull-connection.ts';
import type { ConnectionDeps } from '../../src/connections/connection-deps.ts';
import { createMember } from '../support/accounts.ts';
import type { TestApp } from '../support/app.ts';
import { startFakeShoper, type FakeShoper } from '../platforms/shoper/fake-shoper.ts';
import { browserTestsRun, startHarness, takingShots, type Harness } from './browser-harness.ts';

// Settings → Connections in a browser, on the real app and database, against the Shoper fake
// (a real HTTP server speaking Shoper's WebAPI) through the real Shoper connector: a wrong
// password refused with Shoper's reason, a connection made with its wake-up URL shown once,
// its status after real pulls (history progress, records, an outage's error with its time),
// pause and resume, sync now, removal behind a dialog; an analyst kept out; axe throughout; Polish
// and English.
const NOW = '2026-12-06T10:00:00Z';
const FIVE_MINUTES_LATER = new Date(Date.parse(NOW) + 5 * 60_000);

let h: Harness;
let t: TestApp;
let base: string;
let shop: Harness['shop'];
let owner: { email: string };
let analyst: { email: string };
let shoper: FakeShoper;

/** axe on the page as it rests, the pointer off the control just clicked. */
async function axeClean(page: Page) {
  await page.mouse.move(0, 0);
  expect(await h.seriousViolations(page)).toEqual([]);
}

/** The connector runtime's own pull, as the connection-pull job runs it (no worker in tests). */
async function pullAll(connectionId: string) {
  const deps: ConnectionDeps = {
    db: t.db,
    clock: t.clock,
    box: t.box,
    connectors: CONNECTORS,
    policy: { ports: 'any', privateNetworks: true },
  };
  for (let i = 0; i < 20; i++) {
    const run = await pullConnection(deps, shop.id, connectionId, { pages: 20 });
    if (!run.more) break;
  }
}

const shoperPassword = () => (shoper.connection.credentials as { password: string }).password;
const shoperUser = () => (shoper.connection.credentials as { user: string }).user;

async function openConnections(page: Page, heading: RegExp) {
  await page.goto(`${base}/admin/settings/connections`);
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  await page.waitForLoadState('networkidle');
}

/** Chooses Shoper and fills its form; `password` may be wrong on purpose. */
async function fillShoper(
  page: Page,
  labels: { platform: RegExp; option: string },
  password: string,
) {
  await page.getByTestId('platform-select').click();
  await page.getByRole('option', { name: labels.option }).click();
  const form = page.getByTestId('connect-form');
  await form.locator('[data-field="settings.shopUrl"]').fill(shoper.url);
  await form.locator('[data-field="credentials.user"]').fill(shoperUser());
  await form.locator('[data-field="credentials.password"]').fill(password);
  return form;
}

describe.skipIf(!browserTestsRun)('connections in a browser', () => {
  beforeAll(async () => {
    shoper = await startFakeShoper({ limit: 40, bandwidth: 20 });
    await shoper.seedHistory({
      orders: 12,
      from: new Date('2026-06-01T08:00:00Z'),
      to: new Date('2026-11-30T08:00:00Z'),
      refundEvery: 4,
      currency: 'PLN',
    });
    h = await startHarness({
      now: NOW,
      shopName: 'Kawiarnia Ziarno',
      config: { platformPrivateNetworks: true },
    });
    ({ t, base, shop } = h);
    owner = await createMember(t, shop.id, 'owner', 'wlasciciel@ziarno.pl');
    analyst = await createMember(t, shop.id, 'analyst', 'analityk@ziarno.pl');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await shoper?.close();
  });

  it('pl: a wrong password shows Shoper’s reason; connecting shows the wake-up URL once; the status after pulls; pause, resume, sync, remove', async () => {
    const { context, page, complaints } = await h.newPage('pl-PL');
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Pulpit', level: 1 }).waitFor();
    await openConnections(page, /^Platformy sklepu$/);
    await page.getByText('Żadna platforma nie jest jeszcze połączona.').waitFor();
    expect(await page.getByTestId('settings-nav').innerText()).toContain('Połączenia');
    await axeClean(page);

    // The form comes from Shoper's JSON Schema: the credentials are password fields.
    const form = await fillShoper(page, { platform: /Platforma/, option: 'Shoper' }, 'zle-haslo');
    expect(await form.locator('[data-field="credentials.user"]').getAttribute('type')).toBe(
      'password',
    );
    expect(await form.locator('[data-field="credentials.password"]').getAttribute('type')).toBe(
      'password',
    );
    expect(await form.getByLabel('Importuj historię z ostatnich (miesięcy)').inputValue()).toBe(
      '12',
    );
    expect(
      await form.getByRole('switch', { name: 'Naliczaj punkty za historię' }).isChecked(),
    ).toBe(false);
    expect(await form.getByRole('switch', { name: 'Twórz kody Lojal w Shoper' }).isChecked()).toBe(
      true,
    );
    expect(await form.getByTestId('guide').innerText()).toContain('docs/integrations/shoper.md');

    await form.getByRole('button', { name: 'Sprawdź i połącz' }).click();
    const refused = form.getByRole('alert');
    await refused.waitFor();
    expect(await refused.innerText()).toContain('Shoper odrzuca te dane dostępu');
    expect(await form.getByTestId('platform-reason').innerText()).toContain(
      'Shoper refused the WebAPI user name or password',
    );
    expect(await t.db.selectFrom('connections').select('id').execute()).toEqual([]);
    await axeClean(page);
    await h.shot(page, 'connections-refused-pl-1280');

    // The right password: connected, the wake-up URL shown once with the guide.
    await form.locator('[data-field="credentials.password"]').fill(shoperPassword());
    await form.getByRole('button', { name: 'Sprawdź i połącz' }).click();
    const connected = page.getByTestId('connected');
    await connected.waitFor();
    expect(await connected.innerText()).toContain('Połączono z Shoper.');
    const hookUrl = await page.getByTestId('hook-url').innerText();
    expect(hookUrl).toMatch(new RegExp(`^${base}/v1/hooks/con_\\w+/hook[\\w-]{20,}$`));
    expect(await connected.getByTestId('guide').innerText()).toContain(
      'docs/integrations/shoper.md',
    );
    const card = page.getByTestId('connection-shoper');
    await card.waitFor();
    expect(await card.getByTestId('connection-state').textContent()).toBe('Działa');
    expect(await card.innerText()).toContain('Konto: 127.0.0.1');
    await axeClean(page);

    // The connection as stored: history of 12 months, no points for it, codes pushed.
    const row = await t.db
      .selectFrom('connections')
      .select(['id', 'backfill_earn_points', 'push_codes', 'backfill_from'])
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ backfill_earn_points: false, push_codes: true });
    expect(row.backfill_from?.toISOString()).toBe('2025-12-06T10:00:00.000Z');

    // Real pulls from the fake; then an outage, which the status lists with its time.
    await pullAll(row.id);
    shoper.setDown(true);
    await pullConnection(
      {
        db: t.db,
        clock: t.clock,
        box: t.box,
        connectors: CONNECTORS,
        policy: { ports: 'any', privateNetworks: true },
      },
      shop.id,
      row.id,
      { pages: 1 },
    );
    shoper.setDown(false);
    // The person looks five minutes later.
    await page.clock.setFixedTime(FIVE_MINUTES_LATER);
    await page.reload();
    await card.waitFor();
    await expect
      .poll(() => card.getByTestId('connection-state').textContent())
      .toBe('Ponawia próby');
    const text = await card.innerText();
    expect(text).toContain('5 minut temu');
    expect(text).toContain('Ostatni udany odczyt');
    // A read already due is "lada chwila", not a time in the past.
    expect(text).toContain('lada chwila');
    expect(await card.getByTestId('connection-backfill').innerText()).toMatch(
      /Zakończono .*: zaimportowano \d+\.|Zaimportowano \d+ z \d+|Dotąd zaimportowano \d+/,
    );
    expect(await card.getByTestId('connection-errors').innerText()).toMatch(/5 minut temu/);
    expect(await card.getByTestId('connection-codes').innerText()).toContain('0 utworzonych');
    await axeClean(page);
    await h.shot(page, 'connections-status-pl-1280');

    // Pause, resume, sync now.
    await card.getByRole('button', { name: 'Wstrzymaj' }).click();
    await expect.poll(() => card.getByTestId('connection-state').textContent()).toBe('Wstrzymane');
    expect(await card.getByRole('button', { name: 'Synchronizuj teraz' }).isDisabled()).toBe(true);
    await card.getByRole('button', { name: 'Wznów' }).click();
    await expect.poll(() => card.getByTestId('connection-state').textContent()).toBe('Działa');
    await card.getByRole('button', { name: 'Synchronizuj teraz' }).click();
    await card.getByText('Lojal za chwilę odczyta zmiany z platformy.').waitFor();

    // New credentials: a wrong one is refused in the dialog, and the connection stays.
    await card.getByRole('button', { name: 'Zmień dane dostępu' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('[data-field="credentials.user"]').fill(shoperUser());
    await dialog.locator('[data-field="credentials.password"]').fill('inne-zle-haslo');
    await dialog.getByRole('button', { name: 'Sprawdź i zapisz' }).click();
    await dialog.getByTestId('platform-reason').waitFor();
    await axeClean(page);
    await dialog.locator('[data-field="credentials.password"]').fill(shoperPassword());
    await dialog.getByRole('button', { name: 'Sprawdź i zapisz' }).click();
    await dialog.waitFor({ state: 'detached' });
    await card.getByText('Nowe dane dostępu działają i są zapisane.').waitFor();

    // Remove, behind a dialog that says what stays.
    await card.getByRole('button', { name: 'Usuń' }).click();
    await dialog
      .getByText('kody utworzone w Shoper dalej tam działają', { exact: false })
      .waitFor();
    await axeClean(page);
    await dialog.getByRole('button', { name: 'Usuń połączenie' }).click();
    await page.getByText('Żadna platforma nie jest jeszcze połączona.').waitFor();
    expect(await t.db.selectFrom('connections').select('id').execute()).toEqual([]);
    // 422s are the refusals shown on purpose.
    expect(complaints.filter((c) => !/status of 422/.test(c))).toEqual([]);
    await context.close();
  }, 90_000);

  it('en: a field the platform refuses is said at the field; connected, status in English', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await page.clock.setFixedTime(FIVE_MINUTES_LATER);
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await openConnections(page, /^Shop platforms$/);
    await page.getByTestId('platform-select').click();
    await page.getByRole('option', { name: 'Shoper' }).click();
    const form = page.getByTestId('connect-form');
    await form.locator('[data-field="settings.shopUrl"]').fill('not an address');
    await form.getByRole('button', { name: 'Test and connect' }).click();
    await form.getByText('Check the marked fields.').waitFor();
    const shopUrl = form.locator('[data-field="settings.shopUrl"]');
    expect(await shopUrl.getAttribute('aria-invalid')).toBe('true');
    expect(
      await form.locator('[data-field="credentials.password"]').getAttribute('aria-invalid'),
    ).toBe('true');
    await axeClean(page);

    await shopUrl.fill(shoper.url);
    await form.locator('[data-field="credentials.user"]').fill(shoperUser());
    await form.locator('[data-field="credentials.password"]').fill(shoperPassword());
    await form.getByLabel('Import history from the last (months)').fill('3');
    await form.getByRole('switch', { name: 'Earn points for history' }).check({ force: true });
    await form.getByRole('button', { name: 'Test and connect' }).click();
    await page.getByTestId('connected').waitFor();
    expect(await page.getByTestId('connected').innerText()).toContain('Connected to Shoper.');
    const card = page.getByTestId('connection-shoper');
    expect(await card.getByTestId('connection-state').textContent()).toBe('Working');
    expect(await card.getByTestId('connection-backfill').innerText()).toContain(
      'History earns points.',
    );
    await axeClean(page);
    await h.shot(page, 'connections-connected-en-1280');
    expect(complaints.filter((c) => !/status of 400/.test(c))).toEqual([]);
    await context.close();
  }, 60_000);

  it('an analyst sees no connection controls and the API refuses them (403)', async () => {
    const { context, page } = await h.newPage('pl-PL');
    await h.signInAs(page, analyst.email);
    await page.getByRole('heading', { name: 'Pulpit', level: 1 }).waitFor();
    await openConnections(page, /^Platformy sklepu$/);
    await page.getByTestId('forbidden').waitFor();
    expect(await page.getByRole('button', { name: /Połącz|Usuń|Wstrzymaj/ }).count()).toBe(0);
    expect(await page.getByTestId('connect-form').count()).toBe(0);
    expect(await page.getByTestId('settings-nav').innerText()).not.toContain('Połączenia');
    await axeClean(page);
    await context.close();
  }, 60_000);

  it.skipIf(!takingShots)(
    'screenshots: connections in both languages at 1280 and 390 px',
    async () => {
      // A connection with history and an error, as a merchant would see it.
      const connection = await t.db.selectFrom('connections').select('id').executeTakeFirst();
      if (connection) await pullAll(connection.id);
      for (const [locale, lang] of [
        ['en-GB', 'en'],
        ['pl-PL', 'pl'],
      ] as const) {
        for (const width of [1280, 390]) {
          const { context, page } = await h.newPage(locale, width);
          await page.clock.setFixedTime(FIVE_MINUTES_LATER);
          await h.signInAs(page, owner.email);
          await page.getByRole('heading', { name: /^(Home|Pulpit)$/, level: 1 }).waitFor();
          await openConnections(page, /^(Shop platforms|Platformy sklepu)$/);
          await page.getByTestId('connection-shoper').waitFor();
          await h.shot(page, `connections-${lang}-${width}`);
          await context.close();
        }
      }
    },
    120_000,
  );
});
