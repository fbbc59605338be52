import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, send } from '../points/support.ts';
import { createSurveyRequest } from '../../src/surveys/create-survey-request.ts';

const clock = fixedClock('2026-06-01T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let other: Awaited<ReturnType<typeof createTestShop>>;

const customer = (id: string) => ({ type: 'customer.created', id: `c-${id}`, data: { id } });
const path = (url: string) => new URL(url).pathname;
const form = { 'content-type': 'application/x-www-form-urlencoded' };

async function ask(customerId: string, kind: 'nps' | 'csat' = 'nps', extra: object = {}) {
  const res = await call(t, shop, 'POST', '/v1/survey-requests', { customerId, kind, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { requestId: string; answerUrls: string[]; scores: number[] };
}

/** A person's click: the page opens, and its script posts the answer as a browser would. */
const click = async (url: string, method: 'GET' | 'HEAD' = 'GET') => {
  const page = await t.app.inject({ method, url: path(url) });
  if (!page.body.includes('id="answer-form"')) return page;
  return t.app.inject({ method: 'POST', url: path(url), headers: form, payload: 'answer=1' });
};

const answerOf = (requestId: string) =>
  t.db
    .selectFrom('survey_answers')
    .selectAll()
    .where('request_id', '=', requestId)
    .executeTakeFirst();

const tasksOf = (requestId: string) =>
  t.db
    .selectFrom('customer_tasks')
    .selectAll()
    .where('source', '=', `survey:${requestId}`)
    .execute();

const triggersOf = async (requestId: string) =>
  (
    await t.db
      .selectFrom('automation_triggers')
      .selectAll()
      .where('type', '=', 'survey.answered')
      .orderBy('id')
      .execute()
  )
    .map((r) => r.data as { requestId: string; score: number; category: string })
    .filter((d) => d.requestId === requestId);

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep <Ziutki> & Syn');
  other = await createTestShop(t, 'Inny Sklep');
  await send(t, shop, customer('ola'), customer('jan'), customer('eva'));
  await send(t, other, customer('obcy'));
});
afterAll(() => t.close());

describe('one-click NPS answers', () => {
  let nps: Awaited<ReturnType<typeof ask>>;

  it('gives one signed link per score: 11 for NPS and 5 for CSAT', async () => {
    nps = await ask('ola');
    expect(nps.answerUrls).toHaveLength(11);
    expect(nps.scores).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(nps.answerUrls[0]).toMatch(/^http:\/\/localhost:3000\/s\/[\w-]+\.[\w-]+$/);
    expect((await ask('ola', 'csat')).answerUrls).toHaveLength(5);
  });

  it('records the score in one click and thanks the customer in Polish, escaping the shop name', async () => {
    const res = await click(nps.answerUrls[9]!);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('<html lang="pl">');
    expect(res.body).toContain('Zapisaliśmy Twoją ocenę: 9/10.');
    expect(res.body).toContain('Możesz ją zmienić jeszcze przez 7 dni');
    expect(res.body).toContain('Sklep &lt;Ziutki&gt; &amp; Syn');
    expect(res.body).not.toContain('<Ziutki>');
    expect(await answerOf(nps.requestId)).toMatchObject({ score: 9, changes: 0 });
    expect(await triggersOf(nps.requestId)).toEqual([
      expect.objectContaining({ score: 9, category: 'promoter', kind: 'nps' }),
    ]);
  });

  it('treats the same click again (a link scanner, a double click) as nothing new', async () => {
    expect((await click(nps.answerUrls[9]!)).statusCode).toBe(200);
    expect(await answerOf(nps.requestId)).toMatchObject({ score: 9, changes: 0 });
    expect(await triggersOf(nps.requestId)).toHaveLength(1);
  });

  it('records nothing for a HEAD request', async () => {
    const res = await click(nps.answerUrls[2]!, 'HEAD');
    expect(res.statusCode).toBe(200);
    expect(await answerOf(nps.requestId)).toMatchObject({ score: 9 });
  });

  it('opens exactly one follow-up task for a detractor, however the score moves among low ones', async () => {
    clock.set('2026-06-02T10:00:00Z');
    const res = await click(nps.answerUrls[3]!);
    expect(res.body).toContain('Zmieniliśmy Twoją ocenę na 3/10.');
    await click(nps.answerUrls[5]!);
    const tasks = await tasksOf(nps.requestId);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      status: 'open',
      title: 'Oddzwoń: klient ocenił nas na 5/10',
      created_by: 'survey',
    });
    expect(await answerOf(nps.requestId)).toMatchObject({
      score: 5,
      changes: 2,
      task_id: tasks[0]!.id,
    });
    expect((await triggersOf(nps.requestId)).map((d) => [d.score, d.category])).toEqual([
      [9, 'promoter'],
      [3, 'detractor'],
      [5, 'detractor'],
    ]);
  });

  it('keeps a comment sent with the form, escaped, and puts it in the task title', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: path(nps.answerUrls[5]!),
      headers: form,
      payload: new URLSearchParams({ comment: 'Paczka <b>zgnieciona</b> & mokra' }).toString(),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('Dziękujemy za komentarz');
    expect(res.body).toContain('Paczka &lt;b&gt;zgnieciona&lt;/b&gt; &amp; mokra');
    expect(res.body).not.toContain('<b>zgnieciona');
    expect((await answerOf(nps.requestId))?.comment).toBe('Paczka <b>zgnieciona</b> & mokra');
    const [task] = await tasksOf(nps.requestId);
    expect(task!.title).toBe(
      'Oddzwoń: klient ocenił nas na 5/10 — „Paczka <b>zgnieciona</b> & mokra”',
    );
  });

  it('refuses a comment over 2,000 characters with a page that says why', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: path(nps.answerUrls[5]!),
      headers: form,
      payload: new URLSearchParams({ comment: 'x'.repeat(2001) }).toString(),
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Komentarz może mieć najwyżej 2000 znaków.');
    expect((await answerOf(nps.requestId))?.comment).toBe('Paczka <b>zgnieciona</b> & mokra');
  });

  it('cancels the open task when the customer changes to a promoter score, and reopens the same one on a low score again', async () => {
    await click(nps.answerUrls[10]!);
    expect((await tasksOf(nps.requestId)).map((x) => x.status)).toEqual(['cancelled']);
    await click(nps.answerUrls[2]!);
    const tasks = await tasksOf(nps.requestId);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ status: 'open', closed_at: null });
    expect(tasks[0]!.title).toContain('2/10');
  });

  it('refuses a change after the window closes, and says so', async () => {
    clock.set('2026-06-08T10:00:01Z'); // 7 days after the first answer
    const res = await click(nps.answerUrls[9]!);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Tej odpowiedzi nie można już zmienić. Twoja ocena: 2/10.');
    expect(res.body).not.toContain('<form');
    expect(await answerOf(nps.requestId)).toMatchObject({ score: 2 });
    const comment = await t.app.inject({
      method: 'POST',
      url: path(nps.answerUrls[2]!),
      headers: form,
      payload: 'comment=za+p%C3%B3%C5%BAno',
    });
    expect(comment.statusCode).toBe(409);
    expect((await answerOf(nps.requestId))?.comment).toBe('Paczka <b>zgnieciona</b> & mokra');
  });

  it('answers 404 and records nothing for a forged, re-signed or expired link', async () => {
    clock.set('2026-06-10T10:00:00Z');
    const fresh = await ask('jan');
    const [body, mac] = path(fresh.answerUrls[0]!).slice(3).split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString());
    const tampered = Buffer.from(JSON.stringify({ ...payload, v: 10 })).toString('base64url');
    for (const url of [
      `/s/${tampered}.${mac}`,
      `/s/${body}.${mac!.slice(0, -2)}xx`,
      '/s/not-a-token',
      `/s/${body}`,
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('Nie znaleziono strony');
    }
    clock.set('2026-07-10T10:00:01Z'); // links work 30 days
    expect((await click(fresh.answerUrls[0]!)).statusCode).toBe(404);
    expect(await answerOf(fresh.requestId)).toBeUndefined();
    expect(await triggersOf(fresh.requestId)).toEqual([]);
  });

  it('speaks English on a request made in English, with CSAT wording and a low-score task', async () => {
    clock.set('2026-07-11T10:00:00Z');
    const csat = await ask('eva', 'csat', { locale: 'en' });
    const res = await click(csat.answerUrls[1]!); // score 2
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain('We have recorded your rating: 2/5.');
    expect(res.body).toContain('You can still change it for 7 days');
    // The task is for staff: in the shop's language.
    expect((await tasksOf(csat.requestId))[0]?.title).toBe('Oddzwoń: klient ocenił nas na 2/5');
    expect((await triggersOf(csat.requestId))[0]).toMatchObject({ category: 'dissatisfied' });
  });

  it('asks once per message, also inside the caller’s transaction', async () => {
    const customerId = (
      await t.db
        .selectFrom('customers')
        .select('id')
        .where('shop_id', '=', shop.id)
        .where('external_id', '=', 'jan')
        .executeTakeFirstOrThrow()
    ).id;
    const input = {
      shopId: shop.id,
      customerId,
      kind: 'nps' as const,
      messageId: 'msg_test_1',
      publicUrl: 'https://lojal.example.pl',
      locale: 'pl' as const,
    };
    const [a, b] = await t.db
      .transaction()
      .execute(async (tx) => [
        await createSurveyRequest(tx, clock, t.box, input),
        await createSurveyRequest(tx, clock, t.box, input),
      ]);
    expect(b!.requestId).toBe(a!.requestId);
    expect(b!.answerUrls).toEqual(a!.answerUrls);
    expect(a!.answerUrls[0]).toMatch(/^https:\/\/lojal\.example\.pl\/s\//);
  });
});

