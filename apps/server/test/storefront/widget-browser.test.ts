import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { call, ledger, orderPaid, send } from '../points/support.ts';
import { silverAndGold } from '../tiers/support.ts';
import { coffeeCard, createProgramme } from '../stamps/support.ts';
import { createTestShop } from '../support/app.ts';
import { customerToken, storefrontSecret } from '../support/storefront.ts';
import {
  browserTestsRun,
  startStorefrontHarness,
  type StorefrontHarness,
} from './storefront-harness.ts';

// The storefront widget on a shop's page (another origin, with its own aggressive CSS), driven in
// Chromium against the real app: a guest sees the programme; Ania (a customer token) sees her
// balance in the right plural, her tier progress and pending points, redeems with a double
// click (one redemption), copies her referral link and shows her stamp QR; both languages, a
// phone's width, axe inside the shadow roots, the shop's page untouched; a token of another
// shop, an expired one and a tampered one are refused.
//
// | customer | points                          | orders                        | tier   |
// | -------- | ------------------------------- | ----------------------------- | ------ |
// | ania     | 1,322 by hand, 1,500 pending    | 1,500 zł yesterday            | Silver |
// | bartek   | 1, then 2, 5, 12, 22 by hand    | none                          | none   |
// | celina   | 700 by hand                     | none                          | none   |
// | dorota   | 1,000 by hand                   | none                          | none   |
const NOW = '2026-12-07T10:00:00Z';
const now = new Date(NOW);
const JOIN_URL = 'https://palarnia.example/konto/rejestracja';

let h: StorefrontHarness;
let secret: string;
let other: Awaited<ReturnType<typeof createTestShop>>;
let otherSecret: string;

const token = (sub: string, extra: { firstName?: string; iat?: number; exp?: number } = {}) =>
  customerToken(secret, sub, { now, ...extra });

async function grant(customerId: string, points: number) {
  const res = await call(h.t, h.shop, 'POST', `/v1/customers/${customerId}/adjustments`, {
    points,
    reason: 'test',
  });
  expect(res.statusCode, res.body).toBe(201);
}

/** The styles a shop's own elements have: the widget must change none of them. */
async function hostStyles(page: Page) {
  return page.evaluate(() =>
    ['shop-title', 'shop-heading', 'shop-button', 'shop-lead', 'shop-input', 'shop-products'].map(
      (id) => {
        const s = getComputedStyle(document.getElementById(id)!);
        return [id, s.font, s.color, s.display, s.boxSizing, s.background, s.margin].join('|');
      },
    ),
  );
}

async function layoutShift(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let total = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries() as unknown as {
            value: number;
            hadRecentInput: boolean;
          }[]) {
            if (!e.hadRecentInput) total += e.value;
          }
        }).observe({ type: 'layout-shift', buffered: true });
        setTimeout(() => resolve(total), 300);
      }),
  );
}

/** What a person reads (Intl writes "1500 zł" with a no-break space). */
const text = async (locator: Locator) => (await locator.innerText()).replace(/\u00a0/g, ' ');

