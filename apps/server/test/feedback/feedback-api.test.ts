import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { asMember, createMember, signIn } from '../support/accounts.ts';
import { call, send } from '../points/support.ts';
import { answerNps } from './support.ts';

// The routes behind the dashboard's feedback pages: NPS month by month and the comments behind
// it, the tasks inbox (filters, assigning), review replies and the moderation screen's photos.
const clock = fixedClock('2026-03-01T09:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let other: Awaited<ReturnType<typeof createTestShop>>;

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

/** Asks a customer at `at` and answers with `score` and a comment. */
async function answered(customer: string, score: number | null, at: string, comment = '') {
  clock.set(at);
  await answerNps(t, shop, customer, score, comment);
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep z opiniami');
  other = await createTestShop(t, 'Inny sklep');
  // January: 10, 9, 3 ("za długo"); February: 8, 0 ("zgnieciona paczka"), one unanswered.
  await answered('jan-a', 10, '2026-01-10T12:00:00Z');
  await answered('jan-b', 9, '2026-01-11T12:00:00Z', 'Super');
  await answered('jan-c', 3, '2026-01-12T12:00:00Z', 'Za długo');
  await answered('feb-a', 8, '2026-02-10T12:00:00Z');
  await answered('feb-b', 0, '2026-02-11T12:00:00Z', 'Zgnieciona paczka');
  await answered('feb-c', null, '2026-02-12T12:00:00Z');
  clock.set('2026-03-01T09:00:00Z');
});
afterAll(() => t.close());

describe('NPS over time and its comments', () => {
  it('gives each month the figures the results route gives for that month', async () => {
    const res = await call(
      t,
      shop,
      'GET',
      '/v1/surveys/series?kind=nps&from=2026-01-01&to=2026-03-01',
    );
    expect(res.statusCode, res.body).toBe(200);
    const months = res.json().data as Array<{ month: string; nps: { score: number } }>;
    expect(months.map((m) => [m.month, m.nps.score])).toEqual([
      ['2026-01', 33.3],
      ['2026-02', -50],
    ]);
    for (const m of res.json().data as Array<{ from: string; to: string }>) {
      const one = await call(
        t,
        shop,
        'GET',
        `/v1/surveys/results?kind=nps&from=${m.from}&to=${m.to}`,
      );
      const { from: _f, to: _t, kind: _k, ...figures } = one.json();
      expect(m).toMatchObject(figures);
    }
    const backwards = await call(
      t,
      shop,
      'GET',
      '/v1/surveys/series?from=2026-03-01&to=2026-01-01',
    );
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0].path).toBe('to');
    const tooLong = await call(t, shop, 'GET', '/v1/surveys/series?from=2020-01-01&to=2026-01-01');
    expect(tooLong.statusCode).toBe(400);
  });

  it('lists the answers newest first with their comments, the low ones with their task', async () => {
    const all = (await call(t, shop, 'GET', '/v1/surveys/answers?kind=nps')).json().data;
    expect(all.map((a: { customerId: string }) => a.customerId)).toEqual([
      'feb-b',
      'feb-a',
      'jan-c',
      'jan-b',
      'jan-a',
    ]);
    const low = (await call(t, shop, 'GET', '/v1/surveys/answers?kind=nps&low=true')).json().data;
    expect(low).toEqual([
      expect.objectContaining({
        customerId: 'feb-b',
        score: 0,
        category: 'detractor',
        comment: 'Zgnieciona paczka',
        taskId: expect.stringMatching(/^tsk_/),
      }),
      expect.objectContaining({ customerId: 'jan-c', score: 3, comment: 'Za długo' }),
    ]);
    const commented = await call(
      t,
      shop,
      'GET',
      '/v1/surveys/answers?withComment=true&from=2026-02-01',
    );
    expect(commented.json().data.map((a: { comment: string }) => a.comment)).toEqual([
      'Zgnieciona paczka',
    ]);
    expect((await call(t, other, 'GET', '/v1/surveys/answers')).json().data).toEqual([]);
  });
});