describe("a customer's surveys", () => {
  it('lists what was asked and answered', async () => {
    const res = await call(t, shop, 'GET', '/v1/customers/ola/surveys');
    expect(res.statusCode, res.body).toBe(200);
    const data = res.json().data as Array<{ kind: string; answer: { score: number } | null }>;
    expect(data.map((d) => [d.kind, d.answer?.score ?? null])).toEqual([
      ['csat', null],
      ['nps', 2],
    ]);
    expect(data[1]).toMatchObject({
      answer: { category: 'detractor', comment: 'Paczka <b>zgnieciona</b> & mokra', changes: 4 },
    });
  });

  it("answers 404 for another shop's customer", async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/customers/ola/surveys',
      headers: bearer(other.apiKey),
    });
    expect(res.statusCode).toBe(404);
    const mine = await call(t, other, 'POST', '/v1/survey-requests', {
      customerId: 'ola',
      kind: 'nps',
    });
    expect(mine.statusCode).toBe(404);
  });
});

describe('the API description', () => {
  it('documents the survey, review and public page routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const p of ['/v1/surveys/results', '/v1/reviews', '/v1/products/{productId}/reviews']) {
      expect(paths).toContain(p);
    }
    expect(paths.some((p) => p.startsWith('/s/'))).toBe(true);
  });
});
