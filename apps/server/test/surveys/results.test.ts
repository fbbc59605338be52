import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, send } from '../points/support.ts';
import { surveyFigures } from '../../src/surveys/summarize-surveys.ts';

// Days are the shop's (Europe/Warsaw): 2026-03-01 begins at 2026-02-28T23:00Z.
const clock = fixedClock('2026-03-01T09:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let other: Awaited<ReturnType<typeof createTestShop>>;

/** Sends a survey to a new customer and, unless the score is null, answers it. */
async function surveyed(kind: 'nps' | 'csat', score: number | null, at: string) {
  clock.set(at);
  const id = `k-${Math.random().toString(36).slice(2, 10)}`;
  await send(t, shop, { type: 'customer.created', id: `c-${id}`, data: { id } });
  const res = await call(t, shop, 'POST', '/v1/survey-requests', { customerId: id, kind });
  expect(res.statusCode, res.body).toBe(201);
  const { answerUrls, scores } = res.json() as { answerUrls: string[]; scores: number[] };
  if (score !== null) {
    const url = new URL(answerUrls[scores.indexOf(score)]!).pathname;
    // The answer page posts the score (a GET alone records nothing).
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const answered = await t.app.inject({ method: 'POST', url, headers, payload: 'answer=1' });
    expect(answered.statusCode).toBe(200);
  }
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep z wynikami');
  other = await createTestShop(t, 'Inny');
  // In March: NPS 10, 10, 9, 9, 8, 7, 6, 3, 0 answered, 3 not → 12 sent.
  for (const score of [10, 10, 9, 9, 8, 7, 6, 3, 0, null, null, null]) {
    await surveyed('nps', score, '2026-03-10T12:00:00Z');
  }
  // Outside March (the 28th of February in Warsaw, and the 1st of April just after midnight).
  await surveyed('nps', 0, '2026-02-28T22:59:00Z');
  await surveyed('nps', 0, '2026-03-31T22:00:00Z');
  // CSAT in March: 5, 4, 4, 3, 1 answered, 1 not.
  for (const score of [5, 4, 4, 3, 1, null]) await surveyed('csat', score, '2026-03-15T12:00:00Z');
});
afterAll(() => t.close());

describe('survey results', () => {
  it('gives the NPS figures a hand count gives', async () => {
    const res = await call(
      t,
      shop,
      'GET',
      '/v1/surveys/results?kind=nps&from=2026-03-01&to=2026-04-01',
    );
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    // promoters 4, passives 2, detractors 3 of 9: (4 − 3) / 9 = 11.1 %; 9 of 12 answered.
    expect(r).toMatchObject({
      kind: 'nps',
      from: '2026-03-01',
      to: '2026-04-01',
      requests: 12,
      count: 9,
      responseRate: 0.75,
      nps: { score: 11.1, promoters: 4, passives: 2, detractors: 3 },
    });
    expect(r.distribution).toEqual(
      [1, 0, 0, 1, 0, 0, 1, 1, 1, 2, 2].map((count, score) => ({ score, count })),
    );
    expect(r.csat).toBeUndefined();
  });

  it('counts everything when no period is given', async () => {
    const r = (await call(t, shop, 'GET', '/v1/surveys/results?kind=nps')).json();
    expect(r).toMatchObject({ requests: 14, count: 11, nps: { detractors: 5 } });
  });

  it('gives the CSAT average and the percent satisfied', async () => {
    const r = (
      await call(t, shop, 'GET', '/v1/surveys/results?kind=csat&from=2026-03-01&to=2026-04-01')
    ).json();
    // (5 + 4 + 4 + 3 + 1) / 5 = 3.4; 3 of 5 gave 4–5.
    expect(r).toMatchObject({
      requests: 6,
      count: 5,
      responseRate: 0.8333,
      csat: { average: 3.4, satisfiedPercent: 60 },
    });
    expect(r.nps).toBeUndefined();
  });

  it("shows another shop none of this shop's answers", async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/surveys/results?kind=nps',
      headers: bearer(other.apiKey),
    });
    expect(res.json()).toMatchObject({
      requests: 0,
      count: 0,
      responseRate: null,
      nps: { score: null },
    });
  });

  it('refuses a malformed date with its field path', async () => {
    const res = await call(t, shop, 'GET', '/v1/surveys/results?kind=nps&from=March');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ path: 'query.from' })]);
  });
});

describe('survey figures (pure)', () => {
  it('counts 7 and 8 as passive, so all-passive answers score 0', () => {
    const f = surveyFigures(
      'nps',
      2,
      new Map([
        [7, 1],
        [8, 1],
      ]),
    );
    expect(f.nps).toEqual({ score: 0, promoters: 0, passives: 2, detractors: 0 });
    expect(f.responseRate).toBe(1);
  });

  it('scores −100 when everyone detracts', () => {
    expect(surveyFigures('nps', 3, new Map([[6, 3]])).nps?.score).toBe(-100);
  });
});
