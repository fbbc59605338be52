import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { runAutomationRound } from '../../src/automations/run-automation-round.ts';
import type { EmailTransport } from '../../src/messaging/email-transport.ts';
import { createMember } from '../support/accounts.ts';
import type { fixedClock, TestApp } from '../support/app.ts';
import { call, orderPaid, send } from '../points/support.ts';
import { deliveryDeps, smtpTo, startSmtpSink, type SmtpSink } from '../automations/support.ts';
import {
  browserTestsRun,
  startHarness,
  statusesFromPage,
  takingShots,
  type Harness,
} from './browser-harness.ts';

// The Flows pages in Chromium against the real app and the real automation engine: the welcome
// series switched on from the gallery; a first order starts a run; the day-2 wait edited (2 → 3
// days) and saved as version 2; a new first order follows version 2 while the older run keeps
// version 1 (checked in the database as the engine advances the app's clock); a bad setting
// refused by the server with its error beside the field; the results equal the API's, the A/B
// test of a seeded flow in words; an analyst who can look but not change.
const NOW = '2026-09-01T10:00:00Z';
const START = Date.parse(NOW);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let h: Harness;
let t: TestApp;
let base: string;
let shop: Harness['shop'];
let clock: ReturnType<typeof fixedClock>;
let sink: SmtpSink;
let email: EmailTransport;
let owner: { email: string };
let analyst: { email: string };
let welcomeId: string;
let abId: string;

const round = () => runAutomationRound(t.db, clock, deliveryDeps(t, email));
const customer = (id: string, accepts = true) => ({
  id,
  email: `${id}@example.pl`,
  acceptsMarketing: { email: accepts },
});

async function open(page: Page, path: string, heading: string | RegExp) {
  await page.goto(`${base}/admin${path}`);
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

/** The welcome run of a customer (their own id in the shop), as the engine keeps it. */
async function runOf(externalId: string) {
  return t.db
    .selectFrom('flow_runs as r')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.shop_id', '=', 'r.shop_id').onRef('c.id', '=', 'r.customer_id'),
    )
    .select(['r.id', 'r.flow_version', 'r.status', 'r.due_at', 'r.step_index'])
    .where('r.shop_id', '=', shop.id)
    .where('r.flow_id', '=', welcomeId)
    .where('c.external_id', '=', externalId)
    .executeTakeFirstOrThrow();
}

async function stepsSent(runId: string) {
  const rows = await t.db
    .selectFrom('messages')
    .select('step_id')
    .where('shop_id', '=', shop.id)
    .where('run_id', '=', runId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.step_id);
}

/**
 * A/B: a 10% or a 20% coupon for new sign-ups, against a holdout that gets nothing. Variant a
 * skips b's steps by a condition that never holds, to the closing step both share.
 */
const abFlow = {
  name: 'Kupon powitalny: 10% czy 20%',
  definition: {
    trigger: { type: 'customer.created' },
    steps: [
      {
        id: 'split',
        type: 'split',
        variants: [
          { key: 'a', weight: 1 },
          { key: 'b', weight: 1, goto: 'coupon-20' },
        ],
        holdoutWeight: 1,
      },
      {
        id: 'coupon-10',
        type: 'grant',
        grant: { kind: 'coupon', discount: { kind: 'percentage', percent: 10 }, validDays: 14 },
      },
      {
        id: 'mail-10',
        type: 'send',
        channel: 'email',
        template: 'win_back',
        purpose: 'marketing',
        withGrantOf: 'coupon-10',
      },
      {
        id: 'skip-b',
        type: 'condition',
        rule: { fact: 'orders_count', op: 'lt', value: 0 },
        else: 'follow-up',
      },
      {
        id: 'coupon-20',
        type: 'grant',
        grant: { kind: 'coupon', discount: { kind: 'percentage', percent: 20 }, validDays: 14 },
      },
      {
        id: 'mail-20',
        type: 'send',
        channel: 'email',
        template: 'win_back',
        purpose: 'marketing',
        withGrantOf: 'coupon-20',
      },
      { id: 'follow-up', type: 'wait', duration: { days: 1 } },
    ],
  },
};

