import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM,
  browserTestsRun,
  startHarness,
  takingShots,
  type Harness,
} from '../dashboard/browser-harness.ts';
import { call, orderPaid, send } from '../points/support.ts';
import { createProgramme, qrFor } from '../stamps/support.ts';
import { defaultConsentText } from '../../src/automations/consent-texts.ts';
import { cardPayload, counter, pairDevice } from './support.ts';
import { createMember } from '../support/accounts.ts';
import { fakeCamera, writeQrVideo } from './fake-camera.ts';
import { pairedPhone, resend, storedActions } from './staff-app-support.ts';

// The staff counter app (issue 18) in Chromium with a fake camera showing a customer's QR code
// (rendered with `qrcode`, turned into a Y4M video): a phone paired by its link scans and
// stamps, and the same single-use code again is refused; a purchase for points, a redemption
// and a sign-up with its consent text kept; offline, three stamps wait on the device and are
// recorded exactly once when the network returns, even when the queue is sent twice more; a
// revoked device stops at once and says so.
const NOW = '2026-11-24T12:00:00Z';
/** expect.poll with the time a busy machine needs (its default is one second). */
const poll = <T>(fn: () => T | Promise<T>, options: { timeout?: number } = {}) =>
  expect.poll(fn, { timeout: 15_000, ...options });
let h: Harness;
let dir: string;
let cardBrowser: Browser | undefined;

const stampsOf = async (externalId: string) => {
  const row = await h.t.db
    .selectFrom('stamps as s')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.shop_id', '=', 's.shop_id').onRef('c.id', '=', 's.customer_id'),
    )
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('s.shop_id', '=', h.shop.id)
    .where('c.external_id', '=', externalId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
};

