import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  browserTestsRun,
  startStorefrontHarness,
  type StorefrontHarness,
} from './storefront-harness.ts';
import { startSmtpSink, type SmtpSink } from '../automations/support.ts';
import {
  CONSENT_EN,
  CONSENT_PL,
  confirmLinkIn,
  createCampaign,
  newsletterPopup,
} from '../popups/support.ts';

/*
 * Pop-ups on a shop's page in Chromium: shown on exit intent (the pointer leaving through the
 * top of the window) or on scrolling, an accessible dialog inside the widget's shadow root, Esc,
 * the sign-up recording the consent text as shown, the double opt-in e-mail reaching a real SMTP
 * server, its link's button issuing the welcome code; never on a checkout page. pl and en, 1280
 * and 390 px. Screenshots into LOJAL_SHOTS (e.g. /tmp/shots-popups).
 */

const NOW = '2026-12-07T11:00:00Z';
let h: StorefrontHarness;
let smtp: SmtpSink;
let popupId: string;
let campaignId: string;

beforeAll(async () => {
  if (!browserTestsRun) return;
  smtp = await startSmtpSink();
  h = await startStorefrontHarness({
    now: NOW,
    shopName: 'Palarnia Kawy',
    config: { smtpUrl: smtp.url },
    seed: async (t, shop) => {
      campaignId = await createCampaign(t, shop);
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/popups',
        headers: { authorization: `Bearer ${shop.apiKey}` },
        payload: {
          ...newsletterPopup(),
          // One variant, so the screenshots and texts are known.
          variants: [newsletterPopup().variants[0]],
          triggers: { exitIntent: true, scrollPercent: 60 },
          welcomeCoupon: { campaignId, validDays: 14 },
        },
      });
      if (res.statusCode !== 201) throw new Error(res.body);
      popupId = res.json().id;
    },
  });
}, 180_000);
afterAll(async () => {
  await h?.close();
  await smtp?.close();
});

const dialog = (page: Page) => page.locator('lojal-popups dialog');

/** The widget has loaded the popups chunk and it has armed the page's pop-up. */
async function popupsArmed(page: Page): Promise<string[]> {
  await page.waitForFunction(
    () => !!document.querySelector('script[src*="/widget/popups-"]'),
    null,
    {
      timeout: 15_000,
    },
  );
  return page.evaluate(async () => {
    const lojal = (
      window as unknown as { __lojal: { load(n: string): Promise<{ offers: { id: string }[] }> } }
    ).__lojal;
    return (await lojal.load('popups')).offers.map((o) => o.id);
  });
}

/** The pointer comes into the page, then leaves it through the top edge. */
async function exitIntent(page: Page) {
  const x = Math.round((page.viewportSize()?.width ?? 1280) / 2);
  await page.mouse.move(x, 300);
  await page.mouse.move(x, 120, { steps: 4 });
  await page.mouse.move(x, -20, { steps: 4 });
}

