import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createMember } from '../support/accounts.ts';
import { bearer, type TestApp } from '../support/app.ts';
import { configureDemoProgramme } from '../../src/app/demo/configure-demo-programme.ts';
import { generateDemoEvents } from '../../src/app/demo/generate-demo-events.ts';
import { InboxWriter } from '../../src/ingest/inbox-writer.ts';
import { apiEventDelivery } from '../../src/ingest/api-event.ts';
import { refreshClv } from '../../src/analytics/refresh-clv.ts';
import { fixedClock } from '../support/app.ts';
import { seedWelcomeBenefits } from '../analytics/benefits-support.ts';
import { browserTestsRun, startHarness, takingShots, type Harness } from './browser-harness.ts';

// The analytics pages in Chromium on the demo shop's seed (a year of orders of 150 customers,
// the demo programme with its 10% holdout, a fitted CLV model) plus the welcome flow of
// test/analytics/benefits.test.ts: the cohort heatmap's cells, the lift figures and a CSV file
// equal the API's; every tab passes axe; an analyst sees the figures but not "Check the fit".
const NOW = '2026-09-01T10:00:00Z';
// The page's default period: the last 12 months, from 1 October 2025 to today (1 September 2026).
const RANGE = 'from=2025-10-01&to=2026-09-02';
const TABS = ['cohorts', 'repeat', 'clv', 'points', 'lift', 'messages', 'benefits'] as const;

let h: Harness;
let t: TestApp;
let base: string;
let shop: Harness['shop'];
let owner: { email: string };
let analyst: { email: string };

