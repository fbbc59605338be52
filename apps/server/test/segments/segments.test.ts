import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  type TestApp,
} from '../support/app.ts';

const clock = fixedClock('2026-11-23T12:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

const send = (payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/v1/events', headers: bearer(shop.apiKey), payload });
const order = (
  id: string,
  customer: string,
  day: string,
  total: number,
  categoryIds: string[] = [],
) =>
  send({
    type: 'order.paid',
    id,
    occurredAt: `${day}T12:00:00Z`,
    data: {
      id,
      customer: { id: customer },
      currency: 'PLN',
      total,
      lines: [{ productId: 'p', categoryIds, quantity: 1, price: total }],
      createdAt: `${day}T12:00:00Z`,
    },
  });
const get = (url: string) => t.app.inject({ method: 'GET', url, headers: bearer(shop.apiKey) });
const counts = async () =>
  Object.fromEntries(
    ((await get('/v1/segments')).json().data as Array<{ id: string; customers: number }>).map(
      (s) => [s.id, s.customers],
    ),
  );

/**
 * On 23 Nov 2026: A spent 1,200 zł over three orders (coffee), B bought once 13 days ago and
 * accepts e-mail, C bought once in March, D has not bought.
 */
beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t);
  await send({
    type: 'customer.created',
    id: 'ca',
    occurredAt: '2026-01-01T00:00:00Z',
    data: { id: 'A', tags: ['kawa'] },
  });
  await send({
    type: 'customer.created',
    id: 'cb',
    occurredAt: '2026-01-01T00:00:00Z',
    data: { id: 'B', acceptsMarketing: { email: true } },
  });
  await send({
    type: 'customer.created',
    id: 'cd',
    occurredAt: '2026-01-01T00:00:00Z',
    data: { id: 'D' },
  });
  await order('a1', 'A', '2026-06-01', 10000, ['kawa']);
  await order('a2', 'A', '2026-10-01', 50000, ['kawa']);
  await order('a3', 'A', '2026-11-20', 60000, ['herbata']);
  await order('b1', 'B', '2026-11-10', 5000);
  await order('c1', 'C', '2026-03-01', 20000);
  await t.processor.drain();
});
afterAll(() => t.close());

describe('built-in segments', () => {
  it('count the customers their rules describe, in the shop’s language', async () => {
    const res = await get('/v1/segments');
    const vip = res.json().data.find((s: { id: string }) => s.id === 'vip');
    expect(vip).toMatchObject({
      name: 'VIP',
      description: 'Wydali łącznie ponad 1000',
      builtIn: true,
    });
    // A is the most recent, most frequent and biggest spender of the three buyers
    expect(await counts()).toEqual({
      vip: 1,
      new: 1,
      'one-time': 2,
      dormant: 1,
      'at-risk': 0,
      champions: 1,
    });
  });

  it('follow new orders: a first big order makes D a new VIP, and a one-time buyer', async () => {
    await order('d1', 'D', '2026-11-22', 200000);
    await t.processor.drain();
    expect(await counts()).toMatchObject({ vip: 2, new: 2, 'one-time': 3, dormant: 1 });
  });

  it('list their customers, highest spend first', async () => {
    const res = await get('/v1/segments/one-time/customers');
    expect(res.json().data.map((m: { customerId: string }) => m.customerId)).toEqual([
      'D',
      'C',
      'B',
    ]);
    expect(res.json().data[1]).toMatchObject({
      customerId: 'C',
      totalSpent: 20000,
      ordersCount: 1,
      daysSinceLastOrder: 267,
    });
  });

  it('export their customers as CSV, in the same order', async () => {
    const res = await get('/v1/segments/one-time/customers.csv');
    expect(res.headers['content-type']).toContain('text/csv');
    const rows = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(rows[0]).toBe(
      'customer_id,email,total_spent,orders_count,days_since_last_order,rfm_recency,rfm_frequency,rfm_monetary',
    );
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(['D', 'C', 'B']);
    expect(rows[2]!.split(',').slice(2, 5)).toEqual(['20000', '1', '267']);
  });

  it('cannot be deleted', async () => {
    expectProblem(
      await t.app.inject({
        method: 'DELETE',
        url: '/v1/segments/vip',
        headers: bearer(shop.apiKey),
      }),
      409,
    );
  });
});

