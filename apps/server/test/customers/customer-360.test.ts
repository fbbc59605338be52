import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, orderPaid, send } from '../points/support.ts';

const clock = fixedClock('2026-05-20T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep 360');
  await send(
    t,
    shop,
    {
      type: 'customer.created',
      id: 'c-ela',
      data: {
        id: 'ela',
        email: 'ela@example.pl',
        firstName: 'Ela',
        acceptsMarketing: { email: true },
      },
    },
    orderPaid('o-ela-1', 'ela', '2026-04-01T10:00:00Z', { total: 60000 }),
    orderPaid('o-ela-2', 'ela', '2026-05-01T10:00:00Z', { total: 20000 }),
    {
      type: 'review.created',
      id: 'rv-ela',
      data: { customerId: 'ela', reviewId: 'rv-ela', rating: 5, photo: true },
    },
    { type: 'order.cancelled', id: 'x-ela-2', data: { orderId: 'o-ela-2' } },
  );
  const reward = (await call(t, shop, 'GET', '/v1/rewards')).json()[0];
  expect(
    (await call(t, shop, 'POST', '/v1/customers/ela/redemptions', { rewardId: reward.id }))
      .statusCode,
  ).toBe(201);
  const card = await call(t, shop, 'POST', '/v1/gift-cards', {
    amount: 5000,
    currency: 'PLN',
    customerId: 'ela',
  });
  expect(card.statusCode, card.body).toBe(201);
});
afterAll(() => t.close());

describe('the customer 360', () => {
  it('gathers profile, consent, points, orders, coupons, gift cards, activities, notes and tasks in one answer', async () => {
    const note = await call(t, shop, 'POST', '/v1/customers/ela/notes', {
      body: 'Woli kontakt mailowy.',
    });
    expect(note.statusCode).toBe(201);
    const task = await call(t, shop, 'POST', '/v1/customers/ela/tasks', {
      title: 'Zadzwonić w sprawie zwrotu',
      dueAt: '2026-05-21T09:00:00+02:00',
    });
    expect(task.statusCode).toBe(201);

    const res = await call(t, shop, 'GET', '/v1/customers/ela/360');
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json();
    expect(view.customer).toMatchObject({
      id: 'ela',
      email: 'ela@example.pl',
      points: { available: 100 },
    });
    expect(view.consent).toMatchObject({ email: true, sms: null, history: [] });
    // Per purpose: e-mail marketing follows the platform's flag; SMS marketing needs a yes.
    const byPurpose = (channel: string, purpose: string) =>
      view.consent.byPurpose.find(
        (c: { channel: string; purpose: string }) => c.channel === channel && c.purpose === purpose,
      );
    expect(byPurpose('email', 'marketing')).toMatchObject({ granted: true, source: 'default' });
    expect(byPurpose('sms', 'marketing')).toMatchObject({ granted: false, source: 'default' });
    expect(view.messages).toEqual([]); // messages come from flow rounds, none has run here
    expect(view.surveys).toBeDefined();
    expect(view.referrals.referralCode).toMatch(/-/);
    expect(view.orders.map((o: { id: string; status: string }) => [o.id, o.status])).toEqual([
      ['o-ela-2', 'cancelled'],
      ['o-ela-1', 'paid'],
    ]);
    expect(view.ledger.map((e: { kind: string; points: number }) => [e.kind, e.points])).toEqual([
      ['redeem', -500],
      ['reverse', -200],
      ['earn', 200],
      ['earn', 600],
    ]);
    expect(view.coupons).toEqual([
      expect.objectContaining({ source: 'reward', used: 0, usageLimit: 1 }),
    ]);
    expect(view.giftCards).toEqual([
      expect.objectContaining({ balance: { amount: 5000, currency: 'PLN' } }),
    ]);
    expect(view.activities).toEqual([
      expect.objectContaining({
        type: 'review.created',
        data: expect.objectContaining({ rating: 5 }),
      }),
    ]);
    expect(view.value).toBeNull(); // no CLV model fitted in this shop
    expect(view.notes).toEqual([
      expect.objectContaining({
        body: 'Woli kontakt mailowy.',
        author: `api_key:${shop.apiKeyId}`,
      }),
    ]);
    expect(view.tasks).toEqual([
      expect.objectContaining({ title: 'Zadzwonić w sprawie zwrotu', status: 'open' }),
    ]);
  });

  it('lists open tasks across customers and closes them once', async () => {
    const open = (await call(t, shop, 'GET', '/v1/tasks')).json().data;
    expect(open).toHaveLength(1);
    const closed = await call(t, shop, 'POST', `/v1/tasks/${open[0].id}/close`, { status: 'done' });
    expect(closed.json()).toMatchObject({ status: 'done', customerId: 'ela' });
    expect((await call(t, shop, 'GET', '/v1/tasks')).json().data).toEqual([]);
  });

  it('answers 404 for another shop’s customer and task', async () => {
    const other = await createTestShop(t, 'Inny');
    expect((await call(t, other, 'GET', '/v1/customers/ela/360')).statusCode).toBe(404);
    expect(
      (await call(t, other, 'POST', '/v1/customers/ela/notes', { body: 'x' })).statusCode,
    ).toBe(404);
    const tasks = (await call(t, shop, 'GET', '/v1/tasks')).json().data;
    expect(tasks).toEqual([]);
  });
});