describe.skipIf(!browserTestsRun)('flows in a browser', () => {
  beforeAll(async () => {
    sink = await startSmtpSink();
    email = smtpTo(sink);
    h = await startHarness({
      now: NOW,
      shopName: 'Sklep Pod Topolą',
      // The engine's clock moves days ahead while the person stays signed in.
      config: { sessionIdleMinutes: 14 * 24 * 60 },
      seed: async (app, s) => {
        t = app;
        shop = s;
        clock = app.clock as ReturnType<typeof fixedClock>;
        // The welcome series is on in a new shop: this one had switched it off.
        const [welcome] = (await call(app, s, 'GET', '/v1/flows')).json().flows;
        welcomeId = welcome.id;
        expect(
          (await call(app, s, 'PUT', `/v1/flows/${welcomeId}`, { status: 'paused' })).statusCode,
        ).toBe(200);
        // The A/B flow, walked by 60 sign-ups five days ago; some of them buy the next day.
        clock.set(new Date(START - 5 * DAY));
        const created = await call(app, s, 'POST', '/v1/flows', abFlow);
        expect(created.statusCode, created.body).toBe(201);
        abId = created.json().id;
        await send(
          app,
          s,
          ...Array.from({ length: 60 }, (_, i) => ({
            type: 'customer.created',
            id: `ab${i}`,
            occurredAt: new Date(START - 5 * DAY).toISOString(),
            data: customer(`ab${i}`, i % 10 !== 0),
          })),
        );
        await round();
        const variants = await app.db
          .selectFrom('flow_runs as r')
          .innerJoin('customers as c', (j) =>
            j.onRef('c.shop_id', '=', 'r.shop_id').onRef('c.id', '=', 'r.customer_id'),
          )
          .select(['c.external_id', 'r.variant'])
          .where('r.flow_id', '=', abId)
          .orderBy('c.external_id')
          .execute();
        const buyers = variants.filter((v, i) =>
          v.variant === 'b' ? i % 3 !== 0 : v.variant === 'a' ? i % 3 === 0 : i % 7 === 0,
        );
        clock.set(new Date(START - 4 * DAY));
        await send(
          app,
          s,
          ...buyers.map((b) =>
            orderPaid(
              `o-${b.external_id}`,
              b.external_id!,
              new Date(START - 4 * DAY).toISOString(),
              {
                total: 15_000,
              },
            ),
          ),
        );
        clock.set(new Date(START));
      },
    });
    ({ base } = h);
    owner = await createMember(t, shop.id, 'owner', 'wlasciciel@topola.pl');
    analyst = await createMember(t, shop.id, 'analyst', 'analityk@topola.pl');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await email?.close();
    await sink?.close();
  });

  it('switches the welcome series on, edits its day-2 wait, and new runs follow the new version', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Flows' }).click();
    await page.getByRole('heading', { name: 'Flows', level: 1 }).waitFor();
    await page.mouse.move(640, 10);

    // The gallery holds the nine ready-made flows a merchant expects.
    const gallery = page.getByTestId('flow-gallery');
    await gallery.waitFor();
    const ready = (await call(t, shop, 'GET', '/v1/flows/ready')).json().flows as Array<{
      key: string;
    }>;
    for (const key of [
      'welcome',
      'birthday',
      'name_day',
      'win_back',
      'abandoned_cart',
      'points_expiring',
      'tier_upgrade',
      'nps_request',
      'referral_invite',
    ])
      expect(ready.map((r) => r.key)).toContain(key);
    expect(await gallery.locator('[data-ready]').count()).toBe(ready.length);
    const welcomeCard = gallery.locator('[data-ready="welcome"]');
    expect(await welcomeCard.innerText()).toMatch(/paused/i);
    expect(await h.seriousViolations(page)).toEqual([]);

    await page
      .getByRole('button', { name: 'Switch on again: Welcome series after a first order' })
      .click();
    await page.getByText('“Welcome series after a first order” is on.').waitFor();
    await expect.poll(() => welcomeCard.getByRole('button').count()).toBe(0);
    expect(await welcomeCard.innerText()).not.toMatch(/paused/i);
    expect((await call(t, shop, 'GET', `/v1/flows/${welcomeId}`)).json()).toMatchObject({
      status: 'active',
      version: 1,
    });

    // A first order starts a run on version 1: the thank-you now, the tip due in 2 days.
    await send(t, shop, orderPaid('o-ola', customer('ola'), NOW, { total: 12_000 }));
    await round();
    const ola = await runOf('ola');
    expect(ola).toMatchObject({ flow_version: 1, status: 'active', step_index: 2 });
    expect(ola.due_at!.toISOString()).toBe(new Date(START + 2 * DAY).toISOString());
    expect(await stepsSent(ola.id)).toEqual(['thank-you']);

    // The flow page: the steps from the top; the day-2 wait becomes 3 days.
    await welcomeCard
      .getByRole('link', { name: 'Open: Welcome series after a first order' })
      .click();
    await page.getByTestId('flow-steps').waitFor();
    expect(await page.getByTestId('flow-version').innerText()).toBe('version 1');
    const wait = page.getByTestId('step-2');
    expect(await wait.getByTestId('step-summary').innerText()).toBe('Wait 2 days');
    expect(await page.getByTestId('flow-trigger').innerText()).toContain(
      "An order is paid: the customer's first paid order only",
    );
    await page.getByRole('button', { name: 'Edit step 2: Wait' }).click();
    await wait.getByLabel('Days', { exact: true }).fill('3');
    await expect.poll(() => wait.getByTestId('step-summary').innerText()).toBe('Wait 3 days');
    await page.mouse.move(640, 10);
    expect(await h.seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save as version 2' }).click();
    await expect
      .poll(() => page.getByTestId('flow-saved').innerText())
      .toBe(
        'Saved as version 2. Customers who enter from now on follow it; 1 customer on the way keeps an older version.',
      );
    expect(await page.getByTestId('flow-version').innerText()).toBe('version 2');
    const saved = (await call(t, shop, 'GET', `/v1/flows/${welcomeId}`)).json();
    expect(saved.version).toBe(2);
    expect(saved.definition.steps[1]).toEqual({
      id: 'wait-2d',
      type: 'wait',
      duration: { days: 3 },
    });

    // A new first order an hour later follows version 2 (3 days); Ola keeps version 1 (2 days).
    clock.set(new Date(START + HOUR));
    await send(
      t,
      shop,
      orderPaid('o-piotr', customer('piotr'), new Date(START + HOUR).toISOString(), {
        total: 8_000,
      }),
      orderPaid('o-kasia', customer('kasia', false), new Date(START + HOUR).toISOString(), {
        total: 5_000,
      }),
    );
    await round();
    const piotr = await runOf('piotr');
    expect(piotr).toMatchObject({ flow_version: 2, status: 'active', step_index: 2 });
    expect(piotr.due_at!.toISOString()).toBe(new Date(START + HOUR + 3 * DAY).toISOString());
    expect((await runOf('ola')).due_at!.toISOString()).toBe(
      new Date(START + 2 * DAY).toISOString(),
    );
    // Day 2: Ola gets her tip, Piotr not yet; day 3 (+1 hour): Piotr's.
    clock.set(new Date(START + 2 * DAY + 60_000));
    await round();
    expect(await stepsSent(ola.id)).toEqual(['thank-you', 'tip']);
    expect(await stepsSent(piotr.id)).toEqual(['thank-you']);
    expect((await runOf('ola')).flow_version).toBe(1);
    clock.set(new Date(START + HOUR + 3 * DAY + 60_000));
    await round();
    expect(await stepsSent(piotr.id)).toEqual(['thank-you', 'tip']);
    expect(await runOf('piotr')).toMatchObject({ flow_version: 2, status: 'active' });

    // A bad setting: the server refuses it and says why next to the field; nothing is saved.
    await page.reload();
    await page.getByTestId('flow-steps').waitFor();
    const later = page.getByTestId('step-4');
    await page.getByRole('button', { name: 'Edit step 4: Wait' }).click();
    await later.getByLabel('Days', { exact: true }).fill('5000');
    await page.getByRole('button', { name: 'Save as version 3' }).click();
    await page.getByText('Some settings are not right: see the fields marked in red.').waitFor();
    const days = later.getByLabel('Days', { exact: true });
    expect(await days.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await days.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
    expect(await page.locator(`[id="${errorId}"]`).innerText()).toBe('Enter 3,650 or less.');
    expect((await call(t, shop, 'GET', `/v1/flows/${welcomeId}`)).json().version).toBe(2);
    await page.mouse.move(640, 10);
    expect(await h.seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Undo the changes' }).click();
    await expect.poll(() => later.getByTestId('step-summary').innerText()).toBe('Wait 5 days');

    // The results equal the API's, step by step.
    const results = (await call(t, shop, 'GET', `/v1/flows/${welcomeId}/results`)).json();
    expect(results.runs).toEqual({ active: 3 });
    expect(await page.getByTestId('runs-entered').innerText()).toBe('3');
    expect(await page.getByTestId('runs-active').innerText()).toBe('3');
    for (const step of results.steps as Array<{
      stepId: string;
      outcomes: Record<string, number>;
    }>) {
      const row = page.getByTestId(`result-${step.stepId}`);
      const messages = (results.messages as Array<Record<string, unknown>>).filter(
        (m) => m.stepId === step.stepId,
      );
      const sum = (f: string) => messages.reduce((s, m) => s + (m[f] as number), 0);
      const reached = Object.values(step.outcomes).reduce((a, b) => a + b, 0);
      expect(await row.getByTestId('reached').innerText()).toBe(String(reached));
      if (messages.length === 0) continue;
      expect(await row.getByTestId('sent').innerText()).toBe(String(sum('sent')));
      expect(await row.getByTestId('opened').innerText()).toBe(String(sum('opened')));
      expect(await row.getByTestId('clicked').innerText()).toBe(String(sum('clicked')));
      expect(await row.getByTestId('converted').innerText()).toBe(String(sum('converted')));
      const held = messages.reduce(
        (s, m) => s + Object.values(m.notSent as Record<string, number>).reduce((a, b) => a + b, 0),
        0,
      );
      expect((await row.getByTestId('held-back').innerText()).split('\n')[0]).toBe(String(held));
    }
    // Kasia gave no consent: her thank-you is held back, and the reason says so.
    const thanks = page.getByTestId('result-thank-you');
    expect(await thanks.getByTestId('sent').innerText()).toBe('2');
    expect((await thanks.getByTestId('held-back').innerText()).replace(/\n+/g, ' ')).toBe(
      '1 no consent: 1',
    );
    expect(await page.getByTestId('version-1').innerText()).toMatch(/^1\s+1\s+1$/);
    expect(await page.getByTestId('version-2').innerText()).toMatch(/^2\s+2\s+2$/);
    expect(await h.seriousViolations(page)).toEqual([]);
    expect(complaints.filter((c) => !/status of 400/.test(c))).toEqual([]);
    await context.close();
  }, 60_000);

  it('shows the A/B test against the holdout in words, with the figures of the API', async () => {
    const { context, page, complaints } = await h.newPage('pl-PL');
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Pulpit', level: 1 }).waitFor();
    await open(page, `/flows/${abId}`, 'Kupon powitalny: 10% czy 20%');
    const results = (await call(t, shop, 'GET', `/v1/flows/${abId}/results`)).json();
    const variants = results.variants as Array<{
      variant: string;
      runs: number;
      converted: number;
      conversionRate: number;
      againstControl: {
        control: string;
        difference: number;
        ci95: [number, number];
        pValue: number;
      } | null;
    }>;
    expect(
      variants.map((v) => v.variant),
      JSON.stringify(results),
    ).toEqual(['a', 'b', 'holdout']);
    const pp = new Intl.NumberFormat('pl-PL', {
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
      signDisplay: 'exceptZero',
    });
    const plain = new Intl.NumberFormat('pl-PL', {
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    });
    const pText = (p: number) =>
      p < 0.001
        ? 'p < 0,001'
        : 'p = ' +
          new Intl.NumberFormat('pl-PL', {
            minimumFractionDigits: 3,
            maximumFractionDigits: 3,
          }).format(p);
    const verdicts = page.getByTestId('ab-verdicts');
    await verdicts.waitFor();
    for (const v of variants) {
      const row = page.getByTestId(`ab-${v.variant}`);
      expect(await row.getByTestId('runs').innerText()).toBe(String(v.runs));
      expect(await row.getByTestId('converted').innerText()).toBe(String(v.converted));
      if (!v.againstControl) continue;
      const d = v.againstControl;
      expect(d.control).toBe('holdout');
      const sentence = `Wariant ${v.variant}: ${pp.format(d.difference * 100)} pp konwersji, 95 % przedział od ${plain.format(d.ci95[0] * 100)} do ${plain.format(d.ci95[1] * 100)} pp, ${pText(d.pValue)}.`;
      expect(await verdicts.locator(`[data-variant="${v.variant}"]`).innerText()).toContain(
        sentence,
      );
      expect(await row.getByTestId('difference').innerText()).toBe(pp.format(d.difference * 100));
    }
    // Variant b (20%) converts far better than the holdout here: not chance.
    expect(await verdicts.locator('[data-variant="b"]').innerText()).toContain(
      'Mało prawdopodobne, że to przypadek.',
    );
    // Per step and variant: sends, and the converted orders' revenue.
    const mail20 = (
      results.messages as Array<{
        stepId: string;
        sent: number;
        revenue: number;
        converted: number;
      }>
    ).find((m) => m.stepId === 'mail-20')!;
    expect(mail20.converted).toBeGreaterThan(0);
    expect(mail20.revenue).toBe(mail20.converted * 15_000);
    const row = page.getByTestId('result-mail-20');
    expect(await row.getByTestId('sent').innerText()).toBe(String(mail20.sent));
    expect(await row.getByTestId('converted').innerText()).toBe(String(mail20.converted));
    expect((await row.getByTestId('revenue').innerText()).replace(/\s/g, ' ')).toBe(
      new Intl.NumberFormat('pl-PL', { style: 'currency', currency: 'PLN' })
        .format(mail20.revenue / 100)
        .replace(/\s/g, ' '),
    );
    // Every figure says what it counts and since when, on hover.
    await page
      .getByTestId('step-results')
      .getByRole('columnheader', { name: 'Konwersje' })
      .getByText('Konwersje')
      .hover();
    await page.getByText(/opłacone zamówienie w oknie konwersji sklepu/).waitFor();
    await page.mouse.move(640, 10);
    expect(await h.seriousViolations(page)).toEqual([]);

    // The condition's rule is edited with the segments' rule builder, not as JSON: the saved rule
    // shows as fact, operator and value; an emptied value is not saved; a new value is.
    await page.getByRole('button', { name: 'Edytuj krok 4: Warunek' }).click();
    const condition = page.getByTestId('step-4').getByTestId('condition-0.1');
    expect(await condition.getByLabel('Wartość', { exact: true }).inputValue()).toBe('0');
    await condition.getByLabel('Wartość', { exact: true }).fill('');
    await page.getByText(/Uzupełnij każdy warunek reguły/).waitFor();
    await condition.getByLabel('Wartość', { exact: true }).fill('2');
    await expect.poll(() => page.getByText(/Uzupełnij każdy warunek reguły/).count()).toBe(0);
    await page.getByRole('button', { name: 'Zapisz jako wersję 2' }).click();
    await expect
      .poll(async () => {
        const flow = (await call(t, shop, 'GET', `/v1/flows/${abId}`)).json();
        return (flow.definition.steps as Array<{ id: string; rule?: unknown }>).find(
          (s) => s.id === 'skip-b',
        )?.rule;
      })
      .toEqual({ all: [{ fact: 'orders_count', op: 'lt', value: 2 }] });
    expect(complaints).toEqual([]);
    await context.close();
  }, 60_000);

  it('an analyst sees the flows and their results, and cannot change them (403)', async () => {
    const { context, page } = await h.newPage('en-GB');
    await h.signInAs(page, analyst.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await open(page, '/flows', 'Flows');
    await page
      .getByText('Your role lets you view the flows and their results, not change them.')
      .waitFor();
    await page.getByTestId('flow-gallery').waitFor();
    expect(await page.getByRole('button', { name: /^Switch on/ }).count()).toBe(0);
    expect(await h.seriousViolations(page)).toEqual([]);
    await open(page, `/flows/${welcomeId}`, /Welcome|Powitanie/);
    await page.getByTestId('flow-steps').waitFor();
    await page.getByTestId('step-results').waitFor();
    expect(await page.getByRole('button', { name: /^Edit/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Save/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Pause the flow' }).count()).toBe(0);
    expect(await h.seriousViolations(page)).toEqual([]);
    const statuses = await statusesFromPage(page, shop.id, [
      { method: 'PUT', path: `/v1/flows/${welcomeId}`, body: { status: 'paused' } },
      { method: 'POST', path: '/v1/flows/ready/birthday' },
      { method: 'GET', path: `/v1/flows/${welcomeId}/results` },
    ]);
    expect(statuses).toEqual([403, 403, 200]);
    expect((await call(t, shop, 'GET', `/v1/flows/${welcomeId}`)).json().status).toBe('active');
    await context.close();
  }, 60_000);

  it.skipIf(!takingShots)(
    'screenshots: flows, a flow being edited and an A/B flow in both languages at 1280 and 390 px',
    async () => {
      await h.inEachLanguageAndWidth(owner.email, async ({ page, shot }) => {
        await open(page, '/flows', /^(Flows|Automatyzacje)$/);
        await page.getByTestId('flow-gallery').waitFor();
        await shot('flows');
        await open(page, `/flows/${welcomeId}`, /Welcome|Powitanie/);
        await page.getByTestId('step-results').waitFor();
        await page.getByRole('button', { name: /^(Edit step 5|Edytuj krok 5)/ }).click();
        await shot('flow-welcome');
        await open(page, `/flows/${abId}`, 'Kupon powitalny: 10% czy 20%');
        await page.getByTestId('ab-results').waitFor();
        await shot('flow-ab');
      });
    },
    120_000,
  );
});