async function mailTo(address: string, n: number) {
  for (let i = 0; i < 200; i++) {
    const mails = smtp.mails.filter((m) => m.envelopeTo.includes(address));
    if (mails.length >= n) return mails;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no mail ${n} to ${address}`);
}

describe.skipIf(!browserTestsRun)('pop-ups on the storefront', () => {
  it('shows on exit intent as an accessible dialog, closes on Esc, then records the sign-up and its double opt-in (pl, 1280 px)', async () => {
    const { context, page, complaints } = await h.openShop({ lang: 'pl' });
    try {
      expect(await popupsArmed(page)).toEqual([popupId]);
      await page.locator('#shop-input').focus();
      await expect.poll(() => dialog(page).count()).toBe(0);
      await exitIntent(page);
      const shown = page.getByRole('dialog', { name: 'Zapisz się i odbierz 10% rabatu' });
      await shown.waitFor({ state: 'visible' });
      expect(await h.widgetViolations(page)).toEqual([]);
      await h.shot(page, 'popup-pl-1280');
      // Modal: in the top layer, the page behind inert.
      expect(
        await page.evaluate(() =>
          document
            .querySelector('lojal-popups')!
            .shadowRoot!.querySelector('dialog')!
            .matches(':modal'),
        ),
      ).toBe(true);
      // Focus is inside, on the e-mail field; Tab goes round inside the dialog.
      expect(
        await page.evaluate(
          () => document.querySelector('lojal-popups')!.shadowRoot!.activeElement?.id,
        ),
      ).toBe('lojal-popup-email');
      for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
      expect(
        await page.evaluate(
          () => !!document.querySelector('lojal-popups')!.shadowRoot!.activeElement,
        ),
      ).toBe(true);
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog(page).count()).toBe(0);
      // Focus went back where it was.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('shop-input');
      // One impression for this visitor today.
      const impressions = await h.t.db.selectFrom('popup_impressions').selectAll().execute();
      expect(impressions).toHaveLength(1);
      // Once per session: after a reload the pop-up is still offered, but not shown again.
      await page.reload();
      expect(await popupsArmed(page)).toEqual([popupId]);
      await exitIntent(page);
      await page.waitForTimeout(300);
      expect(await dialog(page).count()).toBe(0);
      expect(complaints).toEqual([]);
    } finally {
      await context.close();
    }

    // A new visitor signs up.
    const second = await h.openShop({ lang: 'pl' });
    try {
      const { page } = second;
      await popupsArmed(page);
      await exitIntent(page);
      const shown = dialog(page);
      await shown.waitFor({ state: 'visible' });
      const submit = shown.getByRole('button', { name: 'Zapisuję się' });
      await submit.click();
      await expect
        .poll(() => shown.getByRole('alert').textContent())
        .toContain('Podaj poprawny adres e-mail');
      await shown.getByLabel('Adres e-mail').fill('ania@example.pl');
      await submit.click();
      await expect
        .poll(() => shown.getByRole('alert').textContent())
        .toBe('Zaznacz zgodę, aby się zapisać.');
      await shown.getByLabel(CONSENT_PL).check();
      await submit.click();
      await shown.getByRole('heading', { name: 'Sprawdź skrzynkę' }).waitFor();
      expect(await h.widgetViolations(page)).toEqual([]);
      await h.shot(page, 'popup-pl-1280-done');
      expect(second.complaints).toEqual([]);
    } finally {
      await second.context.close();
    }
    const signUp = await h.t.db
      .selectFrom('popup_sign_ups')
      .selectAll()
      .where('email', '=', 'ania@example.pl')
      .executeTakeFirstOrThrow();
    expect(signUp).toMatchObject({
      popup_id: popupId,
      variant: 'a',
      locale: 'pl',
      text_shown: CONSENT_PL,
      page: `${h.shopOrigin}/`,
      client_address: '127.0.0.1',
      confirmed_at: null,
    });

    // The e-mail reaches the SMTP server; its link's page confirms with one button.
    const [mail] = await mailTo('ania@example.pl', 1);
    const link = confirmLinkIn(mail!.text!);
    expect(link.startsWith(`${h.base}/popups/confirm/`)).toBe(true);
    const confirm = await h.openShop({ lang: 'pl' });
    try {
      const { page } = confirm;
      await page.goto(link);
      await page.getByRole('heading', { name: 'Potwierdź zapis do newslettera' }).waitFor();
      await h.shot(page, 'confirm-pl-1280-button');
      await page.getByRole('button', { name: 'Potwierdzam zapis' }).click();
      await page.getByRole('heading', { name: 'Zapis potwierdzony' }).waitFor();
      const coupons = await h.t.db
        .selectFrom('coupons')
        .selectAll()
        .where('campaign_id', '=', campaignId)
        .execute();
      expect(coupons).toHaveLength(1);
      expect(await page.locator('#code').textContent()).toBe(coupons[0]!.code);
      await h.shot(page, 'confirm-pl-1280');
      // The link again: nothing new.
      await page.goto(link);
      await page.getByRole('heading', { name: 'Zapis był już potwierdzony' }).waitFor();
      expect(
        await h.t.db
          .selectFrom('coupons')
          .select('id')
          .where('campaign_id', '=', campaignId)
          .execute(),
      ).toHaveLength(1);
      expect(confirm.complaints).toEqual([]);
    } finally {
      await confirm.context.close();
    }
    const mails = await mailTo('ania@example.pl', 2);
    expect(mails[1]!.subject).toBe('Twój kod powitalny w Palarnia Kawy');
    await h.t.processor.drain();
    const consent = await h.t.db
      .selectFrom('consent_events')
      .selectAll()
      .where('shop_id', '=', h.shop.id)
      .where('source', '=', 'popup')
      .execute();
    expect(consent).toHaveLength(1);
    expect(consent[0]).toMatchObject({
      granted: true,
      text_shown: CONSENT_PL,
      page: `${h.shopOrigin}/`,
    });
  });

  it('shows on scrolling at a phone’s width, in English, and the confirmation page fits', async () => {
    const { context, page, complaints } = await h.openShop({ lang: 'en', width: 390 });
    try {
      await popupsArmed(page);
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const shown = page.getByRole('dialog', { name: 'Sign up and get 10% off' });
      await shown.waitFor({ state: 'visible' });
      const box = (await shown.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      expect(await h.widgetViolations(page)).toEqual([]);
      await h.shot(page, 'popup-en-390');
      const form = dialog(page);
      await form.getByLabel('E-mail address').fill('jane@example.com');
      await form.getByLabel(CONSENT_EN).check();
      await form.getByRole('button', { name: 'Sign me up' }).click();
      // The dialog is now labelled by its new heading.
      await page.getByRole('dialog', { name: 'Check your inbox' }).waitFor();
      await h.shot(page, 'popup-en-390-done');
      const [mail] = await mailTo('jane@example.com', 1);
      expect(mail!.subject).toBe('Confirm your Palarnia Kawy newsletter sign-up');
      await page.goto(confirmLinkIn(mail!.text!));
      await page.getByRole('button', { name: 'Confirm my sign-up' }).click();
      await page.getByRole('heading', { name: 'Sign-up confirmed' }).waitFor();
      await h.shot(page, 'confirm-en-390');
      expect(complaints).toEqual([]);
    } finally {
      await context.close();
    }
    const row = await h.t.db
      .selectFrom('popup_sign_ups')
      .selectAll()
      .where('email', '=', 'jane@example.com')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ locale: 'en', text_shown: CONSENT_EN });
    expect(row.coupon_id).not.toBeNull();
  });

  it('shows the English pop-up at 1280 px and Polish at 390 px', async () => {
    for (const [lang, width] of [
      ['en', 1280],
      ['pl', 390],
    ] as const) {
      const { context, page } = await h.openShop({ lang, width });
      try {
        await popupsArmed(page);
        await exitIntent(page);
        await dialog(page).waitFor({ state: 'visible' });
        expect(await h.widgetViolations(page)).toEqual([]);
        await h.shot(page, `popup-${lang}-${width}`);
      } finally {
        await context.close();
      }
    }
  });

  it('never shows on a checkout page', async () => {
    const { context, page } = await h.openShop({ lang: 'pl' });
    try {
      const asked: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes('/popups')) asked.push(r.url());
      });
      await page.goto(`${h.shopOrigin}/checkout?lang=pl`);
      // The loader asks for the page's chunks once idle: no popups on a checkout page.
      await page.waitForFunction(() => !!document.querySelector('lojal-launcher'), null, {
        timeout: 15_000,
      });
      await page.waitForTimeout(300);
      await exitIntent(page);
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await page.waitForTimeout(300);
      expect(await dialog(page).count()).toBe(0);
      // Even loaded on purpose, the chunk asks nothing there.
      await page.evaluate(() =>
        (window as unknown as { __lojal: { load(n: string): Promise<unknown> } }).__lojal.load(
          'popups',
        ),
      );
      await exitIntent(page);
      await page.waitForTimeout(300);
      expect(await dialog(page).count()).toBe(0);
      expect(asked.filter((u) => u.includes('/storefront/'))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