describe.skipIf(!browserTestsRun)('the staff counter app in a browser', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lojal-staff-'));
    const phoneQr = path.join(dir, 'phone-qr.y4m');
    h = await startHarness({
      now: NOW,
      shopName: 'Kawiarnia Pod Zegarem',
      browserArgs: fakeCamera(phoneQr),
      seed: async (t, shop) => {
        await createProgramme(t, shop, {
          name: { pl: 'Karta kawowa', en: 'Coffee card' },
          stampsRequired: 10,
          earnBy: 'visit',
          dailyLimit: 3,
          reward: {
            type: 'coupon',
            name: { pl: 'Darmowa kawa', en: 'Free coffee' },
            discount: { kind: 'free_product', productId: 'kawa' },
          },
        });
        await send(
          t,
          shop,
          {
            type: 'customer.created',
            id: 'c-bob',
            data: { id: 'bob', email: 'bob@example.com', firstName: 'Bob', lastName: 'Kowalski' },
          },
          {
            type: 'customer.created',
            id: 'c-cela',
            data: {
              id: 'cela',
              email: 'cela@example.com',
              firstName: 'Cela',
              lastName: 'Wiśniewska',
            },
          },
          {
            type: 'customer.created',
            id: 'c-ala',
            data: { id: 'ala', email: 'ala@example.com', firstName: 'Ala', lastName: 'Nowak' },
          },
          orderPaid('o-ala', 'ala', '2026-09-01T09:00:00Z', { total: 90_000 }),
        );
        // The customer's phone shows this single-use code; the fake camera films it.
        await writeQrVideo(phoneQr, await qrFor(t, shop, 'bob'));
      },
    });
  }, 300_000);
  afterAll(async () => {
    await cardBrowser?.close();
    await h?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('the owner pairs a phone from the dashboard with a QR code, and sees it listed', async () => {
    const owner = await createMember(h.t, h.shop.id, 'owner', 'wlasciciel@podzegarem.pl');
    const { page, context } = await h.newPage('pl-PL', 1280);
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Pulpit', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Karty pieczątek' }).click();
    await page.getByRole('heading', { name: 'Karty pieczątek', level: 1 }).waitFor();
    const section = page.locator('section[aria-labelledby="staff-title"]');
    await section.getByLabel('Nazwa').fill('Telefon baristy');
    const made = page.waitForResponse((r) => r.url().endsWith('/v1/staff/pairings'));
    await section.getByRole('button', { name: 'Połącz telefon (kod QR)' }).click();
    const { url } = (await (await made).json()) as { url: string };
    await page.getByRole('img', { name: 'Kod QR parowania dla Telefon baristy' }).waitFor();
    expect(await h.seriousViolations(page)).toEqual([]);
    await h.shot(page, 'dashboard-staff-pairing-pl-1280');

    // The phone opens what the QR code holds.
    const phone = await h.browser.newContext({
      locale: 'pl-PL',
      viewport: { width: 390, height: 844 },
    });
    const phonePage = await phone.newPage();
    await phonePage.goto(url);
    await phonePage.getByText('Urządzenie: Telefon baristy · Kawiarnia Pod Zegarem').waitFor();
    expect(phonePage.url()).toBe(`${h.base}/staff/`);
    await section
      .getByTestId('staff-list')
      .getByText('Telefon baristy')
      .waitFor({ timeout: 10_000 });
    await phone.close();
    await context.close();
  }, 90_000);

  it('pairs by its link, scans the phone’s QR and stamps once; the same code again is refused', async () => {
    const { page, context } = await pairedPhone(h, 'Telefon przy kasie', { now: NOW });
    expect(await page.evaluate(() => localStorage.getItem('lojal-staff-token'))).toMatch(
      /^lojal_st_/,
    );
    // An installable app: its manifest, icons and a service worker holding the offline shell.
    expect(
      await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active !== null)),
    ).toBe(true);
    const manifest = await h.t.app.inject({
      method: 'GET',
      url: '/staff/manifest.webmanifest',
      headers: { 'accept-language': 'pl' },
    });
    expect(manifest.json()).toMatchObject({
      name: 'Lojal · obsługa',
      start_url: '/staff/',
      display: 'standalone',
    });
    for (const icon of manifest.json().icons as { src: string }[]) {
      const res = await h.t.app.inject({ method: 'GET', url: icon.src });
      expect([res.statusCode, res.headers['content-type']]).toEqual([200, 'image/png']);
    }
    const worker = (await h.t.app.inject({ method: 'GET', url: '/staff/sw.js' })).body;
    expect(worker).toMatch(/\/admin\/assets\/staff-[\w-]+\.js/);
    expect(worker).toMatch(/\/admin\/assets\/jsQR-[\w-]+\.js/); // the lazy decoder, for offline scans
    expect(worker).not.toMatch(/assets\/index-/); // nothing of the dashboard's own pages
    await h.shot(page, 'staff-home-pl-390');
    expect(await h.seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Skanuj kod klienta' }).click();
    await poll(() => page.getByTestId('customer-notice').textContent(), {
      timeout: 15_000,
    }).toContain('Pieczątka dodana');
    await page.getByRole('heading', { name: 'Bob K.' }).waitFor();
    await poll(() => page.getByTestId('stamped-today').textContent()).toBe(
      'Dziś już ostemplowano (1 pieczątka)',
    );
    expect(await h.seriousViolations(page)).toEqual([]);
    await h.shot(page, 'staff-stamp-pl-390');

    await page.getByRole('button', { name: /Wróć/ }).click();
    await page.getByRole('button', { name: 'Skanuj kod klienta' }).click();
    const refused = page.getByTestId('home-notice');
    await poll(() => refused.textContent(), { timeout: 15_000 }).toBe(
      'Ten kod QR został już zeskanowany. Poproś klienta o nowy kod.',
    );
    expect(await refused.getAttribute('role')).toBe('alert');
    expect(await stampsOf('bob')).toBe(1);
    await context.close();
  }, 90_000);

  it('rings up a purchase, redeems a reward and signs up a customer with the consent shown', async () => {
    const { page, context } = await pairedPhone(h, 'Bar', {
      now: NOW,
      locale: 'en-GB',
      width: 1280,
    });
    await page.getByLabel('Phone, e-mail or card number').fill('ala@example.com');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('heading', { name: 'Ala N.' }).waitFor();
    await poll(() => page.getByTestId('points').textContent()).toBe('900 points');

    await page.getByLabel('Purchase amount (PLN)').fill('25.50');
    await page.getByRole('button', { name: 'Add points' }).click();
    await poll(() => page.getByTestId('customer-notice').textContent()).toContain('recorded');
    await h.t.processor.drain();
    const orders = await h.t.db
      .selectFrom('orders')
      .select(['external_id', 'total'])
      .where('shop_id', '=', h.shop.id)
      .where('external_id', 'like', 'counter-%')
      .execute();
    expect(orders).toHaveLength(1);
    expect(orders[0]!.total).toBe(2550);

    const rewards = (await call(h.t, h.shop, 'GET', '/v1/rewards')).json() as {
      id: string;
      names: { en: string };
      pointsCost: number;
    }[];
    const reward = rewards[0]!;
    await page.getByRole('button', { name: `Redeem: ${reward.names.en}` }).click();
    await poll(() => page.getByTestId('customer-notice').textContent()).toContain(
      `Redeemed: ${reward.names.en}`,
    );
    await poll(() => page.getByTestId('points').textContent()).toBe(
      `${900 - reward.pointsCost} points`,
    );
    expect(await h.seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: /Back/ }).click();
    await page.getByRole('button', { name: 'New customer' }).click();
    await page.getByLabel('First name').fill('Dorota');
    await page.getByLabel('E-mail', { exact: true }).fill('dorota@example.com');
    const text = defaultConsentText('email', 'marketing', 'en');
    await page.getByLabel(text).check();
    expect(await h.seriousViolations(page)).toEqual([]);
    await h.shot(page, 'staff-sign-up-en-1280');
    await page.getByRole('button', { name: 'Sign up the customer' }).click();
    await poll(() => page.getByTestId('customer-notice').textContent()).toBe(
      'Dorota is signed up.',
    );
    await h.t.processor.drain();
    await page.getByRole('heading', { name: 'Dorota' }).waitFor({ timeout: 10_000 });
    const proof = await h.t.db
      .selectFrom('consent_events as e')
      .innerJoin('customers as c', (j) =>
        j.onRef('c.shop_id', '=', 'e.shop_id').onRef('c.id', '=', 'e.customer_id'),
      )
      .select(['e.channel', 'e.purpose', 'e.granted', 'e.source', 'e.text_shown'])
      .where('e.shop_id', '=', h.shop.id)
      .where('c.email', '=', 'dorota@example.com')
      .execute();
    expect(proof).toEqual([
      { channel: 'email', purpose: 'marketing', granted: true, source: 'staff', text_shown: text },
    ]);
    await context.close();
  }, 90_000);

  it('offline, keeps three stamps on the device and records each once when the network returns', async () => {
    const cardQr = path.join(dir, 'card-qr.y4m');
    await writeQrVideo(cardQr, await cardPayload(h.t, h.shop, 'ala'));
    cardBrowser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', ...fakeCamera(cardQr)],
    });
    const { page, context, staffId } = await pairedPhone(h, 'Tablet', {
      now: NOW,
      browser: cardBrowser,
    });
    await context.setOffline(true);
    await page.getByTestId('offline').waitFor();
    for (let i = 0; i < 3; i++) {
      await page.getByRole('button', { name: 'Skanuj kod klienta' }).click();
      await page.getByRole('heading', { name: 'Skanowanie' }).waitFor();
      await poll(() => page.getByTestId('home-notice').textContent(), { timeout: 15_000 }).toBe(
        'Zapisano na telefonie: zostanie wysłane, gdy sieć wróci.',
      );
    }
    await page.getByTestId('queue-button').click();
    await poll(() => page.getByTestId('queue-summary').textContent()).toBe(
      '3 akcje czekają na wysłanie',
    );
    expect(await page.locator('[data-status="pending"]').count()).toBe(3);
    expect(await h.seriousViolations(page)).toEqual([]);
    await h.shot(page, 'staff-queue-pl-390');
    const queued = await storedActions(page);
    expect(queued).toHaveLength(3);
    expect(new Set(queued.map((a) => (a as { key: string }).key)).size).toBe(3);

    await context.setOffline(false);
    await poll(() => page.getByTestId('queue-summary').textContent(), { timeout: 15_000 }).toBe(
      'Wszystko wysłane.',
    );
    const byTablet = () =>
      h.t.db
        .selectFrom('stamps')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('shop_id', '=', h.shop.id)
        .where('staff_member_id', '=', staffId)
        .executeTakeFirstOrThrow();
    expect(Number((await byTablet()).n)).toBe(3);

    // The answers lost: the device sends the whole queue again, twice. Nothing more is stamped.
    await resend(page, queued);
    await resend(page, queued);
    expect(Number((await byTablet()).n)).toBe(3);
    expect(await stampsOf('ala')).toBe(3);
    await context.close();
  }, 90_000);

  it('fills a card, lists its reward ready to use, and uses it once however often it is resent', async () => {
    // Twenty stamps from a manager's device past the daily limit fill two cards: two free
    // coffees wait, one is taken now and one stays for next week.
    const { token } = await pairDevice(h.t, h.shop, 'Kierownik', 'manager');
    for (let i = 0; i < 20; i++) {
      const res = await counter(h.t, token, 'POST', '/v1/counter/stamps', {
        customerId: 'cela',
        pastDailyLimit: true,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const { page, context } = await pairedPhone(h, 'Kasa 2', { now: NOW });
    await page.getByLabel('Telefon, e-mail lub numer karty').fill('cela@example.com');
    await page.getByRole('button', { name: 'Szukaj' }).click();
    await page.getByRole('heading', { name: 'Cela W.' }).waitFor();
    await poll(() => page.getByTestId('ready-reward').count()).toBe(2);
    const ready = page.getByTestId('ready-rewards');
    expect(await ready.getByRole('heading').textContent()).toBe('Nagrody do odbioru');
    expect(await page.getByTestId('ready-reward').first().textContent()).toContain(
      'Darmowa kawaZ karty: Karta kawowa · ważna do 24 grudnia 2026',
    );
    expect(await h.seriousViolations(page)).toEqual([]);
    await h.shot(page, 'staff-customer-ready-pl-390');

    // Offline: the use waits on the phone, and is sent when the network returns.
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Wykorzystaj: Darmowa kawa' }).first().click();
    await poll(() => page.getByTestId('customer-notice').textContent()).toBe(
      'Zapisano na telefonie: zostanie wysłane, gdy sieć wróci.',
    );
    await poll(() => page.getByTestId('ready-reward').count()).toBe(1);
    const queued = await storedActions(page);
    expect(queued).toHaveLength(1);
    await context.setOffline(false);
    await poll(async () => (await storedActions(page)).length).toBe(0);
    await h.t.processor.drain();
    const usesOfCela = async () => {
      const rows = await h.t.db
        .selectFrom('coupons as k')
        .innerJoin('customers as c', (j) =>
          j.onRef('c.shop_id', '=', 'k.shop_id').onRef('c.id', '=', 'k.customer_id'),
        )
        .select(['k.used_count'])
        .where('k.shop_id', '=', h.shop.id)
        .where('c.external_id', '=', 'cela')
        .orderBy('k.id')
        .execute();
      const uses = await h.t.db
        .selectFrom('coupon_uses')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('shop_id', '=', h.shop.id)
        .where('customer_id', 'in', (eb) =>
          eb
            .selectFrom('customers')
            .select('id')
            .where('shop_id', '=', h.shop.id)
            .where('external_id', '=', 'cela'),
        )
        .executeTakeFirstOrThrow();
      return { coupons: rows.map((r) => r.used_count), uses: Number(uses.n) };
    };
    expect(await usesOfCela()).toEqual({ coupons: [1, 0], uses: 1 });

    // The answer lost: the same queued action is sent twice more. Still one use.
    await resend(page, queued);
    await resend(page, queued);
    await h.t.processor.drain();
    expect(await usesOfCela()).toEqual({ coupons: [1, 0], uses: 1 });
    await page.getByRole('button', { name: /Wróć/ }).click();
    await page.getByLabel('Telefon, e-mail lub numer karty').fill('cela@example.com');
    await page.getByRole('button', { name: 'Szukaj' }).click();
    await poll(() => page.getByTestId('ready-reward').count()).toBe(1);
    await context.close();
  }, 90_000);

  it('a revoked device stops at once and says so', async () => {
    const { page, context, staffId } = await pairedPhone(h, 'Zgubiony telefon', { now: NOW });
    expect((await call(h.t, h.shop, 'DELETE', `/v1/staff/${staffId}`)).statusCode).toBe(204);
    await page.getByLabel('Telefon, e-mail lub numer karty').fill('bob@example.com');
    await page.getByRole('button', { name: 'Szukaj' }).click();
    await page
      .getByText('To urządzenie zostało odłączone w panelu Lojal.', { exact: false })
      .waitFor();
    await page.getByRole('heading', { name: 'Połącz to urządzenie' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('lojal-staff-token'))).toBeNull();
    expect(await h.seriousViolations(page)).toEqual([]);
    const audit = await h.t.db
      .selectFrom('audit_log')
      .select(['action', 'actor_type', 'actor_name', 'before'])
      .where('shop_id', '=', h.shop.id)
      .where('target_id', '=', staffId)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => [a.action, a.actor_type])).toEqual([
      ['POST /v1/counter/pair', 'staff'],
      ['DELETE /v1/staff/:staffId', 'user'].map((x, i) => (i === 1 ? expect.any(String) : x)),
    ]);
    expect(audit[0]!.actor_name).toBe('Zgubiony telefon');
    expect(audit[1]!.before).toMatchObject({ name: 'Zgubiony telefon' });
    await context.close();
  }, 90_000);

  it.skipIf(!takingShots)(
    'screenshots: every screen in Polish and English, 390 and 1280 px',
    async () => {
      // Four more free coffees for Cela (one is used offline on each screen size), and one
      // customer per language to stamp.
      const { token } = await pairDevice(h.t, h.shop, 'Kierownik zdjęć', 'manager');
      for (let i = 0; i < 40; i++) {
        await counter(h.t, token, 'POST', '/v1/counter/stamps', {
          customerId: 'cela',
          pastDailyLimit: true,
        });
      }
      for (const who of ['eryk', 'emma']) {
        await send(h.t, h.shop, {
          type: 'customer.created',
          id: `c-${who}`,
          data: {
            id: who,
            email: `${who}@example.com`,
            firstName: who === 'eryk' ? 'Eryk' : 'Emma',
          },
        });
      }
      await h.t.processor.drain();
      const owner = await createMember(h.t, h.shop.id, 'owner', 'zdjecia@podzegarem.pl');
      const dashboard = await h.newPage('en-GB', 1280);
      await h.signInAs(dashboard.page, owner.email);
      await dashboard.page.getByRole('link', { name: 'Stamp cards' }).click();
      const section = dashboard.page.locator('section[aria-labelledby="staff-title"]');
      await section.getByLabel('Name').fill('Barista’s phone');
      await section.getByRole('button', { name: 'Pair a phone (QR code)' }).click();
      await section.getByRole('img').first().waitFor();
      await dashboard.page.evaluate(() => window.scrollTo(0, 0));
      await h.shot(dashboard.page, 'dashboard-staff-pairing-en-1280');
      await dashboard.context.close();
      for (const locale of ['pl-PL', 'en-GB'] as const) {
        for (const width of [390, 1280]) {
          const tag = `${locale.slice(0, 2)}-${width}`;
          const context = await h.browser.newContext({ locale, viewport: { width, height: 844 } });
          const page = await context.newPage();
          await page.goto(`${h.base}/staff/`);
          await page.getByRole('heading', { level: 1 }).waitFor();
          await h.shot(page, `staff-pairing-${tag}`);
          await context.close();
          const phone = await pairedPhone(h, `Zdjęcia ${tag}`, { now: NOW, locale, width });
          await h.shot(phone.page, `staff-home-${tag}`);
          await phone.page
            .getByLabel(/^(Telefon, e-mail lub numer karty|Phone, e-mail or card number)$/)
            .fill('bob@example.com');
          await phone.page.getByRole('button', { name: /^(Szukaj|Find)$/ }).click();
          await phone.page.getByRole('heading', { name: 'Bob K.' }).waitFor();
          await phone.page.getByTestId('stamp-card').waitFor();
          await h.shot(phone.page, `staff-customer-${tag}`);
          await phone.page.getByRole('button', { name: /(Wróć|Back)/ }).click();
          await phone.page
            .getByLabel(/^(Telefon, e-mail lub numer karty|Phone, e-mail or card number)$/)
            .fill('cela@example.com');
          await phone.page.getByRole('button', { name: /^(Szukaj|Find)$/ }).click();
          await phone.page.getByTestId('ready-rewards').waitFor();
          await h.shot(phone.page, `staff-customer-ready-${tag}`);
          await phone.context.setOffline(true);
          await phone.page
            .getByRole('button', { name: /^(Wykorzystaj|Use now): / })
            .first()
            .click();
          await phone.page.getByTestId('customer-notice').waitFor();
          await phone.page.getByLabel(/^(Kwota zakupu|Purchase amount)/).fill('12,50');
          await phone.page.getByRole('button', { name: /^(Nalicz punkty|Add points)$/ }).click();
          await expect
            .poll(() => phone.page.getByTestId('queue-button').textContent())
            .toMatch(/: 2$/);
          await h.shot(phone.page, `staff-offline-customer-${tag}`);
          await phone.page.getByTestId('queue-button').click();
          await h.shot(phone.page, `staff-queue-${tag}`);
          await phone.context.setOffline(false);
          await phone.page.getByRole('button', { name: /(Wróć|Back)/ }).click();
          if (width === 390) {
            await phone.page
              .getByLabel(/^(Telefon, e-mail lub numer karty|Phone, e-mail or card number)$/)
              .fill(locale === 'pl-PL' ? 'eryk@example.com' : 'emma@example.com');
            await phone.page.getByRole('button', { name: /^(Szukaj|Find)$/ }).click();
            await phone.page
              .getByRole('button', { name: /^(Dodaj pieczątkę|Add a stamp)$/ })
              .click();
            await phone.page.getByTestId('stamped-today').waitFor();
            await h.shot(phone.page, `staff-stamp-${tag}`);
            await phone.page.getByRole('button', { name: /(Wróć|Back)/ }).click();
          }
          await phone.page.getByRole('button', { name: /^(Nowy klient|New customer)$/ }).click();
          await h.shot(phone.page, `staff-sign-up-${tag}`);
          await phone.page.getByRole('button', { name: /(Wróć|Back)/ }).click();
          await phone.page
            .getByRole('button', { name: /^(Skanuj kod klienta|Scan the customer’s code)$/ })
            .click();
          await phone.page.getByRole('heading', { name: /^(Skanowanie|Scanning)$/ }).waitFor();
          await h.shot(phone.page, `staff-scan-${tag}`);
          await phone.context.close();
        }
      }
    },
    120_000,
  );
});
