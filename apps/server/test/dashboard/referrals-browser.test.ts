import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { asMember, createMember, signIn } from '../support/accounts.ts';
import type { TestApp } from '../support/app.ts';
import { call, orderPaid, send } from '../points/support.ts';
import { attribute, campaign, codeOf, referralPoints, signUp } from '../referrals/support.ts';
import { browserTestsRun, startHarness, takingShots, type Harness } from './browser-harness.ts';

// The referral pages driven in Chromium against the real app: a campaign's terms edited with
// their plain-words summary; the review queue — flagged referrals (the friend has the referrer's
// phone) with their reasons and both customers — approved (the referrer's lead points granted),
// rejected with a note, and two approved at once; the funnel equal to the API's results; share
// messages edited; affiliates with their payouts as CSV; an analyst read-only (403 from the API).
//
// | customer   | what                                                    |
// | ---------- | ------------------------------------------------------- |
// | anna       | the referrer: one order of 120 zł, phone 600 100 200    |
// | kasia-1…4  | friends with anna's phone: flagged (same_phone, +80)    |
// | basia      | a clean friend who bought 80 zł with anna's code        |
// | celina     | bought 200 zł with the affiliate code KASIA10 in April  |
const NOW = '2026-06-10T10:00:00Z';

let h: Harness;
let t: TestApp;
let base: string;
let shop: Harness['shop'];
let owner: { email: string };
let analyst: { email: string };
let campaignId: string;
const flagged: Record<string, string> = {};

const pln = (minor: number) =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'PLN' }).format(minor / 100);