async function api<T>(path: string): Promise<T> {
  const res = await t.app.inject({ method: 'GET', url: path, headers: bearer(shop.apiKey) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as T;
}

async function openTab(page: Page, tab: (typeof TABS)[number]) {
  await page.goto(`${base}/admin/analytics?tab=${tab}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.getByRole('tab', { selected: true }).waitFor();
  // the tab's figures are in (its loaders gone) and its charts drawn
  await page.locator('[role="tabpanel"] [role="status"]').first().waitFor({ state: 'detached' });
  for (const chart of await page
    .locator('[role="tabpanel"] [data-testid$="-chart"], [data-testid="cohort-heatmap"]')
    .all()) {
    await chart.and(page.locator('[data-ready="true"]')).waitFor();
  }
}

const percent = new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 1 });
const money = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'PLN' });

describe.skipIf(!browserTestsRun)('the analytics pages in a browser', () => {
  beforeAll(async () => {
    h = await startHarness({
      now: NOW,
      shopName: 'Palarnia Kawy Demo',
      seed: async (app, s) => {
        const clock = fixedClock(NOW);
        const row = await app.db
          .selectFrom('shops')
          .selectAll()
          .where('id', '=', s.id)
          .executeTakeFirstOrThrow();
        await configureDemoProgramme(app.db, clock, row);
        const inbox = new InboxWriter(app.db);
        const events = generateDemoEvents({ customers: 150, until: new Date(NOW) });
        await Promise.all(events.map((event) => inbox.write(apiEventDelivery(s.id, event))));
        await app.processor.drain();
        await refreshClv(app.db, clock, s.id);
        await seedWelcomeBenefits(app, s.id);
        // the welcome flow's messages: two e-mails sent (one opened and clicked), one held back
        // by consent, and an SMS
        const messages = [
          ['msg_1', 'cus_c1', 'email', 'marketing', 'sent', null, true],
          ['msg_2', 'cus_c2', 'email', 'marketing', 'delivered', null, false],
          ['msg_3', 'cus_c3', 'email', 'marketing', 'suppressed', 'no_consent', false],
          ['msg_4', 'cus_g1', 'sms', 'loyalty', 'sent', null, false],
        ] as const;
        for (const [id, customer, channel, purpose, status, reason, engaged] of messages) {
          const at = '2026-03-02T10:00:00Z';
          await sql`INSERT INTO messages (shop_id, id, send_key, customer_id, channel, purpose, template_key,
                      locale, status, status_reason, not_before, created_at, sent_at, opened_at, clicked_at)
                    VALUES (${s.id}, ${id}, ${id}, ${customer}, ${channel}, ${purpose}, 'welcome', 'pl',
                      ${status}, ${reason}, ${at}, ${at}, ${status === 'suppressed' ? null : at},
                      ${engaged ? at : null}, ${engaged ? at : null})`.execute(app.db);
        }
      },
    });
    ({ t, base, shop } = h);
    owner = await createMember(t, shop.id, 'owner', 'wlasciciel@palarnia.pl');
    analyst = await createMember(t, shop.id, 'analyst', 'analityk@palarnia.pl');
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it('shows the cohort heatmap with the API’s figures, and its CSV equals the table', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Analytics' }).click();
    await page.getByRole('heading', { name: 'Analytics', level: 1 }).waitFor();
    await page.getByTestId('cohort-heatmap').and(page.locator('[data-ready="true"]')).waitFor();

    const { cohorts } = await api<{
      cohorts: { cohort: string; customers: number; retention: number[] }[];
    }>(`/v1/analytics/cohorts?${RANGE}`);
    expect(cohorts).toHaveLength(12);
    const cells: Array<[number, number]> = [
      [0, 1],
      [2, 3],
      [5, 2],
    ];
    for (const [i, k] of cells) {
      const c = cohorts[i]!;
      expect(c.retention[k]).toBeGreaterThan(0); // a cell worth checking
      await expect
        .poll(() => page.getByTestId(`cohort-${c.cohort}-${k}`).textContent())
        .toBe(percent.format(c.retention[k]!));
    }

    const rows = page.getByTestId('cohort-table').locator('tbody tr');
    expect(await rows.count()).toBe(cohorts.length);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('cohort-table-csv').click(),
    ]);
    expect(download.suggestedFilename()).toBe('cohorts.csv');
    const csv = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '');
    const lines = csv
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    expect(lines[0]!.slice(0, 3)).toEqual(['First order', 'Customers', 'Month 0']);
    expect(lines).toHaveLength(cohorts.length + 1);
    for (const [i, c] of cohorts.entries()) {
      const line = lines[i + 1]!;
      expect(line[0]).toBe(c.cohort);
      expect(Number(line[1])).toBe(c.customers);
      // a month nobody started in has no shares: empty cells, in the file as on the page
      const empty = c.customers === 0;
      c.retention.forEach((r, k) =>
        empty ? expect(line[2 + k]).toBe('') : expect(Number(line[2 + k])).toBeCloseTo(r, 6),
      );
      // the table's row says the same
      const shown = await rows.nth(i).locator('td').allTextContents();
      expect(shown[0]).toBe(String(c.customers));
      c.retention.forEach((r, k) => expect(shown[1 + k]).toBe(empty ? '' : percent.format(r)));
    }
    expect(await h.seriousViolations(page)).toEqual([]);
    expect(complaints).toEqual([]);
    await context.close();
  });

  it('gives the lift figures of /v1/analytics/lift, in words and in the table', async () => {
    const { context, page } = await h.newPage('en-GB');
    await h.signInAs(
      page,
      (await createMember(t, shop.id, 'marketer', 'marketing@palarnia.pl')).email,
    );
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await openTab(page, 'lift');
    type Group = {
      customers: number;
      revenuePerCustomer: number;
      repeatRate: number;
      retention90: number | null;
    };
    const lift = await api<{
      members: Group;
      holdout: Group;
      lift: Record<
        'revenuePerCustomer' | 'repeatRate' | 'retention90',
        { difference: number; ci95: [number, number]; pValue: number | null } | null
      > | null;
    }>(`/v1/analytics/lift?${RANGE}`);
    expect(lift.lift).not.toBeNull();
    const table = page.getByTestId('lift-table');
    const row = (name: string) =>
      table.locator('tbody tr', { has: page.getByRole('rowheader', { name }) }).locator('td');
    const revenue = await row('Revenue per customer').allTextContents();
    expect(revenue[0]).toBe(money.format(lift.members.revenuePerCustomer / 100));
    expect(revenue[1]).toBe(money.format(lift.holdout.revenuePerCustomer / 100));
    const d = lift.lift!.revenuePerCustomer!;
    const signed = (x: number) => (x > 0 ? '+' : '') + money.format(x / 100);
    expect(revenue[2]).toBe(signed(d.difference));
    expect(revenue[3]).toBe(`${signed(d.ci95[0])} … ${signed(d.ci95[1])}`);
    const repeat = await row('Repeat rate').allTextContents();
    expect(repeat[0]).toBe(percent.format(lift.members.repeatRate));
    expect(repeat[1]).toBe(percent.format(lift.holdout.repeatRate));
    const pp = new Intl.NumberFormat('en-GB', {
      maximumFractionDigits: 1,
      signDisplay: 'exceptZero',
    });
    expect(repeat[2]).toBe(`${pp.format(lift.lift!.repeatRate!.difference * 100)} pp`);
    // A p-value is never rounded to 0: below 0.001 it says so.
    const p3 = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 3 });
    for (const [cells, p] of [
      [repeat, lift.lift!.repeatRate!.pValue],
      [revenue, d.pValue],
    ] as const) {
      expect(cells[4]).toBe(p === null ? '—' : p < 0.001 ? '< 0.001' : p3.format(p));
    }
    await expect
      .poll(() => page.getByTestId('lift-revenuePerCustomer').textContent())
      .toContain(
        `${signed(d.difference)} against the holdout (95% interval ${signed(d.ci95[0])} to ${signed(d.ci95[1])})`,
      );
    // the definition shows on focus
    await page.getByTestId('lift-revenuePerCustomer').locator('.defined-term').focus();
    await page
      .getByRole('tooltip')
      .getByText(/refunds deducted/)
      .waitFor();
    await context.close();
  });

  it('passes axe on every tab, in Polish and English, at desktop and phone width', async () => {
    for (const [locale, width] of [
      ['en-GB', 1280],
      ['pl-PL', 390],
      ...(takingShots
        ? ([
            ['pl-PL', 1280],
            ['en-GB', 390],
          ] as const)
        : []),
    ] as const) {
      const { context, page, complaints } = await h.newPage(locale, width);
      const viewer = await createMember(
        t,
        shop.id,
        'admin',
        `admin-${locale}-${width}@palarnia.pl`,
      );
      await h.signInAs(page, viewer.email);
      await page.getByRole('heading', { level: 1, name: /^(Home|Pulpit)$/ }).waitFor();
      for (const tab of TABS) {
        await openTab(page, tab);
        expect(await h.seriousViolations(page), `${tab} ${locale} ${width}`).toEqual([]);
        await h.shot(page, `analytics-${tab}-${locale.slice(0, 2)}-${width}`);
      }
      expect(complaints).toEqual([]);
      await context.close();
    }
  }, 300_000);

  it('shows an analyst the figures but not the model check, and the benefits against the holdout', async () => {
    const { context, page } = await h.newPage('pl-PL');
    await h.signInAs(page, analyst.email);
    await page.getByRole('heading', { level: 1, name: 'Pulpit' }).waitFor();
    await openTab(page, 'clv');
    await page.getByTestId('clv-model').waitFor();
    expect(await page.getByTestId('clv-fit').count()).toBe(0);
    await openTab(page, 'messages');
    const { results } = await api<{
      results: { channel: string; sent: number; openRate: number | null }[];
    }>(`/v1/analytics/messages?${RANGE}`);
    const email = results.find((r) => r.channel === 'email')!;
    const emailRow = page
      .getByTestId('messages-table')
      .locator('tbody tr', { has: page.getByRole('rowheader', { name: 'E-mail · marketingowe' }) });
    expect(await emailRow.locator('td[data-col="sent"]').textContent()).toBe(String(email.sent));
    expect(await emailRow.locator('td[data-col="openRate"]').textContent()).toBe(
      new Intl.NumberFormat('pl-PL', { style: 'percent', maximumFractionDigits: 1 }).format(
        email.openRate!,
      ),
    );
    await openTab(page, 'benefits');
    const report = await api<{
      flows: { variants: { variant: string; secondPurchaseRate: number }[] }[];
    }>(`/v1/analytics/benefits?${RANGE}&days=90&margin=40`);
    const coupon = report.flows[0]!.variants.find((v) => v.variant === 'coupon')!;
    const pl = new Intl.NumberFormat('pl-PL', { style: 'percent', maximumFractionDigits: 1 });
    const row = page
      .getByTestId('benefits-table-flw_welcome')
      .locator('tbody tr', { has: page.getByRole('rowheader', { name: 'coupon' }) });
    await expect
      .poll(() => row.locator('td[data-col="rate"]').textContent())
      .toContain(pl.format(coupon.secondPurchaseRate));
    await context.close();
  }, 60_000);
});
