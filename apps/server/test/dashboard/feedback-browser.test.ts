import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { asMember, createMember, signIn } from '../support/accounts.ts';
import type { TestApp } from '../support/app.ts';
import { call, points, publish, send } from '../points/support.ts';
import { answerNps } from '../feedback/support.ts';
import type { fixedClock } from '../../src/shared/clock.ts';
import { browserTestsRun, startHarness, takingShots, type Harness } from './browser-harness.ts';

// The feedback pages in Chromium: NPS over the last six months equal to the API's figure, with
// its comments; a review with a photo approved and its points seen, another rejected with a
// reason, a public reply; the detractor's follow-up task assigned to a support member and
// resolved; an analyst who sees all of it and may change none of it.
//
// Surveys (NPS): in July 10 ("Świetna obsługa"), 9 and 7; in August 3 ("Paczka przyszła
// zgnieciona", which opens a follow-up task) and one not answered. Reviews, both waiting: Ela's
// 4-star review of the mug with a photo, Olek's 1-star review of the shop.
const NOW = '2026-09-01T10:00:00Z';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

let h: Harness;
let t: TestApp;
let base: string;
let shop: Harness['shop'];
let owner: { email: string };
let support: { userId: string; email: string };
let analyst: { email: string };

async function answer(
  app: TestApp,
  s: Harness['shop'],
  customer: string,
  score: number | null,
  at: string,
  comment = '',
) {
  (app.clock as ReturnType<typeof fixedClock>).set(at);
  await answerNps(app, s, customer, score, comment);
}

