import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createMember } from '../support/accounts.ts';
import type { TestApp } from '../support/app.ts';
import { startSmtpSink, type SmtpSink } from '../automations/support.ts';
import { addCustomer, call } from '../messaging-api/support.ts';
import { databaseOutbox } from '../../src/automations/message-channels.ts';
import { messageIdFor } from '../../src/messaging/email-transport.ts';
import { newId } from '../../src/shared/ids.ts';
import { browserTestsRun, startHarness, takingShots, type Harness } from './browser-harness.ts';

// The Templates and Messages pages, driven in Chromium against the real app with a real SMTP
// server: a template edited into a Liquid error shown at its line, fixed, saved and sent as a
// test that arrives with the edited words; the SMS counter switching to UCS-2 at a Polish
// letter, with the server's figures; quiet hours saved and read back; the delivery log's
// filters against the API; the outbox's mail rendered; consent texts; an analyst who cannot save.
const NOW = '2026-12-07T10:00:00Z';
const SANDBOXED =
  /^Blocked script execution in 'about:srcdoc' because the document's frame is sandboxed/;

let h: Harness;
let t: TestApp;
let base: string;
let shop: Harness['shop'];
let sink: SmtpSink;
let owner: { email: string };
let analyst: { email: string };

async function open(page: Page, path: string, heading: RegExp) {
  await page.goto(`${base}/admin${path}`);
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  await page.mouse.move(900, 10); // off the menu entry, whose hover colour axe would judge
}

async function seed(app: TestApp, s: Harness['shop']) {
  const c = await addCustomer(app, s, {
    id: 'zofia-1',
    email: 'zofia@example.pl',
    firstName: 'Zofia',
  });
  const log = [
    { channel: 'email', purpose: 'marketing', status: 'sent', at: '2026-12-05T22:30:00Z' },
    { channel: 'sms', purpose: 'loyalty', status: 'suppressed', at: '2026-12-06T09:00:00Z' },
    { channel: 'email', purpose: 'loyalty', status: 'delivered', at: '2026-12-07T08:00:00Z' },
  ] as const;
  for (const m of log) {
    const id = newId('msg');
    await app.db
      .insertInto('messages')
      .values({
        shop_id: s.id,
        id,
        send_key: `seed:${id}`,
        customer_id: c.id,
        channel: m.channel,
        purpose: m.purpose,
        template_key: m.channel === 'sms' ? 'points_expiring' : 'birthday',
        locale: 'pl',
        to_address: m.channel === 'sms' ? '+48600100200' : 'zofia@example.pl',
        status: m.status,
        ...(m.status === 'suppressed' ? { status_reason: 'quiet_hours' } : {}),
        not_before: new Date(m.at),
        created_at: new Date(m.at),
      })
      .execute();
  }
  // One mail kept in the outbox, built as the outbox transport builds every mail.
  const key = `seed-${newId('msg')}`;
  await databaseOutbox(app.db, app.clock).send({
    to: 'zofia@example.pl',
    from: { name: 'Sklep', address: 'sklep@example.pl' },
    subject: 'Twoje punkty czekają',
    html: '<html><head><style>p{margin:0}</style></head><body><p style="color:#0b7285;font-size:20px">Masz 120 punktów — zajrzyj do sklepu.</p></body></html>',
    text: 'Masz 120 punktów.',
    headers: { 'X-Lojal-Shop': s.id, 'X-Lojal-Message': key },
    messageId: messageIdFor(key),
  });
}

