import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asMember, createMember, signIn } from '../support/accounts.ts';
import { bearer, type TestApp } from '../support/app.ts';
import { browserTestsRun, startHarness, takingShots, type Harness } from './browser-harness.ts';

// Rewards, coupon campaigns and gift cards in the dashboard, driven by Debian's Chromium against
// the real app: each journey checked in the API and the audit log, an analyst shown no write
// controls and refused by the API, axe on each page, screenshots in both languages.
const NOW = '2026-12-06T10:00:00Z';

let h: Harness;
let t: TestApp;
let base: string;
let shop: Harness['shop'];
let owner: { email: string };
let analyst: { email: string };
let campaignId = '';
let firstCode = '';
let giftCode = '';

const apiGet = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url, headers: bearer(shop.apiKey) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
/** The audit log's actions on the shop, newest first. */
const auditActions = async () =>
  (
    (await apiGet('/v1/audit-log?limit=200')).data as { action: string; target: { id: string } }[]
  ).map((e) => `${e.action} ${e.target?.id ?? ''}`.trim());

async function signedInAt(page: Page, email: string, path: string, heading: string | RegExp) {
  await h.signInAs(page, email);
  await page.waitForURL((url) => !url.pathname.endsWith('/sign-in'));
  await page.goto(`${base}/admin${path}`);
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

describe.skipIf(!browserTestsRun)('rewards, coupons and gift cards in a browser', () => {
  beforeAll(async () => {
    h = await startHarness({ now: NOW, shopName: 'Księgarnia Pod Sową' });
    ({ t, base, shop } = h);
    owner = await createMember(t, shop.id, 'owner', 'wlasciciel@ksiegarnia.pl');
    analyst = await createMember(t, shop.id, 'analyst', 'analityk@ksiegarnia.pl');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('an owner adds a reward (a field error shown by its field first), edits it and deletes it', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await signedInAt(page, owner.email, '/rewards', 'Rewards');
    await page.getByRole('button', { name: 'Add a reward' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Name in Polish/).fill('Rabat 20 zł');
    await dialog.getByLabel(/^Name in English/).fill('PLN 20 off');
    await dialog.getByLabel(/^Cost in points/).fill('200');
    // No amount: the server says so next to the amount field.
    const refused = page.waitForResponse((r) => r.url().endsWith('/v1/rewards'));
    await dialog.getByRole('button', { name: 'Add the reward' }).click();
    expect((await refused).status()).toBe(400);
    const amount = dialog.getByLabel(/^Amount off/);
    await expect.poll(() => amount.getAttribute('aria-invalid')).toBe('true');
    await dialog.getByText('Enter an amount greater than zero.').waitFor();
    expect(await h.seriousViolations(page)).toEqual([]);
    await amount.fill('20');
    await dialog.getByLabel(/^Minimum cart/).fill('100');
    await dialog.getByLabel(/^Per customer/).fill('2');
    await dialog.getByLabel(/^Available until/).fill('2026-12-31');
    await dialog.getByRole('button', { name: 'Add the reward' }).click();
    await dialog.waitFor({ state: 'detached' });
    const table = page.getByTestId('rewards-table');
    await expect.poll(() => table.innerText()).toContain('PLN 20 off');
    const row = table.locator('tr', { hasText: 'PLN 20 off' });
    expect(await row.innerText()).toMatch(/PLN\s20\.00 off/);
    expect(await row.innerText()).toContain('200 points');
    expect(await row.innerText()).toContain('2 times per customer');
    expect(await row.innerText()).toContain('until 31 Dec');
    const created = ((await apiGet('/v1/rewards')) as { id: string; names: { en: string } }[]).find(
      (r) => r.names.en === 'PLN 20 off',
    ) as Record<string, unknown> & { id: string };
    expect(created).toMatchObject({
      kind: 'fixed_discount',
      pointsCost: 200,
      amount: 2000,
      minBasket: 10000,
      perCustomerLimit: 2,
      // The last day in the shop's zone (Warsaw) is included: the end is midnight after it.
      endsAt: '2026-12-31T23:00:00.000Z',
    });
    expect(await h.seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Edit PLN 20 off' }).click();
    await dialog.getByLabel(/^Cost in points/).fill('250');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => row.innerText()).toContain('250 points');

    await page.getByRole('button', { name: 'Delete PLN 20 off' }).click();
    await dialog.getByText('“PLN 20 off” leaves the catalogue.', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => table.innerText()).not.toContain('PLN 20 off');
    expect(
      ((await apiGet('/v1/rewards')) as { id: string }[]).some((r) => r.id === created.id),
    ).toBe(false);

    // A second reward stays for the screenshots.
    await page.getByRole('button', { name: 'Add a reward' }).click();
    await dialog.getByLabel(/^Name in Polish/).fill('Darmowa dostawa');
    await dialog.getByLabel(/^Name in English/).fill('Free delivery');
    await dialog.getByLabel(/^Kind/).click();
    await page.getByRole('option', { name: 'Free shipping' }).click();
    await dialog.getByLabel(/^Cost in points/).fill('150');
    await dialog.getByRole('button', { name: 'Add the reward' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => table.innerText()).toContain('Free delivery');

    const audit = await auditActions();
    expect(audit).toContain(`POST /v1/rewards ${created.id}`);
    expect(audit).toContain(`PUT /v1/rewards/:rewardId ${created.id}`);
    expect(audit).toContain(`DELETE /v1/rewards/:rewardId ${created.id}`);
    // 400: the field error shown on purpose; 404: GET /v1/tiers before a tier programme exists.
    expect(complaints.filter((c) => !/status of (400|404)/.test(c))).toEqual([]);
    await context.close();
  }, 60_000);

  it('an owner creates a campaign, generates codes, downloads them as CSV and checks codes with every reason', async () => {
    // An old campaign with a shared code, ended and with a high minimum, made through the API.
    const old = await t.app.inject({
      method: 'POST',
      url: '/v1/coupon-campaigns',
      headers: bearer(shop.apiKey),
      payload: {
        name: 'Lato',
        code: 'LATO2026',
        discount: { kind: 'fixed', amount: 1500, currency: 'PLN' },
        minBasket: 50000,
        endsAt: '2026-09-01T00:00:00+02:00',
      },
    });
    expect(old.statusCode, old.body).toBe(201);

    const { context, page, complaints } = await h.newPage('en-GB');
    await signedInAt(page, owner.email, '/coupons', 'Coupon campaigns');
    await page.getByRole('button', { name: 'New campaign' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Name/).fill('Zima');
    await dialog.getByLabel(/^Percentage off/).fill('10');
    await dialog.getByLabel(/^At most/).fill('30');
    await dialog.getByLabel(/^Valid until/).fill('2026-12-31');
    await dialog.getByLabel(/^Minimum cart/).fill('50');
    await dialog.getByLabel(/^Uses per customer/).fill('1');
    await dialog.getByRole('button', { name: 'Create the campaign' }).click();
    await page.getByRole('heading', { name: 'Zima', level: 1 }).waitFor();
    campaignId = new URL(page.url()).pathname.split('/').pop()!;
    const terms = page.getByTestId('campaign-terms');
    expect(await terms.innerText()).toMatch(/10% off \(at most PLN\s30\.00\)/);
    expect(await terms.innerText()).toContain('until 31 Dec');
    expect(await apiGet(`/v1/coupon-campaigns/${campaignId}`)).toMatchObject({
      name: 'Zima',
      discount: { kind: 'percentage', percent: 10, cap: 3000 },
      minBasket: 5000,
      usesPerCustomer: 1,
      endsAt: '2026-12-31T23:00:00.000Z',
    });

    // A bad prefix is said by its field; then 5 codes.
    const generate = page.getByTestId('generate-codes');
    await generate.getByLabel(/^How many/).fill('5');
    await generate.getByLabel(/^Prefix/).fill('ZIMA-');
    await generate.getByRole('button', { name: 'Generate' }).click();
    await generate.getByText('Up to 12 capital letters and digits.').waitFor();
    await generate.getByLabel(/^Prefix/).fill('ZIMA');
    await generate.getByRole('button', { name: 'Generate' }).click();
    await generate.getByText('5 codes generated.').waitFor();
    await expect.poll(() => terms.innerText()).toMatch(/Codes\s+5/);
    expect(await h.seriousViolations(page)).toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download codes (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Zima-codes.csv');
    const csv = (await readFile((await download.path())!, 'utf8')).trim().split(/\r?\n/);
    expect(csv[0]).toBe('code,used,usage_limit,created_at');
    expect(csv).toHaveLength(6);
    const codes = csv.slice(1).map((line) => line.split(',')[0]!);
    for (const code of codes) expect(code.replace(/-/g, '')).toMatch(/^ZIMA[A-Z0-9]{13}$/);
    expect(new Set(codes).size).toBe(5);
    firstCode = codes[0]!;

    // The tester: a valid code with its discount, an unknown one, an old one with two reasons.
    await page.getByRole('link', { name: '← All campaigns' }).click();
    await page.getByRole('heading', { name: 'Coupon campaigns', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('campaigns-table').innerText()).toContain('Zima');
    const tester = page.getByTestId('code-tester');
    const result = page.getByTestId('tester-result');
    await tester.getByLabel(/^Code/).fill(firstCode.toLowerCase());
    await tester.getByLabel(/^Cart total/).fill('120');
    await tester.getByRole('button', { name: 'Check' }).click();
    await result.getByText(`The code ${firstCode} is valid`).waitFor();
    expect(await result.innerText()).toMatch(/It takes PLN\s12\.00 off this cart\./);

    await tester.getByLabel(/^Code/).fill('NIEMA-TAKIEGO');
    await tester.getByRole('button', { name: 'Check' }).click();
    await result.getByText('The code is refused').waitFor();
    await expect
      .poll(() => page.getByTestId('refusal-reasons').innerText())
      .toBe('There is no such code (or its campaign was deleted).');

    await tester.getByLabel(/^Code/).fill('lato2026');
    await tester.getByRole('button', { name: 'Check' }).click();
    await expect
      .poll(() => page.getByTestId('refusal-reasons').locator('li').allInnerTexts())
      .toEqual(['The code has expired.', 'The cart is below the code’s minimum.']);
    // The pointer still rests on the button it clicked: its hover shade is not what axe judges.
    await page.mouse.move(0, 0);
    expect(await h.seriousViolations(page)).toEqual([]);

    // In Polish, the same reasons in Polish.
    await page.locator('label', { hasText: /^PL$/ }).click();
    await page.getByRole('heading', { name: 'Kampanie kuponów', level: 1 }).waitFor();
    await page.getByTestId('code-tester').getByRole('button', { name: 'Sprawdź' }).click();
    await expect
      .poll(() => page.getByTestId('refusal-reasons').locator('li').allInnerTexts())
      .toEqual(['Kod stracił ważność.', 'Wartość koszyka jest niższa niż minimum kodu.']);

    const audit = await auditActions();
    expect(audit).toContain(`POST /v1/coupon-campaigns ${campaignId}`);
    expect(audit).toContain(`POST /v1/coupon-campaigns/:campaignId/codes ${campaignId}`);
    // 400: the field error shown on purpose; 404: GET /v1/tiers before a tier programme exists.
    expect(complaints.filter((c) => !/status of (400|404)/.test(c))).toEqual([]);
    await context.close();
  }, 90_000);

  it('an owner deletes a campaign after confirming, and its codes stop working', async () => {
    const made = await t.app.inject({
      method: 'POST',
      url: '/v1/coupon-campaigns',
      headers: bearer(shop.apiKey),
      payload: { name: 'Do usunięcia', code: 'USUN-MNIE', discount: { kind: 'free_shipping' } },
    });
    const id = made.json().id as string;
    const { context, page } = await h.newPage('en-GB');
    await signedInAt(page, owner.email, `/coupons/${id}`, 'Do usunięcia');
    await page.getByRole('button', { name: 'Delete the campaign' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { name: 'Coupon campaigns', level: 1 }).waitFor();
    await expect
      .poll(() => page.getByTestId('campaigns-table').innerText())
      .not.toContain('Do usunięcia');
    const check = await t.app.inject({
      method: 'POST',
      url: '/v1/coupons/validate',
      headers: bearer(shop.apiKey),
      payload: { code: 'USUN-MNIE', cart: { currency: 'PLN', total: 1000 } },
    });
    expect(check.json()).toMatchObject({ valid: false, reason: 'not_found' });
    expect(await auditActions()).toContain(`DELETE /v1/coupon-campaigns/:campaignId ${id}`);
    await context.close();
  }, 45_000);

  it('an owner issues a gift card, sees its code once, looks it up, takes part of it and sees balance and history', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await signedInAt(page, owner.email, '/gift-cards', 'Gift cards');
    const issue = page.getByTestId('issue-form');
    await issue.getByLabel(/^Value/).fill('200');
    await issue.getByRole('button', { name: 'Issue the card' }).click();
    const shown = page.getByTestId('issued-code');
    await shown.waitFor();
    giftCode = (await shown.innerText()).trim();
    expect(giftCode.length).toBeGreaterThanOrEqual(6);
    await issue.getByRole('button', { name: 'Copy the code' }).waitFor();
    expect(await issue.innerText()).toContain('This is the only time the full code is shown');
    const list = page.getByTestId('card-list');
    const last4 = giftCode.replace(/-/g, '').slice(-4).toUpperCase();
    await expect.poll(() => list.innerText()).toContain(`…${last4}`);
    expect(await list.innerText()).not.toContain(giftCode);
    expect(await h.seriousViolations(page)).toEqual([]);

    const lookup = page.getByTestId('lookup-form');
    await lookup.getByLabel(/^Card code/).fill('NIE-MA-TAKIEJ');
    await lookup.getByRole('button', { name: 'Look up' }).click();
    await lookup.getByText('No card has this code.').waitFor();
    await lookup.getByLabel(/^Card code/).fill(giftCode.toLowerCase());
    await lookup.getByRole('button', { name: 'Look up' }).click();
    const card = page.getByTestId('gift-card');
    await expect.poll(() => card.getByTestId('card-balance').innerText()).toMatch(/PLN\s200\.00/);

    const spend = page.getByTestId('spend-form');
    await spend.getByLabel(/^Amount to take/).fill('500');
    await spend.getByRole('button', { name: 'Take from the card' }).click();
    await spend.getByText(/The card does not cover this/).waitFor();
    await spend.getByLabel(/^Amount to take/).fill('50.50');
    await spend.getByLabel(/^Order id/).fill('zam-77');
    await spend.getByRole('button', { name: 'Take from the card' }).click();
    await spend.getByText(/Done\. The card has PLN\s149\.50 left\./).waitFor();
    await expect.poll(() => card.getByTestId('card-balance').innerText()).toMatch(/PLN\s149\.50/);
    const history = page.getByTestId('card-history');
    await expect.poll(() => history.locator('tbody tr').count()).toBe(2);
    const rows = await history.locator('tbody tr').allInnerTexts();
    expect(rows[0]).toMatch(/Spent[\s\S]*order zam-77[\s\S]*-PLN\s50\.50[\s\S]*PLN\s149\.50/);
    expect(rows[1]).toMatch(/Issued[\s\S]*\+PLN\s200\.00[\s\S]*PLN\s200\.00/);
    expect(await h.seriousViolations(page)).toEqual([]);

    const view = await apiGet(`/v1/gift-cards/${giftCode}`);
    expect(view.balance).toEqual({ amount: 14950, currency: 'PLN' });
    const audit = await auditActions();
    expect(audit.filter((a) => a.startsWith('POST /v1/gift-cards'))).toEqual([
      expect.stringMatching(/^POST \/v1\/gift-cards\/:code\/spends/),
      expect.stringMatching(/^POST \/v1\/gift-cards /),
    ]);
    expect(JSON.stringify(await apiGet('/v1/audit-log?limit=200'))).not.toContain(giftCode);
    expect(complaints.filter((c) => !/status of (404|422)/.test(c))).toEqual([]);
    await context.close();
  }, 60_000);

  it('an analyst sees every page without write controls, and the API refuses their writes (403)', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await signedInAt(page, analyst.email, '/rewards', 'Rewards');
    await expect
      .poll(() => page.getByTestId('rewards-table').innerText())
      .toContain('Free delivery');
    expect(await page.getByRole('button', { name: 'Add a reward' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^(Edit|Delete)/ }).count()).toBe(0);

    await page.getByRole('link', { name: 'Coupons' }).click();
    await page.getByRole('heading', { name: 'Coupon campaigns', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('campaigns-table').innerText()).toContain('Zima');
    expect(await page.getByRole('button', { name: 'New campaign' }).count()).toBe(0);
    expect(await page.getByTestId('code-tester').count()).toBe(0);
    await page.getByRole('link', { name: 'Zima' }).click();
    await page.getByRole('heading', { name: 'Zima', level: 1 }).waitFor();
    await page.getByTestId('campaign-terms').waitFor();
    expect(await page.getByTestId('generate-codes').count()).toBe(0);
    expect(await page.getByRole('button', { name: /CSV|Delete/ }).count()).toBe(0);

    await page.getByRole('link', { name: 'Gift cards' }).click();
    await page.getByRole('heading', { name: 'Gift cards', level: 1 }).waitFor();
    expect(await page.getByTestId('issue-form').count()).toBe(0);
    await page
      .getByTestId('lookup-form')
      .getByLabel(/^Card code/)
      .fill(giftCode);
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect.poll(() => page.getByTestId('card-balance').innerText()).toMatch(/PLN\s149\.50/);
    expect(await page.getByTestId('spend-form').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Refund' }).count()).toBe(0);
    expect(complaints).toEqual([]);
    await context.close();

    const headers = asMember(await signIn(t, analyst.email), shop.id, base);
    const writes: [string, string, object][] = [
      ['POST', '/v1/rewards', { name: 'X', kind: 'free_shipping', pointsCost: 1 }],
      ['POST', '/v1/coupon-campaigns', { name: 'X', discount: { kind: 'free_shipping' } }],
      ['POST', `/v1/coupon-campaigns/${campaignId}/codes`, { count: 1 }],
      ['POST', '/v1/coupons/validate', { code: firstCode, cart: { currency: 'PLN', total: 1 } }],
      ['POST', '/v1/gift-cards', { amount: 100, currency: 'PLN' }],
      ['POST', `/v1/gift-cards/${giftCode}/spends`, { amount: 100, currency: 'PLN' }],
    ];
    for (const [method, url, payload] of writes) {
      const res = await t.app.inject({ method: method as 'POST', url, headers, payload });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
    const csv = await t.app.inject({
      method: 'GET',
      url: `/v1/coupon-campaigns/${campaignId}/codes.csv`,
      headers,
    });
    expect(csv.statusCode).toBe(403);
    expect((await apiGet(`/v1/gift-cards/${giftCode}`)).balance.amount).toBe(14950);
  }, 60_000);

  it('a support member demoted while the page is open is refused by the server, and sees the forbidden state', async () => {
    // The page hides what a role may not use; if the server still refuses, the page says so.
    const support = await createMember(t, shop.id, 'support', 'obsluga@ksiegarnia.pl');
    const { context, page } = await h.newPage('en-GB');
    await signedInAt(page, support.email, '/gift-cards', 'Gift cards');
    await page.getByTestId('issue-form').waitFor();
    // The role changes while the page is open: the next write is refused.
    await t.db
      .updateTable('memberships')
      .set({ role: 'analyst' })
      .where('shop_id', '=', shop.id)
      .where('user_id', '=', support.userId)
      .execute();
    await page
      .getByTestId('issue-form')
      .getByLabel(/^Value/)
      .fill('10');
    await page.getByRole('button', { name: 'Issue the card' }).click();
    await expect
      .poll(() => page.getByTestId('forbidden').innerText())
      .toBe('Your role in this shop does not allow this.');
    await context.close();
  }, 45_000);

  it.skipIf(!takingShots)(
    'screenshots: rewards, coupons, a campaign and gift cards in both languages at 1280 and 390 px',
    async () => {
      await h.inEachLanguageAndWidth(owner.email, async ({ page, shot }) => {
        await page.goto(`${base}/admin/rewards`);
        await page.getByTestId('rewards-table').waitFor();
        await shot('rewards');
        await page.getByRole('button', { name: /Add a reward|Dodaj nagrodę/ }).click();
        await page.getByRole('dialog').waitFor();
        await page.waitForTimeout(500); // the modal's fade-in
        await shot('reward-form');
        await page.keyboard.press('Escape');
        await page.goto(`${base}/admin/coupons`);
        await page.getByTestId('campaigns-table').waitFor();
        const tester = page.getByTestId('code-tester');
        await tester.getByLabel(/^(Code|Kod)/).fill('LATO2026');
        await tester.getByRole('button', { name: /^(Check|Sprawdź)$/ }).click();
        await page.getByTestId('refusal-reasons').waitFor();
        await shot('coupons');
        await page.goto(`${base}/admin/coupons/${campaignId}`);
        await page.getByTestId('campaign-terms').waitFor();
        await shot('campaign');
        await page.goto(`${base}/admin/gift-cards`);
        await page.getByTestId('card-list').waitFor();
        await page.getByTestId('lookup-form').getByRole('textbox').fill(giftCode);
        await page.getByTestId('lookup-form').getByRole('button').click();
        await page.getByTestId('card-history').waitFor();
        await shot('gift-cards');
      });
    },
    120_000,
  );
});