async function open(page: Page, path: string, heading: RegExp) {
  await page.goto(`${base}/admin${path}`);
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

const reviewOf = async (customerId: string) =>
  (
    (await call(t, shop, 'GET', '/v1/reviews?status=pending')).json().data as {
      id: string;
      customerId: string;
    }[]
  ).find((r) => r.customerId === customerId)!;

describe.skipIf(!browserTestsRun)('feedback in a browser', () => {
  beforeAll(async () => {
    h = await startHarness({
      now: NOW,
      shopName: 'Sklep z Kubkami',
      seed: async (app, s) => {
        await publish(app, s, {
          rules: [{ id: 'review', code: 'review', args: { points: 10, withPhotoPoints: 25 } }],
        });
        await answer(app, s, 'marta', 10, '2026-07-05T10:00:00Z', 'Świetna obsługa');
        await answer(app, s, 'jan', 9, '2026-07-06T10:00:00Z');
        await answer(app, s, 'kasia', 7, '2026-07-07T10:00:00Z');
        await answer(app, s, 'piotr', 3, '2026-08-10T10:00:00Z', 'Paczka przyszła zgnieciona');
        await answer(app, s, 'zenon', null, '2026-08-11T10:00:00Z');
        (app.clock as ReturnType<typeof fixedClock>).set(NOW);
        await send(
          app,
          s,
          {
            type: 'customer.created',
            id: 'c-ela',
            data: { id: 'ela', firstName: 'Ela', lastName: 'Nowak' },
          },
          { type: 'customer.created', id: 'c-olek', data: { id: 'olek', firstName: 'Olek' } },
        );
        const mug = await call(app, s, 'POST', '/v1/reviews', {
          customerId: 'ela',
          productId: 'kubek',
          rating: 4,
          title: 'Ładny kubek',
          body: 'Trzyma ciepło.',
          photo: `data:image/png;base64,${PNG.toString('base64')}`,
        });
        expect(mug.statusCode, mug.body).toBe(201);
        const shopReview = await call(app, s, 'POST', '/v1/reviews', {
          customerId: 'olek',
          target: 'shop',
          rating: 1,
          body: 'Kupujcie gdzie indziej www.example.com',
        });
        expect(shopReview.statusCode, shopReview.body).toBe(201);
      },
    });
    ({ t, base, shop } = h);
    owner = await createMember(t, shop.id, 'owner', 'wlasciciel@kubki.pl');
    support = await createMember(t, shop.id, 'support', 'obsluga@kubki.pl');
    analyst = await createMember(t, shop.id, 'analyst', 'analityk@kubki.pl');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('an owner reads NPS as the API counts it, moderates reviews and resolves the detractor task', async () => {
    const { context, page, complaints } = await h.newPage('en-GB');
    await h.signInAs(page, owner.email);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Feedback', exact: true }).click();
    await page.getByRole('heading', { name: 'Feedback', level: 1 }).waitFor();
    await page.mouse.move(640, 10);

    // The last six months: 1 April to 1 September inclusive.
    const api = (
      await call(t, shop, 'GET', '/v1/surveys/results?kind=nps&from=2026-04-01&to=2026-09-02')
    ).json();
    expect(api.nps).toEqual({ score: 25, promoters: 2, passives: 1, detractors: 1 });
    await expect.poll(() => page.getByTestId('survey-score').innerText()).toBe('+25');
    expect(await page.getByText('4 of 5 sent').count()).toBe(1);
    const series = (
      await call(t, shop, 'GET', '/v1/surveys/series?kind=nps&from=2026-04-01&to=2026-09-02')
    ).json().data as { month: string; nps: { score: number | null } }[];
    expect(series.map((m) => m.month)).toEqual([
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
    ]);
    expect(await page.getByTestId('survey-month-2026-07').innerText()).toMatch(
      /^July 2026\s+3\s+3\s+\+66\.7$/,
    );
    expect(series[3]!.nps.score).toBe(66.7);
    expect(await page.getByTestId('survey-month-2026-08').innerText()).toMatch(
      /^August 2026\s+2\s+1\s+-100$/,
    );
    const comments = page.getByTestId('survey-comments');
    await expect.poll(() => comments.innerText()).toContain('Paczka przyszła zgnieciona');
    expect(await comments.innerText()).toContain('Świetna obsługa');
    await page.getByLabel('Only low scores').check();
    await expect.poll(() => comments.innerText()).not.toContain('Świetna obsługa');
    expect(await comments.innerText()).toContain('3/10');
    expect(await h.seriousViolations(page)).toEqual([]);

    // Reviews: the photo is fetched with the session (it is not public before approval).
    await page.getByRole('link', { name: 'Reviews' }).click();
    const ela = await reviewOf('ela');
    const olek = await reviewOf('olek');
    const elaCard = page.getByTestId(`review-${ela.id}`);
    const photo = elaCard.getByTestId('review-photo');
    await photo.waitFor();
    expect(await photo.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
    expect(await elaCard.innerText()).toContain('Trzyma ciepło.');
    expect(await h.seriousViolations(page)).toEqual([]);

    await elaCard.getByLabel('Public reply').fill('Dziękujemy, Elu!');
    await elaCard.getByRole('button', { name: 'Save the reply' }).click();
    await page.getByText('Reply saved.').waitFor();
    await elaCard.getByRole('button', { name: 'Approve' }).click();
    await page
      .getByText('Review approved; the review points are on their way to the customer.')
      .waitFor();
    await t.processor.drain();
    expect((await points(t, shop, 'ela')).lifetimeEarned).toBe(25);
    const olekCard = page.getByTestId(`review-${olek.id}`);
    await olekCard.getByLabel('Reason (only for the team)').fill('Reklama innego sklepu');
    await olekCard.getByRole('button', { name: 'Reject' }).click();
    await page.getByText('Review rejected.').waitFor();
    await page.getByText('No reviews here.').waitFor();

    await page.getByText('Approved', { exact: true }).click();
    await expect
      .poll(() => page.getByTestId(`review-${ela.id}`).innerText())
      .toContain('Points for reviews: +25');
    expect(await page.getByTestId(`review-${ela.id}`).getByLabel('Public reply').inputValue()).toBe(
      'Dziękujemy, Elu!',
    );
    await page.getByText('Rejected', { exact: true }).click();
    await expect
      .poll(() => page.getByTestId(`review-${olek.id}`).innerText())
      .toContain('Reason: Reklama innego sklepu');
    const moderated = (await call(t, shop, 'GET', `/v1/reviews/${olek.id}`)).json();
    expect(moderated).toMatchObject({
      status: 'rejected',
      moderationNote: 'Reklama innego sklepu',
    });
    expect((await points(t, shop, 'olek')).lifetimeEarned).toBe(0);
    expect((await call(t, shop, 'GET', `/v1/reviews/${ela.id}`)).json()).toMatchObject({
      status: 'approved',
      reply: 'Dziękujemy, Elu!',
    });
    expect(await h.seriousViolations(page)).toEqual([]);

    // The detractor's follow-up task: linked to the customer, assigned, resolved.
    await page.getByRole('link', { name: 'Tasks' }).click();
    const [task] = (await call(t, shop, 'GET', '/v1/tasks?origin=survey')).json().data as {
      id: string;
      title: string;
      customerId: string;
    }[];
    expect(task!.customerId).toBe('piotr');
    const row = page.getByTestId(`task-${task!.id}`);
    await row.waitFor();
    expect(await row.innerText()).toContain('Paczka przyszła zgnieciona');
    expect(await row.getByRole('link', { name: 'piotr' }).getAttribute('href')).toBe(
      '/admin/customers/piotr',
    );
    expect(await h.seriousViolations(page)).toEqual([]);
    await row.getByLabel(`Assign “${task!.title}”`).click();
    await page.getByRole('option', { name: 'Test support' }).click();
    await page.getByText('Task assigned.').waitFor();
    await expect
      .poll(async () => (await call(t, shop, 'GET', '/v1/tasks')).json().data[0].assignedTo)
      .toBe(support.userId);
    await row.getByRole('button', { name: `Resolve: ${task!.title}` }).click();
    await page.getByText('Task resolved.').waitFor();
    await page.getByText('No tasks here.').waitFor();
    const done = (await call(t, shop, 'GET', '/v1/tasks?status=done')).json().data;
    expect(done).toEqual([
      expect.objectContaining({ id: task!.id, status: 'done', assignedTo: support.userId }),
    ]);
    await page.getByLabel('Status').first().click();
    await page.getByRole('option', { name: 'Resolved' }).click();
    await expect.poll(() => row.innerText()).toContain('resolved 1 Sept');
    expect(await row.innerText()).toContain('Test support');
    expect(await h.seriousViolations(page)).toEqual([]);
    expect(complaints).toEqual([]);
    await context.close();
  }, 60_000);

  it('an analyst sees feedback in Polish but cannot moderate or resolve (403 from the API)', async () => {
    const { context, page, complaints } = await h.newPage('pl-PL', 390);
    await h.signInAs(page, analyst.email);
    await page.getByRole('heading', { name: 'Pulpit', level: 1 }).waitFor();
    await open(page, '/feedback', /^Opinie$/);
    await expect.poll(() => page.getByTestId('survey-score').innerText()).toBe('+25');
    expect(await h.seriousViolations(page)).toEqual([]);
    await open(page, '/feedback/reviews', /^Opinie$/);
    await page.getByText('Odrzucone', { exact: true }).click();
    await page.getByText('Kupujcie gdzie indziej www.example.com').waitFor();
    expect(await page.getByRole('button', { name: 'Zatwierdź' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Zapisz odpowiedź' }).count()).toBe(0);
    expect(await h.seriousViolations(page)).toEqual([]);
    await open(page, '/feedback/tasks', /^Opinie$/);
    await page.getByLabel('Stan').first().click();
    await page.getByRole('option', { name: 'Wszystkie' }).click();
    await page.getByText('Paczka przyszła zgnieciona', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: /^Załatw/ }).count()).toBe(0);
    expect(await h.seriousViolations(page)).toEqual([]);

    const headers = asMember(await signIn(t, analyst.email), shop.id, base);
    const olek = (await call(t, shop, 'GET', '/v1/reviews?status=rejected')).json().data[0];
    const approve = await t.app.inject({
      method: 'POST',
      url: `/v1/reviews/${olek.id}/approve`,
      headers,
    });
    expect(approve.statusCode).toBe(403);
    const task = (await call(t, shop, 'GET', '/v1/tasks?status=all')).json().data[0];
    const assign = await t.app.inject({
      method: 'POST',
      url: `/v1/tasks/${task.id}/assign`,
      headers,
      payload: { userId: null },
    });
    expect(assign.statusCode).toBe(403);
    expect((await call(t, shop, 'GET', `/v1/reviews/${olek.id}`)).json().status).toBe('rejected');
    expect(complaints.filter((c) => !/status of 403/.test(c))).toEqual([]);
    await context.close();
  }, 60_000);

  it.skipIf(!takingShots)(
    'screenshots: feedback in both languages at 1280 and 390 px',
    async () => {
      await h.inEachLanguageAndWidth(owner.email, async ({ page, shot }) => {
        await open(page, '/feedback', /^(Feedback|Opinie)$/);
        await page.getByTestId('survey-comments').waitFor();
        await shot('feedback-results');
        await open(page, '/feedback/reviews', /^(Feedback|Opinie)$/);
        await page.getByText(/^(Approved|Zatwierdzone)$/).click();
        await page.getByTestId('review-points').waitFor();
        await page.getByTestId('review-photo').waitFor();
        await shot('feedback-reviews');
        await open(page, '/feedback/tasks', /^(Feedback|Opinie)$/);
        await page
          .getByLabel(/^(Status|Stan)$/)
          .first()
          .click();
        await page.getByRole('option', { name: /^(All|Wszystkie)$/ }).click();
        await page.getByTestId('tasks').waitFor();
        await shot('feedback-tasks');
      });
    },
    120_000,
  );
});