describe.skipIf(!browserTestsRun)('the storefront widget on a shop page', () => {
  beforeAll(async () => {
    h = await startStorefrontHarness({
      now: NOW,
      shopName: 'Palarnia Kawy',
      seed: async (t, shop) => {
        const settings = await call(t, shop, 'PATCH' as 'PUT', '/v1/shop', {
          storefrontJoinUrl: JOIN_URL,
          storefrontUrl: 'https://palarnia-kawy.myshopify.com',
          brand: { primaryColor: '#6f4e37', accentColor: '#c69c6d' },
        });
        expect(settings.statusCode, settings.body).toBe(200);
        expect((await call(t, shop, 'PUT', '/v1/tiers', silverAndGold)).statusCode).toBe(200);
        await createProgramme(t, shop, coffeeCard);
        const shipping = await call(t, shop, 'POST', '/v1/rewards', {
          name: { pl: 'Darmowa dostawa', en: 'Free shipping' },
          kind: 'free_shipping',
          pointsCost: 300,
        });
        expect(shipping.statusCode, shipping.body).toBe(201);
        await send(
          t,
          shop,
          { type: 'customer.created', id: 'c-ania', data: { id: 'ania', firstName: 'Ania' } },
          { type: 'customer.created', id: 'c-bartek', data: { id: 'bartek', firstName: 'Bartek' } },
          { type: 'customer.created', id: 'c-celina', data: { id: 'celina', firstName: 'Celina' } },
          { type: 'customer.created', id: 'c-dorota', data: { id: 'dorota', firstName: 'Dorota' } },
          orderPaid('o-ania-1', 'ania', '2026-12-06T10:00:00Z', { total: 150_000 }),
        );
      },
    });
    secret = await storefrontSecret(h.t, h.shop);
    await grant('ania', 1322);
    await grant('bartek', 1);
    await grant('celina', 700);
    await grant('dorota', 1000);
    other = await createTestShop(h.t, 'Inny Sklep');
    otherSecret = await storefrontSecret(h.t, other);
    const settings = await call(h.t, other, 'PATCH' as 'PUT', '/v1/shop', {
      storefrontOrigins: [h.shopOrigin],
    });
    expect(settings.statusCode, settings.body).toBe(200);
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it('shows a guest the launcher without moving the page, then the programme, in Polish', async () => {
    const { context, page, complaints } = await h.openShop({ lang: 'pl' });
    const before = await hostStyles(page);
    const launcher = h.launcher(page);
    await launcher.waitFor();
    expect(await launcher.getAttribute('aria-label')).toBe(
      'Program lojalnościowy: punkty i nagrody',
    );
    expect(await text(launcher)).toBe('Nagrody');
    // The shop's `* { font: 30px serif !important }` and `button { all: unset }` stay outside.
    const look = await launcher.evaluate((b) => {
      const s = getComputedStyle(b);
      return { font: s.fontFamily, size: s.fontSize, position: s.position, radius: s.borderRadius };
    });
    expect(look.font).toMatch(/system-ui/);
    expect(look).toMatchObject({ size: '15px', position: 'fixed', radius: '24px' });
    expect(await layoutShift(page)).toBe(0);
    await h.shot(page, 'pl-1280-host-launcher');

    const panel = await h.openPanel(page);
    expect(await panel.getAttribute('aria-labelledby')).toBe('lojal-title');
    expect(await text(panel.locator('#lojal-title'))).toBe('Palarnia Kawy');
    expect(await panel.getByRole('link', { name: 'Dołącz do programu' }).getAttribute('href')).toBe(
      JOIN_URL,
    );
    expect(await text(panel)).toContain('Jak zdobywać punkty');
    const rewards = panel.locator('section', {
      has: page.getByRole('heading', { name: 'Nagrody' }),
    });
    expect(await text(rewards)).toMatch(/Rabat 25 zł\s+500 punktów/);
    expect(await text(rewards)).toMatch(/Darmowa dostawa\s+300 punktów/);
    expect(await text(panel)).toContain('Srebrny');
    // The panel's own styles hold inside the shop's CSS.
    const heading = await panel
      .locator('h3')
      .first()
      .evaluate((e) => getComputedStyle(e).fontSize);
    expect(heading).toBe('15px');
    expect(await h.widgetViolations(page)).toEqual([]);
    await h.shot(page, 'pl-1280-guest-panel');

    // Esc closes it and gives the focus back to the launcher.
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('LOJAL-LAUNCHER');
    expect(
      await launcher.evaluate((b) => (b.getRootNode() as ShadowRoot).activeElement === b),
    ).toBe(true);
    // The shop's own elements look as they did, and the widget set no cookie anywhere.
    expect(await hostStyles(page)).toEqual(before);
    expect(await context.cookies()).toEqual([]);
    expect(complaints).toEqual([]);
    await context.close();
  });

  it('keeps the focus inside the open panel', async () => {
    const { context, page } = await h.openShop({ lang: 'pl' });
    const panel = await h.openPanel(page);
    const inside = () =>
      page.evaluate(() => {
        const host = document.querySelector('lojal-panel')!;
        return document.activeElement === host && host.shadowRoot!.activeElement !== null;
      });
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab');
      expect(await inside()).toBe(true);
    }
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await inside()).toBe(true);
    }
    await panel.getByRole('button', { name: 'Zamknij' }).click();
    await panel.waitFor({ state: 'hidden' });
    await context.close();
  });

  it('speaks English from <html lang> or data-locale, and fills a phone’s screen', async () => {
    for (const options of [{ lang: 'en-GB' }, { lang: 'pl', locale: 'en' }]) {
      const { context, page, complaints } = await h.openShop({ ...options, width: 390 });
      expect(await text(h.launcher(page))).toBe('Rewards');
      const panel = await h.openPanel(page);
      expect(await text(panel)).toContain('Ways to earn');
      expect(await panel.getByRole('link', { name: 'Join the programme' }).count()).toBe(1);
      expect(await text(panel)).toMatch(/Free shipping\s+300 points/);
      const box = (await panel.boundingBox())!;
      expect(box.x).toBe(0);
      expect(box.width).toBe(390);
      expect(await h.widgetViolations(page)).toEqual([]);
      if (options.locale === undefined) await h.shot(page, 'en-390-guest-panel');
      expect(complaints).toEqual([]);
      await context.close();
    }
  });

  it('shows Ania her balance, pending points and tier, and redeems once on a double click', async () => {
    const { context, page, complaints } = await h.openShop({
      lang: 'pl',
      token: await token('ania'),
    });
    const panel = await h.openPanel(page);
    expect(await text(panel.getByTestId('balance'))).toBe('1322 punkty');
    expect(await text(panel)).toContain('Cześć, Ania!');
    expect(await text(panel)).toMatch(/Dostępne od \d+ grudnia\S* ?\S*: 1500 punktów/);
    expect(await text(panel.locator('.tier-name'))).toBe('Srebrny');
    expect(await text(panel.getByTestId('tier-next'))).toBe('jeszcze 1500 zł do poziomu Złoty');
    expect(await h.widgetViolations(page)).toEqual([]);
    await h.shot(page, 'pl-1280-customer-panel');

    await panel.getByRole('button', { name: /^Wymień 500 punktów na: Rabat 25 zł/ }).dblclick();
    const code = panel.getByTestId('coupon-code');
    await code.waitFor();
    expect(await text(code)).toMatch(/^[A-Z0-9-]{6,}$/);
    const redemptions = (await ledger(h.t, h.shop, 'ania')).filter((e) => e.kind === 'redeem');
    expect(redemptions).toHaveLength(1);
    expect(redemptions[0]!.points).toBe(-500);
    await panel.getByRole('button', { name: 'Kopiuj kod' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await text(code));
    // Shopify applies a code at checkout through the shop's /discount/<code> address.
    expect(await panel.getByRole('link', { name: 'Użyj w koszyku' }).getAttribute('href')).toBe(
      `https://palarnia-kawy.myshopify.com/discount/${await text(code)}`,
    );
    expect(await h.widgetViolations(page)).toEqual([]);
    await h.shot(page, 'pl-1280-customer-code');

    await panel.getByRole('button', { name: 'Wróć' }).click();
    await expect.poll(() => text(panel.getByTestId('balance'))).toBe('822 punkty');
    // The history, newest first: the redemption, then the points given by hand.
    await panel.getByText('Historia punktów').click();
    const history = panel.getByTestId('history').locator('li');
    await history.first().waitFor();
    expect(await text(history.first())).toMatch(/−500 punktów$/);
    expect(await text(panel.getByTestId('history'))).toMatch(/\+1322 punkty/);
    await history.first().scrollIntoViewIfNeeded();
    await h.shot(page, 'pl-1280-customer-history');
    expect(complaints).toEqual([]);
    await context.close();
  });

  it('lets Ania copy and share her referral link, and show her stamp QR at the counter', async () => {
    const { context, page, complaints } = await h.openShop({
      lang: 'pl',
      token: await token('ania'),
    });
    const panel = await h.openPanel(page);
    const link = await panel.getByLabel('Twój link polecający').inputValue();
    expect(link).toMatch(new RegExp(`^${h.base}/r/`));
    await panel.getByRole('button', { name: 'Kopiuj', exact: true }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await panel.getByText('✓ Skopiowano').waitFor();
    const whatsapp = await panel.getByRole('link', { name: 'WhatsApp' }).getAttribute('href');
    expect(decodeURIComponent(whatsapp!)).toContain(link);
    expect(await panel.getByRole('link', { name: 'E-mail' }).getAttribute('href')).toMatch(
      /^mailto:/,
    );
    expect(await panel.getByRole('link', { name: 'SMS' }).getAttribute('href')).toMatch(/^sms:/);
    expect(await panel.getByRole('link', { name: 'Messenger' }).count()).toBe(1);

    await panel.getByRole('button', { name: 'Pokaż kod QR' }).click();
    const qr = panel.getByTestId('stamp-qr').locator('svg');
    await qr.waitFor();
    expect(await qr.getAttribute('aria-label')).toBe('Kod QR karty Karta kawowa');
    expect(
      await panel
        .locator('#lojal-qr')
        .evaluate((e) => e === (e.getRootNode() as ShadowRoot).activeElement),
    ).toBe(true);
    expect(await h.widgetViolations(page)).toEqual([]);
    await h.shot(page, 'pl-1280-customer-qr');
    expect(complaints).toEqual([]);
    await context.close();
  });

  it('shows the points in Polish plural forms: 1 punkt, 2 punkty, 5 punktów, 12 punktów, 22 punkty', async () => {
    const expected: [number, string][] = [
      [0, '1 punkt'],
      [1, '2 punkty'],
      [3, '5 punktów'],
      [7, '12 punktów'],
      [10, '22 punkty'],
    ];
    const { context, page } = await h.openShop({ lang: 'pl', token: await token('bartek') });
    for (const [add, words] of expected) {
      if (add) await grant('bartek', add);
      const panel = await h.openPanel(page);
      await expect.poll(() => text(panel.getByTestId('balance'))).toBe(words);
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'hidden' });
    }
    await context.close();
  });

  it('shows a customer in English on a phone, with the code and the QR', async () => {
    const { context, page, complaints } = await h.openShop({
      lang: 'en',
      width: 390,
      token: await token('celina'),
    });
    await h.launcher(page).waitFor();
    await h.shot(page, 'en-390-host-launcher');
    const panel = await h.openPanel(page);
    expect(await text(panel.getByTestId('balance'))).toBe('700 points');
    expect(await text(panel)).toContain('Hi, Celina!');
    expect(await h.widgetViolations(page)).toEqual([]);
    await h.shot(page, 'en-390-customer-panel');
    await panel.getByRole('button', { name: /^Redeem 500 points for: PLN 25 off/ }).click();
    await panel.getByTestId('coupon-code').waitFor();
    await h.shot(page, 'en-390-customer-code');
    await panel.getByRole('button', { name: 'Back' }).click();
    await expect.poll(() => text(panel.getByTestId('balance'))).toBe('200 points');
    await panel.getByRole('button', { name: 'Show QR code' }).click();
    await panel.getByTestId('stamp-qr').locator('svg').waitFor();
    await h.shot(page, 'en-390-customer-qr');
    expect(complaints).toEqual([]);
    await context.close();
  });

  it('serves Dorota on a phone in Polish and on a desktop in English alike', async () => {
    const steps = [
      {
        lang: 'pl',
        width: 390,
        before: '1000 punktów',
        after: '700 punktów',
        redeem: /^Wymień 300/,
      },
      { lang: 'en', width: 1280, before: '700 points', after: '400 points', redeem: /^Redeem 300/ },
    ];
    for (const step of steps) {
      const { context, page, complaints } = await h.openShop({
        lang: step.lang,
        width: step.width,
        token: await token('dorota'),
      });
      const name = `${step.lang}-${step.width}`;
      await h.launcher(page).waitFor();
      await h.shot(page, `${name}-host-launcher`);
      const panel = await h.openPanel(page);
      expect(await text(panel.getByTestId('balance'))).toBe(step.before);
      const box = (await panel.boundingBox())!;
      expect(box.width).toBe(step.width < 600 ? step.width : 400);
      expect(await h.widgetViolations(page)).toEqual([]);
      await h.shot(page, `${name}-customer-panel`);
      await panel.getByRole('button', { name: step.redeem }).click();
      await panel.getByTestId('coupon-code').waitFor();
      expect(await h.widgetViolations(page)).toEqual([]);
      await h.shot(page, `${name}-customer-code`);
      await panel.getByRole('button', { name: /^(Wróć|Back)$/ }).click();
      await expect.poll(() => text(panel.getByTestId('balance'))).toBe(step.after);
      await panel.getByRole('button', { name: /^(Pokaż kod QR|Show QR code)$/ }).click();
      await panel.getByTestId('stamp-qr').locator('svg').waitFor();
      await h.shot(page, `${name}-customer-qr`);
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'hidden' });
      expect(complaints).toEqual([]);
      await context.close();
    }
    // And a guest on both.
    for (const [lang, width] of [
      ['pl', 390],
      ['en', 1280],
    ] as const) {
      const { context, page } = await h.openShop({ lang, width });
      await h.openPanel(page);
      await h.shot(page, `${lang}-${width}-guest-panel`);
      await context.close();
    }
  });

  it('tells the shopper to sign in again for a token of another shop, an expired or a tampered one', async () => {
    const good = await token('ania');
    const [head, body] = good.split('.');
    const cases = [
      { shopId: other.id, token: good },
      {
        token: await token('ania', {
          iat: now.getTime() / 1000 - 7200,
          exp: now.getTime() / 1000 - 3600,
        }),
      },
      { token: `${head}.${body}.${'A'.repeat(43)}` },
      { shopId: h.shop.id, token: await customerToken(otherSecret, 'ania', { now }) },
    ];
    for (const c of cases) {
      const { context, page } = await h.openShop({ lang: 'pl', ...c });
      const failed = page.waitForResponse((r) => r.url().endsWith('/me'));
      await h.launcher(page).click();
      expect((await failed).status()).toBe(401);
      const panel = h.panel(page);
      await panel.getByText('Sesja wygasła: odśwież stronę, aby zobaczyć swoje punkty.').waitFor();
      // The programme is still there, as for a guest.
      await panel.getByRole('heading', { name: 'Dołącz i zbieraj punkty' }).waitFor();
      await context.close();
    }
  });

  it('mounts full size into a page for the customer portal (data-mode="page")', async () => {
    const { context, page, complaints } = await h.openShop({
      lang: 'pl',
      mode: 'page',
      token: await token('ania'),
    });
    const portal = page.locator('#lojal-portal .page');
    await portal.getByTestId('balance').waitFor();
    expect(await page.locator('lojal-launcher').count()).toBe(0);
    const { available } = (await call(h.t, h.shop, 'GET', '/v1/customers/ania')).json().points;
    expect(await text(portal.getByTestId('balance'))).toBe(`${available} punkty`);
    expect(await portal.getByRole('button', { name: 'Zamknij' }).count()).toBe(0);
    expect(await h.widgetViolations(page)).toEqual([]);
    expect(complaints).toEqual([]);
    await context.close();
  });

  it('shows a code the shop’s platform has not created yet as being prepared, then the code', async () => {
    // The shop is connected to a platform that takes codes; no job runs here, so the code waits.
    await h.t.db
      .insertInto('connections')
      .values({
        shop_id: h.shop.id,
        id: 'con_widget',
        platform: 'shoper',
        settings: JSON.stringify({}),
        credentials: h.t.box.seal('{}'),
        push_codes: true,
        hook_token_hash: Buffer.alloc(32),
        sync_since: now,
      })
      .execute();
    await send(h.t, h.shop, {
      type: 'customer.created',
      id: 'c-ewa',
      data: { id: 'ewa', firstName: 'Ewa' },
    });
    await grant('ewa', 600);
    try {
      const { context, page, complaints } = await h.openShop({
        lang: 'pl',
        token: await token('ewa'),
      });
      const panel = await h.openPanel(page);
      await panel.getByRole('button', { name: /^Wymień 500 punktów na: Rabat 25 zł/ }).click();
      await panel.getByTestId('coupon-preparing').waitFor();
      expect(await text(panel.getByTestId('coupon-preparing'))).toContain(
        'Przygotowujemy Twój kod',
      );
      expect(await panel.getByTestId('coupon-code').count()).toBe(0);
      await h.shot(page, 'pl-1280-code-preparing');
      await panel.getByRole('button', { name: 'Wróć' }).click();
      await panel.getByText('Kod w przygotowaniu…').waitFor();
      expect(complaints).toEqual([]);
      // The same on a phone, in English.
      const phone = await h.openShop({ lang: 'en', width: 390, token: await token('ewa') });
      const phonePanel = await h.openPanel(phone.page);
      await phonePanel.getByText('Code being prepared…').waitFor();
      expect(await h.widgetViolations(phone.page)).toEqual([]);
      await h.shot(phone.page, 'en-390-code-preparing');
      await phone.context.close();
      // The platform creates it: the panel shows the code at its next look, without a reload.
      await h.t.db
        .updateTable('platform_codes')
        .set({ state: 'created', ref: 'promo-1' })
        .where('shop_id', '=', h.shop.id)
        .execute();
      await expect
        .poll(() => panel.getByText('Kod w przygotowaniu…').count(), { timeout: 15_000 })
        .toBe(0);
      const { code } = await h.t.db
        .selectFrom('coupons')
        .innerJoin('customers', (j) =>
          j
            .onRef('customers.shop_id', '=', 'coupons.shop_id')
            .onRef('customers.id', '=', 'coupons.customer_id'),
        )
        .select('coupons.code')
        .where('coupons.shop_id', '=', h.shop.id)
        .where('customers.external_id', '=', 'ewa')
        .executeTakeFirstOrThrow();
      await panel.getByText(code).waitFor();
      await context.close();
    } finally {
      await h.t.db.deleteFrom('connections').where('id', '=', 'con_widget').execute();
    }
  });
});