describe.skipIf(!browserTestsRun)('templates and messages in a browser', () => {
  beforeAll(async () => {
    sink = await startSmtpSink();
    h = await startHarness({
      now: NOW,
      shopName: 'Pracownia Ceramiki',
      config: { smtpUrl: sink.url },
      seed,
    });
    ({ t, base, shop } = h);
    owner = await createMember(t, shop.id, 'owner', 'wlascicielka@ceramika.pl');
    analyst = await createMember(t, shop.id, 'analyst', 'analityk@ceramika.pl');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await sink?.close();
  });

  it('an owner edits an e-mail into a Liquid error, sees it at its line, fixes it, saves and gets the test', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Messages' }).click();
    await page.getByRole('heading', { name: 'Delivery log', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('heading', { name: 'Templates', level: 1 }).waitFor();
    await open(page, '/messages/templates?key=birthday&channel=email&locale=en', /^Templates$/);
    const frame = page.frameLocator('iframe[title^="Preview of the e-mail"]');
    await frame.locator('body').waitFor();
    expect(await h.seriousViolations(page)).toEqual([]);

    const body = page.getByLabel('Body (MJML with Liquid)');
    await body.fill(
      '<mj-text>Happy birthday from the studio!</mj-text>\n<mj-text>{% if points.available > 0 %}Clay points: {{ points.available }}</mj-text>',
    );
    // liquidjs: the unclosed tag, at line 2 of the body, with the line's source beside it.
    const problems = page.getByTestId('problems-body');
    await expect
      .poll(() => problems.innerText())
      .toContain('Line 2: tag {% if points.available > 0 %} not closed');
    expect(await problems.innerText()).toContain('<mj-text>{% if points.available > 0 %}');
    await page.getByTestId('preview-refused').waitFor();
    expect(await h.seriousViolations(page)).toEqual([]);

    await body.fill(
      '<mj-text>Happy birthday from the studio!</mj-text>\n<mj-text>{% if points.available > 0 %}Clay points: {{ points.available }}{% endif %}</mj-text>',
    );
    await expect.poll(() => problems.count()).toBe(0);
    // The sample customer's 1250 points, in the sandboxed frame, with the shop's footer.
    await frame.getByText('Clay points: 1250').waitFor();
    await frame.getByText('Pracownia Ceramiki').first().waitFor();
    const iframe = page.locator('iframe[title^="Preview of the e-mail"]');
    expect(await iframe.getAttribute('sandbox')).toBe('');
    // The phone width: the frame narrows to 375 px.
    await page.getByText('Phone', { exact: true }).click();
    await expect
      .poll(async () => Math.round((await iframe.boundingBox())!.width))
      .toBeLessThanOrEqual(375);

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved. Messages from now on use this version.').waitFor();
    const saved = (await call(t, shop, 'GET', '/v1/messaging/templates/birthday/email/en')).json();
    expect(saved.own).toBe(true);
    expect(saved.content.body).toContain('{% endif %}');

    await page.getByRole('button', { name: 'Send a test to me' }).click();
    await page.getByText(`Test sent to ${owner.email}.`).waitFor();
    await expect.poll(() => sink.mails.length).toBe(1);
    const mail = sink.mails[0]!;
    expect(mail.envelopeTo).toEqual([owner.email]);
    expect(mail.subject).toMatch(/^\[TEST\] /);
    expect(mail.html).toContain('Clay points: 1250');
    expect(mail.html).toContain('Happy birthday from the studio!');
    // The frame ran under the page's CSP without a single refusal; only the refused previews'
    // 400s were logged, and the sandbox refusing the scripts the test's tools (Playwright, axe)
    // try to run in the frame: the e-mail itself carries none.
    expect(complaints.filter((c) => !/status of 400/.test(c) && !SANDBOXED.test(c))).toEqual([]);
    await context.close();
  }, 60_000);

  it('the SMS counter switches to UCS-2 at a Polish letter, with the server’s figures', async () => {
    const { context, page, complaints } = await h.newPage('pl-PL');
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Pulpit', level: 1 }).waitFor();
    await open(page, '/messages/templates?key=birthday&channel=sms&locale=pl', /^Szablony$/);
    const text = page.getByLabel('Tekst', { exact: true });
    const gsm = 'Sto lat, {{ customer.firstName }}! Masz u nas prezent: {{ coupon.code }}';
    await text.fill(gsm);
    const counter = page.getByTestId('sms-counter');
    await expect.poll(() => page.getByTestId('sms-text').innerText()).toContain('Sto lat, Zofia!');
    await expect.poll(() => page.getByTestId('sms-encoding').innerText()).toBe('GSM-7');
    const before = (
      await call(t, shop, 'POST', '/v1/messaging/templates/birthday/sms/pl/preview', {
        content: { text: gsm },
      })
    ).json().segments;
    expect(await counter.innerText()).toContain(`${before.units} znaków · 1 SMS`);
    expect(await h.seriousViolations(page)).toEqual([]);

    const ucs = gsm.replace('prezent', 'prezent — ściskamy');
    await text.fill(ucs);
    await expect.poll(() => page.getByTestId('sms-encoding').innerText()).toBe('UCS-2');
    const after = (
      await call(t, shop, 'POST', '/v1/messaging/templates/birthday/sms/pl/preview', {
        content: { text: ucs },
      })
    ).json().segments;
    expect(after.encoding).toBe('UCS-2');
    await expect
      .poll(() => counter.innerText())
      .toContain(`${after.units} znaków · ${after.segments} SMS`);
    expect(complaints).toEqual([]);
    await context.close();
  }, 60_000);

  it('quiet hours and the weekly cap are saved and read back; DNS hints follow the From address', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await open(page, '/messages/settings', /^Sending$/);
    await page.getByLabel('Quiet from').fill('22:00');
    await page.getByLabel('Quiet until').fill('07:30');
    await page.getByLabel(/^Marketing messages a week/).fill('2');
    await page.getByLabel('From address').fill('sklep@ceramika.pl');
    // A bad address is named beside its field, from the server's errors[].path.
    await page.getByLabel('Reply-to address').fill('not an address');
    await page.getByRole('button', { name: 'Save the settings' }).click();
    await expect.poll(() => page.getByText('Some fields need a change').count()).toBe(1);
    expect(await h.seriousViolations(page)).toEqual([]);
    await page.getByLabel('Reply-to address').fill('');
    await page.getByRole('button', { name: 'Save the settings' }).click();
    await page.getByTestId('settings-saved').waitFor();

    await page.reload();
    await page.getByRole('heading', { name: 'Sending', level: 1 }).waitFor();
    await expect.poll(() => page.getByLabel('Quiet from').inputValue()).toBe('22:00');
    expect(await page.getByLabel('Quiet until').inputValue()).toBe('07:30');
    expect(await page.getByLabel(/^Marketing messages a week/).inputValue()).toBe('2');
    const settings = (await call(t, shop, 'GET', '/v1/messaging/settings')).json();
    expect(settings).toMatchObject({
      quietHours: { start: '22:00', end: '07:30' },
      weeklyMarketingCap: 2,
      fromAddress: 'sklep@ceramika.pl',
      replyTo: null,
    });
    expect(await page.getByTestId('dns-dmarc').innerText()).toContain('_dmarc.ceramika.pl');
    expect(await page.getByTestId('dns-dmarc').innerText()).toContain(
      'v=DMARC1; p=none; rua=mailto:dmarc@ceramika.pl',
    );
    expect(await page.getByTestId('dns-spf').innerText()).toContain(
      'v=spf1 include:<provider> ~all',
    );
    expect(await h.seriousViolations(page)).toEqual([]);
    expect(complaints.filter((c) => !/status of 400/.test(c))).toEqual([]);
    await context.close();
  }, 60_000);

  it('the delivery log filters as the API does; the outbox shows its mail rendered; consent texts save', async () => {
    const { context, page, complaints } = await h.newPage('pl-PL');
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Pulpit', level: 1 }).waitFor();
    await open(page, '/messages', /^Dziennik wysyłek$/);
    const rows = page.locator('[data-testid="delivery-log"] tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await h.seriousViolations(page)).toEqual([]);
    await page.getByRole('combobox', { name: 'Cel' }).click();
    await page.getByRole('option', { name: 'Program lojalnościowy' }).click();
    const loyalty = (await call(t, shop, 'GET', '/v1/messages?purpose=loyalty')).json().messages;
    await expect.poll(() => rows.count()).toBe(loyalty.length);
    expect(loyalty).toHaveLength(2);
    // 6 December in Warsaw: the SMS held back in quiet hours, not the e-mail of 5 December 23:30.
    await page.getByLabel('Od (dzień)').fill('2026-12-06');
    await page.getByLabel('Do (dzień, włącznie)').fill('2026-12-06');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('Wstrzymana');
    expect(await rows.first().innerText()).toContain('czeka na koniec ciszy nocnej');

    await page.getByRole('link', { name: 'Skrzynka nadawcza' }).click();
    await page.getByRole('heading', { name: 'Skrzynka nadawcza', level: 1 }).waitFor();
    const mail = page.frameLocator('iframe[title^="E-mail"]');
    await mail.getByText('Masz 120 punktów — zajrzyj do sklepu.').waitFor();
    // The mail's own style attribute, carried into the frame under the CSP.
    expect(
      await mail.getByText('Masz 120 punktów').evaluate((p) => getComputedStyle(p).fontSize),
    ).toBe('20px');
    expect(await h.seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Treści zgód' }).click();
    await page.getByRole('heading', { name: 'Treści zgód', level: 1 }).waitFor();
    const own = 'Tak, chcę SMS-y o rabatach z Pracowni. Wypiszę się, odpisując STOP.';
    await page.getByTestId('consent-sms/marketing/pl').fill(own);
    await page.getByRole('button', { name: 'Zapisz treści' }).click();
    await page.getByText('Treści zgód zapisane.').waitFor();
    const texts = (await call(t, shop, 'GET', '/v1/messaging/consent-texts')).json().data;
    expect(texts.filter((x: { own: boolean }) => x.own)).toEqual([
      expect.objectContaining({ channel: 'sms', purpose: 'marketing', locale: 'pl', text: own }),
    ]);
    expect(await h.seriousViolations(page)).toEqual([]);
    expect(complaints.filter((c) => !SANDBOXED.test(c))).toEqual([]);
    await context.close();
  }, 60_000);

  it('an analyst reads every page and cannot save; the API refuses the write', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await h.signInAs(page, analyst.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await open(page, '/messages/templates?key=birthday&channel=email&locale=pl', /^Templates$/);
    await page.getByTestId('read-only').waitFor();
    expect(await page.getByRole('button', { name: 'Save', exact: true }).count()).toBe(0);
    expect(await page.getByLabel('Subject').getAttribute('readonly')).not.toBeNull();
    expect(await h.seriousViolations(page)).toEqual([]);
    await open(page, '/messages/settings', /^Sending$/);
    await page.getByTestId('read-only').waitFor();
    expect(await page.getByRole('button', { name: 'Save the settings' }).count()).toBe(0);
    expect(await h.seriousViolations(page)).toEqual([]);
    await open(page, '/messages/consent', /^Consent texts$/);
    expect(await page.getByRole('button', { name: 'Save the texts' }).count()).toBe(0);
    // The same writes from the analyst's session: 403, and nothing changed.
    const status = await page.evaluate(async (shopId) => {
      const put = (url: string, body: unknown) =>
        fetch(url, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', 'lojal-shop': shopId },
          body: JSON.stringify(body),
        }).then((r) => r.status);
      return [
        await put('/v1/messaging/settings', { quietHours: { start: '23:00', end: '06:00' } }),
        await put('/v1/messaging/templates/birthday/sms/pl', { text: 'x' }),
      ];
    }, shop.id);
    expect(status).toEqual([403, 403]);
    const settings = (await call(t, shop, 'GET', '/v1/messaging/settings')).json();
    expect(settings.quietHours).toEqual({ start: '22:00', end: '07:30' });
    expect(complaints.filter((c) => !/status of 403/.test(c))).toEqual([]);
    await context.close();
  }, 60_000);

  it.skipIf(!takingShots)(
    'screenshots: the messages pages in both languages at 1280 and 390 px',
    async () => {
      await h.inEachLanguageAndWidth(owner.email, async ({ page, lang, width, shot }) => {
        await open(page, '/messages', /^(Delivery log|Dziennik wysyłek)$/);
        await page.getByTestId('delivery-log').waitFor();
        await shot('messages-log');
        await open(page, '/messages/outbox', /^(Outbox|Skrzynka nadawcza)$/);
        await page
          .frameLocator('iframe')
          .first()
          .getByText(/Masz 120/)
          .waitFor();
        await shot('messages-outbox');
        await open(
          page,
          '/messages/templates?key=birthday&channel=email',
          /^(Templates|Szablony)$/,
        );
        await page
          .frameLocator('iframe')
          .first()
          .getByText(/Zofia|Clay points/)
          .first()
          .waitFor();
        await shot('messages-templates-email');
        // Chromium paints a frame below the first screen blank in a full-page shot: the
        // preview alone, scrolled into view and at the phone width.
        await page.getByText(/^(Phone|Telefon)$/).click();
        const preview = page.locator('iframe').first();
        await preview.scrollIntoViewIfNeeded();
        await page
          .frameLocator('iframe')
          .first()
          .getByText(/Zofia|Clay points/)
          .first()
          .waitFor();
        await preview.screenshot({
          path: `${process.env.LOJAL_SHOTS}/messages-preview-phone-${lang}-${width}.png`,
        });
        await open(
          page,
          '/messages/templates?key=points_expiring&channel=sms',
          /^(Templates|Szablony)$/,
        );
        await page.getByTestId('sms-counter').waitFor();
        await shot('messages-templates-sms');
        await open(page, '/messages/consent', /^(Consent texts|Treści zgód)$/);
        await shot('messages-consent');
        await open(page, '/messages/settings', /^(Sending|Wysyłka)$/);
        await page.getByTestId('dns-hints').waitFor();
        await shot('messages-settings');
      });
    },
    120_000,
  );
});