describe('the tasks inbox', () => {
  it('filters by origin and assignee, assigns to a member only, and closes', async () => {
    const support = await createMember(t, shop.id, 'support');
    const stranger = await createMember(t, other.id, 'owner');
    await send(t, shop, {
      type: 'customer.created',
      id: 'c-zosia',
      data: { id: 'zosia', email: 'zosia@example.pl' },
    });
    const staff = await call(t, shop, 'POST', '/v1/customers/zosia/tasks', {
      title: 'Wyślij próbki',
    });
    expect(staff.statusCode, staff.body).toBe(201);

    const surveyTasks = (await call(t, shop, 'GET', '/v1/tasks?origin=survey')).json().data;
    expect(surveyTasks.map((x: { customerId: string }) => x.customerId).sort()).toEqual([
      'feb-b',
      'jan-c',
    ]);
    const byHand = (await call(t, shop, 'GET', '/v1/tasks?origin=staff')).json().data;
    expect(byHand).toEqual([
      expect.objectContaining({
        title: 'Wyślij próbki',
        customer: { email: 'zosia@example.pl', name: null },
        assignedTo: null,
      }),
    ]);

    const detractor = surveyTasks.find((x: { customerId: string }) => x.customerId === 'feb-b');
    const refused = await call(t, shop, 'POST', `/v1/tasks/${detractor.id}/assign`, {
      userId: stranger.userId,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].path).toBe('userId');
    const given = await call(t, shop, 'POST', `/v1/tasks/${detractor.id}/assign`, {
      userId: support.userId,
    });
    expect(given.statusCode, given.body).toBe(200);
    expect(given.json()).toMatchObject({
      id: detractor.id,
      assignedTo: support.userId,
      customerId: 'feb-b',
    });
    const mine = (await call(t, shop, 'GET', `/v1/tasks?assignedTo=${support.userId}`)).json().data;
    expect(mine.map((x: { id: string }) => x.id)).toEqual([detractor.id]);
    const nobodys = (await call(t, shop, 'GET', '/v1/tasks?assignedTo=none')).json().data;
    expect(nobodys).toHaveLength(2);

    expect(
      (await call(t, other, 'POST', `/v1/tasks/${detractor.id}/assign`, { userId: null }))
        .statusCode,
    ).toBe(404);
    const closed = await call(t, shop, 'POST', `/v1/tasks/${detractor.id}/close`, {
      status: 'done',
    });
    expect(closed.json()).toMatchObject({ status: 'done', assignedTo: support.userId });
    const done = (await call(t, shop, 'GET', '/v1/tasks?status=done')).json().data;
    expect(done.map((x: { id: string }) => x.id)).toEqual([detractor.id]);
    expect((await call(t, shop, 'GET', '/v1/tasks')).json().data).toHaveLength(2);
  });

  it('lets support assign and an analyst only read', async () => {
    const analyst = await createMember(t, shop.id, 'analyst');
    const task = (await call(t, shop, 'GET', '/v1/tasks')).json().data[0];
    const headers = asMember(await signIn(t, analyst.email), shop.id, t.config.publicUrl);
    const read = await t.app.inject({ method: 'GET', url: '/v1/tasks', headers });
    expect(read.statusCode).toBe(200);
    const write = await t.app.inject({
      method: 'POST',
      url: `/v1/tasks/${task.id}/assign`,
      headers,
      payload: { userId: analyst.userId },
    });
    expect(write.statusCode).toBe(403);
  });
});

describe('review replies and photos for moderation', () => {
  it('keeps the shop reply, shows it under the approved review, and serves pending photos to members', async () => {
    await send(t, shop, {
      type: 'customer.created',
      id: 'c-ela',
      data: { id: 'ela', firstName: 'Ela', lastName: 'Nowak' },
    });
    const made = await call(t, shop, 'POST', '/v1/reviews', {
      customerId: 'ela',
      productId: 'kubek',
      rating: 2,
      body: 'Ucho odpadło',
      photo: `data:image/png;base64,${PNG.toString('base64')}`,
    });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().id as string;
    const replied = await call(t, shop, 'POST', `/v1/reviews/${id}/reply`, {
      reply: 'Wyślemy nowy kubek.',
    });
    expect(replied.statusCode, replied.body).toBe(200);
    expect(replied.json()).toMatchObject({
      status: 'pending',
      reply: 'Wyślemy nowy kubek.',
      repliedAt: '2026-03-01T09:00:00.000Z',
    });
    expect(
      (await call(t, other, 'POST', `/v1/reviews/${id}/reply`, { reply: 'x' })).statusCode,
    ).toBe(404);

    // Pending: no photo without credentials, the photo with a member's cookie and Lojal-Shop.
    const url = `/v1/reviews/${id}/photo`;
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(404);
    const analyst = await createMember(t, shop.id, 'analyst');
    const cookie = await signIn(t, analyst.email);
    const photo = await t.app.inject({
      method: 'GET',
      url,
      headers: asMember(cookie, shop.id, t.config.publicUrl),
    });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expect(photo.rawPayload.equals(PNG)).toBe(true);
    const elsewhere = await t.app.inject({
      method: 'GET',
      url,
      headers: asMember(cookie, other.id, t.config.publicUrl),
    });
    expect(elsewhere.statusCode).toBe(404);

    await call(t, shop, 'POST', `/v1/reviews/${id}/approve`);
    const published = (await call(t, shop, 'GET', '/v1/products/kubek/reviews')).json();
    expect(published.data[0]).toMatchObject({ body: 'Ucho odpadło', reply: 'Wyślemy nowy kubek.' });
    const removed = await call(t, shop, 'POST', `/v1/reviews/${id}/reply`, { reply: '  ' });
    expect(removed.json()).toMatchObject({ reply: null, repliedAt: null });
  });
});