describe('your own segments', () => {
  it('combine conditions with all and any, and count exactly the customers they select', async () => {
    const coffee = await t.app.inject({
      method: 'POST',
      url: '/v1/segments',
      headers: bearer(shop.apiKey),
      payload: {
        name: 'Kawosze',
        rules: {
          all: [
            { fact: 'categories_bought', op: 'contains', value: 'kawa' },
            { fact: 'tags', op: 'contains', value: 'kawa' },
          ],
        },
      },
    });
    expect(coffee.statusCode).toBe(201);
    expect(coffee.json()).toMatchObject({ name: 'Kawosze', builtIn: false, customers: 1 });

    const preview = await t.app.inject({
      method: 'POST',
      url: '/v1/segments/preview',
      headers: bearer(shop.apiKey),
      payload: {
        rules: {
          any: [
            { fact: 'accepts_email_marketing', op: 'is', value: true },
            { fact: 'total_spent', op: 'between', value: [15000, 150000] },
          ],
        },
      },
    });
    expect(preview.json()).toEqual({ customers: 3 }); // B by consent, A and C by spend

    const id = coffee.json().id;
    const members = await get(`/v1/segments/${id}/customers`);
    expect(members.json().data.map((m: { customerId: string }) => m.customerId)).toEqual(['A']);
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/v1/segments/${id}`,
          headers: bearer(shop.apiKey),
        })
      ).statusCode,
    ).toBe(204);
    expectProblem(await get(`/v1/segments/${id}/customers`), 404);
  });

  it('refuse an operator the fact does not take, naming the field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/segments',
      headers: bearer(shop.apiKey),
      payload: { name: 'Zły', rules: { fact: 'tags', op: 'gt', value: 3 } },
    });
    expectProblem(res, 400);
    expect(res.json().errors.some((e: { path: string }) => e.path.startsWith('rules'))).toBe(true);
  });

  it('are invisible to another shop', async () => {
    const other = await createTestShop(t, 'Inny');
    const mine = await t.app.inject({
      method: 'POST',
      url: '/v1/segments',
      headers: bearer(shop.apiKey),
      payload: { name: 'Moi', rules: { fact: 'orders_count', op: 'gte', value: 1 } },
    });
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/segments/${mine.json().id}/customers`,
      headers: bearer(other.apiKey),
    });
    expectProblem(res, 404);
  });

  it('accept decimal values, and refuse rules nested too deeply with 400', async () => {
    const decimal = await t.app.inject({
      method: 'POST',
      url: '/v1/segments/preview',
      headers: bearer(shop.apiKey),
      payload: { rules: { fact: 'total_spent', op: 'gt', value: 99.5 } },
    });
    expect(decimal.json()).toEqual({ customers: 4 });
    let rules: Record<string, unknown> = { fact: 'orders_count', op: 'gte', value: 1 };
    for (let i = 0; i < 2000; i++) rules = { all: [rules] };
    const deep = await t.app.inject({
      method: 'POST',
      url: '/v1/segments',
      headers: bearer(shop.apiKey),
      payload: { name: 'Głęboki', rules },
    });
    expectProblem(deep, 400);
    expect(deep.json().errors[0].path).toMatch(/^rules\.all\.0\./);
    // Within the body's limit, the rule's own: 33 groups.
    rules = { fact: 'orders_count', op: 'gte', value: 1 };
    for (let i = 1; i < 33; i++) rules = { all: [rules] };
    const deeper = await t.app.inject({
      method: 'POST',
      url: '/v1/segments',
      headers: bearer(shop.apiKey),
      payload: { name: 'Głęboki', rules },
    });
    expectProblem(deeper, 400);
    expect(deeper.json().errors).toEqual([{ path: 'rules', message: 'nests more than 32 levels' }]);
  });
});

describe('RFM scores', () => {
  it('give customers with equal facts equal scores', async () => {
    const res = await get('/v1/segments/one-time/customers');
    const [d, c, b] = res.json().data as Array<{ rfm: { frequency: number } }>;
    expect(new Set([d!.rfm.frequency, c!.rfm.frequency, b!.rfm.frequency]).size).toBe(1);
  });
});