async function open(page: Page, path: string, heading: string | RegExp) {
  await page.goto(`${base}/admin${path}`);
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

async function apiGet(url: string) {
  const res = await call(t, shop, 'GET', url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function flagFriend(app: TestApp, s: Harness['shop'], friend: string) {
  await signUp(app, s, friend, {
    firstName: 'Kasia',
    email: `${friend}@example.pl`,
    phone: '600100200',
  });
  const result = await attribute(app, s, {
    customerId: friend,
    code: await codeOf(app, s, 'anna'),
  });
  expect(result).toMatchObject({ status: 'flagged' });
  flagged[friend] = (result as { referralId: string }).referralId;
}

describe.skipIf(!browserTestsRun)('referral pages in a browser', () => {
  beforeAll(async () => {
    h = await startHarness({
      now: NOW,
      shopName: 'Sklep Polecany',
      seed: async (app, s) => {
        campaignId = (
          await campaign(
            app,
            s,
            {
              lead: { referrer: { kind: 'points', points: 10 } },
              main: { referrer: { kind: 'points', points: 100 } },
              friendDiscount: { kind: 'percentage', percent: 10 },
              termsUrl: 'https://sklep-testowy.pl/regulamin',
            },
            'Poleć znajomym',
          )
        ).id;
        await signUp(app, s, 'anna', {
          firstName: 'Anna',
          lastName: 'Nowak',
          email: 'anna@example.pl',
          phone: '+48 600 100 200',
        });
        await send(app, s, orderPaid('o-anna', 'anna', '2026-05-01T10:00:00Z', { total: 12_000 }));
        const code = await codeOf(app, s, 'anna');
        for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) {
          const visit = await app.app.inject({
            method: 'GET',
            url: `/r/${code}`,
            remoteAddress: address,
          });
          expect(visit.statusCode).toBe(302);
        }
        for (const friend of ['kasia-1', 'kasia-2', 'kasia-3', 'kasia-4']) {
          await flagFriend(app, s, friend);
        }
        await signUp(app, s, 'basia', { firstName: 'Basia', email: 'basia@example.pl' });
        await send(
          app,
          s,
          orderPaid('o-basia', 'basia', '2026-06-09T10:00:00Z', {
            total: 8_000,
            discountCodes: [code],
          }),
        );
        const thanks = await call(app, s, 'POST', '/v1/customers/basia/referral-thank-you', {
          note: 'Dzięki, Anno!',
        });
        expect(thanks.statusCode, thanks.body).toBe(200);
        const affiliate = await call(app, s, 'POST', '/v1/affiliates', {
          name: 'Blog Kasi',
          code: 'KASIA10',
          commissionPercent: 10,
        });
        expect(affiliate.statusCode, affiliate.body).toBe(201);
        await send(
          app,
          s,
          orderPaid('o-celina', 'celina', '2026-04-02T10:00:00Z', {
            total: 20_000,
            discountCodes: ['KASIA10'],
          }),
        );
      },
    });
    ({ t, base, shop } = h);
    owner = await createMember(t, shop.id, 'owner', 'wlasciciel@polecany.pl');
    analyst = await createMember(t, shop.id, 'analyst', 'analityk@polecany.pl');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('an owner edits a campaign and its terms read back in plain words as they change', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Referrals' }).click();
    await page.getByRole('heading', { name: 'Referral campaigns', level: 1 }).waitFor();
    await page.mouse.move(640, 10);
    const row = page.getByTestId(`campaign-${campaignId}`);
    await expect
      .poll(() => row.innerText())
      .toContain('When a friend signs up through the link, the referrer gets 10 points.');
    expect(await row.innerText()).toContain(
      "When the friend's first order has passed the return window, the referrer gets 100 points.",
    );
    expect(await h.seriousViolations(page)).toEqual([]);

    await row.getByRole('button', { name: 'Edit Poleć znajomym' }).click();
    const form = page.getByTestId('referral-campaign-form');
    const summary = form.getByTestId('terms-summary');
    await form.getByTestId('reward-lead-referrer').getByLabel('Points', { exact: true }).fill('15');
    await expect.poll(() => summary.innerText()).toContain('the referrer gets 15 points');
    await form.getByTestId('reward-lead-friend').getByLabel('The friend gets').click();
    await page.getByRole('option', { name: 'Coupon, amount off' }).click();
    await expect
      .poll(() => summary.innerText())
      .toContain(
        `the referrer gets 15 points and the friend gets a ${pln(2000)} coupon valid 30 days`,
      );
    await form.getByLabel('Main rewards per referrer a month').fill('5');
    await expect.poll(() => summary.innerText()).toContain('at most 5 main rewards a month');
    expect(await summary.innerText()).toContain(
      'With the code, the friend gets 10% off the first order.',
    );
    expect(await h.seriousViolations(page)).toEqual([]);
    await h.shot(page, 'referrals-campaign-form-en-GB-1280');
    await form.getByRole('button', { name: 'Save the campaign' }).click();
    await form.waitFor({ state: 'detached' });

    const [saved] = (await apiGet('/v1/referral-campaigns')) as {
      settings: { lead: object; monthlyCapPerReferrer: number; termsUrl: string };
    }[];
    expect(saved!.settings.lead).toEqual({
      referrer: { kind: 'points', points: 15 },
      friend: { kind: 'coupon', discount: { kind: 'fixed', amount: 2000 }, validDays: 30 },
    });
    expect(saved!.settings.monthlyCapPerReferrer).toBe(5);
    expect(saved!.settings.termsUrl).toBe('https://sklep-testowy.pl/regulamin');
    expect(complaints).toEqual([]);
    await context.close();
  }, 60_000);

  it('the review queue shows reasons and both customers; approve grants, reject keeps the note, two at once', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await open(page, '/referrals/review', 'Review queue');
    const first = page.getByTestId(`flagged-${flagged['kasia-1']}`);
    await expect.poll(() => first.getByTestId('reasons').innerText()).toBe('Same phone (+80)');
    const referrer = await first.getByTestId('party-referrer').innerText();
    expect(referrer).toContain('Anna Nowak');
    expect(referrer).toContain('anna@example.pl');
    expect(referrer).toContain(`1 order, ${pln(12_000)}`);
    expect(referrer).toContain('5 referrals made, 4 flagged or rejected');
    const friend = await first.getByTestId('party-friend').innerText();
    expect(friend).toContain('kasia-1@example.pl');
    expect(friend).toContain(`0 orders, ${pln(0)}`);
    expect(await first.innerText()).toContain('Risk score 80');
    expect(await page.locator('article').count()).toBe(4);
    expect(await h.seriousViolations(page)).toEqual([]);

    // Approve one: the lead reward goes to anna (who has 10 for basia) — 10 points, the terms
    // the referral was made under (the edit above counts for referrals made after it).
    const before = await referralPoints(t, shop.id, 'anna');
    expect(before).toBe(10);
    await first.getByLabel(/^Note/).fill('znam obie');
    await first.getByRole('button', { name: 'Approve' }).click();
    await expect
      .poll(() => page.getByTestId('decision-report').innerText())
      .toBe(`Referral ${flagged['kasia-1']!.slice(0, 8)}: approved.`);
    await first.waitFor({ state: 'detached' });
    expect(await referralPoints(t, shop.id, 'anna')).toBe(before + 10);
    const ledger = (await apiGet('/v1/customers/anna/ledger')).data as { points: number }[];
    expect(ledger.filter((e) => e.points === 10)).toHaveLength(2);

    // Reject one with a note: recorded on the referral.
    const second = page.getByTestId(`flagged-${flagged['kasia-2']}`);
    await second.getByLabel(/^Note/).fill('ten sam numer telefonu');
    await second.getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => page.getByTestId('decision-report').innerText()).toContain('rejected.');
    const rejected = (await apiGet('/v1/referrals?status=rejected')).data as {
      id: string;
      reviewNote: string;
    }[];
    expect(rejected.find((r) => r.id === flagged['kasia-2'])?.reviewNote).toMatch(
      /ten sam numer telefonu$/,
    );

    // The last two at once: each reported, each granted.
    await page.getByTestId(`flagged-${flagged['kasia-3']}`).getByRole('checkbox').check();
    await page.getByTestId(`flagged-${flagged['kasia-4']}`).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Approve 2 selected' }).click();
    await page.getByText('Nothing waits for review.').waitFor();
    const report = await page.getByTestId('decision-report').innerText();
    expect(report.split('\n').filter((line) => line.endsWith('approved.'))).toHaveLength(2);
    expect(await referralPoints(t, shop.id, 'anna')).toBe(before + 30);
    expect(complaints).toEqual([]);
    await context.close();
  }, 60_000);

  it("the funnel and figures equal the API's results, with definitions and a CSV", async () => {
    const [api] = (await apiGet('/v1/referral-campaigns/results')).data;
    expect(api.funnel).toMatchObject({ clicks: 3, signups: 5, firstPurchases: 1 });
    const { context, page, complaints } = await h.newPage('en-GB');
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await open(page, '/referrals/results', 'Referral results');
    const section = page.getByTestId(`results-${campaignId}`);
    for (const stage of ['clicks', 'signups', 'firstPurchases', 'qualified', 'rewarded']) {
      const cells = (await section.getByTestId(`funnel-${stage}`).innerText()).split('\t');
      expect(cells[1]?.trim(), stage).toBe(String(api.funnel[stage]));
    }
    // Purchases as a share of sign-ups: 1 of 5.
    expect(await section.getByTestId('funnel-firstPurchases').innerText()).toMatch(/20%$/);
    expect(await section.getByTestId('funnel-flagged-rejected').innerText()).toBe(
      `${api.funnel.flagged} / ${api.funnel.rejected}`,
    );
    expect(await section.getByTestId('figure-acquired').innerText()).toBe(
      String(api.acquiredCustomers),
    );
    expect(await section.getByTestId('figure-revenue').innerText()).toBe(pln(api.revenue.amount));
    expect(await section.getByTestId('figure-rewardCost').innerText()).toBe(
      pln(api.rewardCost.amount),
    );
    const aov = (await section.getByTestId('value-aov').innerText()).split('\t');
    expect(aov[1]?.trim()).toBe(pln(api.customerValue.referred.averageOrderValue.amount));
    expect(aov[2]?.trim()).toBe(pln(api.customerValue.others.averageOrderValue.amount));
    expect(api.customerValue.referred.averageOrderValue.amount).toBe(8_000);
    // A figure's definition and period on hover.
    await section.getByText('Link visits', { exact: true }).last().hover();
    await expect
      .poll(() => page.getByRole('tooltip').innerText())
      .toContain('Period: all the campaign');
    expect(await h.seriousViolations(page)).toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const csv = (await readFile((await download.path())!, 'utf8')).trim().split('\n');
    expect(csv[0]).toMatch(/^campaign_id,campaign,clicks,signups,first_purchases/);
    expect(csv[1]).toContain(`${campaignId},Poleć znajomym,3,5,1,`);
    expect(complaints).toEqual([]);
    await context.close();
  }, 60_000);

  it("share messages per language are edited for a customer; thanks and affiliates' payouts as CSV", async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await open(page, '/referrals/sharing', 'Share messages and thanks');
    await page.getByTestId('thank-you-notes').getByText('Dzięki, Anno!').waitFor();
    await page.getByLabel(/^Customer id/).fill('anna');
    await page.getByRole('button', { name: 'Show' }).click();
    const whatsapp = page.getByTestId('share-whatsapp');
    const code = await codeOf(t, shop, 'anna');
    await expect.poll(() => whatsapp.getByRole('textbox').inputValue()).toContain(code);
    expect(await whatsapp.getByRole('textbox').inputValue()).toMatch(/^Hej/);
    await page.getByTestId('share-language').getByText('English').click();
    await expect.poll(() => whatsapp.getByRole('textbox').inputValue()).toMatch(/^Hi/);
    await whatsapp.getByRole('textbox').fill(`Try this shop with my code ${code}`);
    await whatsapp.getByRole('button', { name: 'Save the WhatsApp message' }).click();
    await whatsapp.getByText('own wording').waitFor();
    await expect.poll(() => whatsapp.locator('button[data-loading]').count()).toBe(0);
    const en = (await apiGet('/v1/customers/anna/referrals/share-messages?locale=en')).messages;
    expect(en.find((m: { channel: string }) => m.channel === 'whatsapp')).toMatchObject({
      edited: true,
      text: `Try this shop with my code ${code}`,
    });
    const pl = (await apiGet('/v1/customers/anna/referrals/share-messages?locale=pl')).messages;
    expect(pl.find((m: { channel: string }) => m.channel === 'whatsapp').edited).toBe(false);
    // Off the button, whose hover colour axe would judge.
    await page.getByRole('heading', { level: 1 }).hover();
    expect(await h.seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Affiliates' }).first().click();
    await page.getByRole('heading', { name: 'Affiliates', level: 1 }).waitFor();
    const payouts = (await apiGet('/v1/affiliates/payouts')).data;
    expect(payouts).toHaveLength(1);
    const row = page.getByTestId(`payout-${payouts[0].period}`);
    await expect.poll(() => row.innerText()).toContain('Blog Kasi');
    expect(await row.innerText()).toContain(pln(payouts[0].commission.amount));
    expect(payouts[0].commission.amount).toBe(2_000);
    expect(await page.getByTestId('affiliates').innerText()).toContain('/r/');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(await readFile((await download.path())!, 'utf8')).toContain('Blog Kasi');
    await row.getByRole('button', { name: 'Record as paid' }).click();
    await expect.poll(() => row.innerText()).not.toContain('Record as paid');
    const paid = (await apiGet('/v1/affiliates/payouts')).data[0].paid;
    expect(paid.commission.amount).toBe(2_000);
    expect(await row.innerText()).toContain(pln(paid.commission.amount));
    await page.mouse.move(640, 10);
    expect(await h.seriousViolations(page)).toEqual([]);
    expect(complaints).toEqual([]);
    await context.close();
  }, 60_000);

  it('an analyst sees the queue without decision controls, and the API refuses a decision (403)', async () => {
    await flagFriend(t, shop, 'kasia-5');
    const { context, page, complaints } = await h.newPage('en-GB');
    await h.signInAs(page, analyst.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await open(page, '/referrals/review', 'Review queue');
    const item = page.getByTestId(`flagged-${flagged['kasia-5']}`);
    await expect.poll(() => item.getByTestId('reasons').innerText()).toBe('Same phone (+80)');
    expect(await page.getByRole('button', { name: /Approve|Reject/ }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    await open(page, '/referrals', 'Referral campaigns');
    await page.getByTestId('referral-campaigns').waitFor();
    expect(await page.getByRole('button', { name: /New campaign|Edit/ }).count()).toBe(0);
    expect(complaints).toEqual([]);
    await context.close();

    const headers = asMember(await signIn(t, analyst.email), shop.id, base);
    for (const url of ['/v1/referrals/decisions', `/v1/referrals/${flagged['kasia-5']}/approve`]) {
      const payload = url.endsWith('decisions')
        ? { decision: 'approve', referralIds: [flagged['kasia-5']] }
        : {};
      const res = await t.app.inject({ method: 'POST', url, headers, payload });
      expect(res.statusCode, url).toBe(403);
    }
    const queue = (await apiGet('/v1/referrals/review-queue')).data;
    expect(queue.map((q: { referral: { id: string } }) => q.referral.id)).toEqual([
      flagged['kasia-5'],
    ]);
  }, 60_000);

  it('every referral page passes axe in both languages at desktop and phone width', async () => {
    const pages: [string, string, string][] = [
      ['/referrals', 'Referral campaigns', 'Kampanie poleceń'],
      ['/referrals/review', 'Review queue', 'Polecenia do sprawdzenia'],
      ['/referrals/results', 'Referral results', 'Wyniki poleceń'],
      ['/referrals/sharing', 'Share messages and thanks', 'Wiadomości i podziękowania'],
      ['/referrals/affiliates', 'Affiliates', 'Afilianci'],
    ];
    const views: ['en-GB' | 'pl-PL', number][] = takingShots
      ? [
          ['en-GB', 1280],
          ['en-GB', 390],
          ['pl-PL', 1280],
          ['pl-PL', 390],
        ]
      : [['pl-PL', 390]];
    for (const [locale, width] of views) {
      const { context, page, complaints } = await h.newPage(locale, width);
      await h.signInAs(page, owner.email);
      await page.getByRole('heading', { level: 1, name: /Home|Start|Pulpit/ }).waitFor();
      for (const [path, en, pl] of pages) {
        await open(page, path, locale === 'en-GB' ? en : pl);
        await expect.poll(() => page.getByRole('status').count()).toBe(0);
        if (path === '/referrals/sharing') {
          await page.getByLabel(/^(Customer id|Identyfikator klienta)/).fill('anna');
          await page.getByRole('button', { name: /^(Show|Pokaż)$/ }).click();
          await page.getByTestId('share-email').waitFor();
        }
        expect(await h.seriousViolations(page), `${path} ${locale} ${width}`).toEqual([]);
        await h.shot(page, `referrals${path.replace(/\//g, '-')}-${locale}-${width}`);
        if (takingShots && path === '/referrals') {
          // The campaign form, opened on the campaign, with its plain-words summary.
          await page
            .getByRole('button', { name: /^(Edit|Edytuj) / })
            .first()
            .click();
          await page.getByTestId('referral-campaign-form').waitFor();
          await page.waitForTimeout(500); // the modal's fade-in
          expect(await h.seriousViolations(page), `form ${locale} ${width}`).toEqual([]);
          await h.shot(page, `referrals-campaign-form-${locale}-${width}`);
          await page.keyboard.press('Escape');
          await page.getByTestId('referral-campaign-form').waitFor({ state: 'detached' });
        }
      }
      expect(complaints).toEqual([]);
      await context.close();
    }
  }, 300_000);
});
