import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestShop, type TestApp } from '../support/app.ts';

let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp();
  shop = await createTestShop(t);
});
afterAll(() => t.close());

const orderPaid = (id: string, extra: Record<string, unknown> = {}) => ({
  type: 'order.paid',
  id: `evt-${id}`,
  occurredAt: '2026-11-20T10:00:00Z',
  data: {
    id,
    customer: { id: 'c-1', email: 'ala@example.pl', firstName: 'Ala' },
    currency: 'PLN',
    total: 12345,
    subtotal: 11000,
    shipping: 1345,
    discountCodes: ['WITAJ10'],
    lines: [{ productId: 'p-1', sku: 'KAWA', categoryIds: ['kawa'], quantity: 2, price: 5500 }],
    createdAt: '2026-11-20T09:59:00Z',
    ...extra,
  },
});

describe('POST /v1/events', () => {
  it('accepts an order, stores it raw, and normalises it into a customer and an order', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: bearer(shop.apiKey),
      payload: orderPaid('1001'),
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({
      status: 'accepted',
      eventId: expect.stringMatching(/^evt_/),
    });
    await t.processor.drain();
    const order = await t.app.inject({
      method: 'GET',
      url: '/v1/orders/1001',
      headers: bearer(shop.apiKey),
    });
    expect(order.statusCode).toBe(200);
    expect(order.json()).toMatchObject({
      id: '1001',
      customerId: 'c-1',
      status: 'paid',
      total: { amount: 12345, currency: 'PLN' },
      discountCodes: ['WITAJ10'],
      lines: [
        {
          productId: 'p-1',
          quantity: 2,
          price: { amount: 5500, currency: 'PLN' },
          categoryIds: ['kawa'],
        },
      ],
    });
  });

  it('answers duplicate for the same type and id, and applies it once', async () => {
    const first = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: bearer(shop.apiKey),
      payload: orderPaid('1002'),
    });
    const again = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: bearer(shop.apiKey),
      payload: orderPaid('1002'),
    });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual({ eventId: first.json().eventId, status: 'duplicate' });
    await t.processor.drain();
    const rows = await t.db
      .selectFrom('orders')
      .select('id')
      .where('external_id', '=', '1002')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('rejects an invalid payload with 400 problem+json naming the field, and stores nothing', async () => {
    const before = await t.db
      .selectFrom('inbound_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const bad = orderPaid('1003');
    (bad.data as Record<string, unknown>).total = -5;
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: bearer(shop.apiKey),
      payload: bad,
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 400, errors: [{ path: 'data.total' }] });
    const after = await t.db
      .selectFrom('inbound_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toEqual(before.n);
  });

  it('parks only the event that cannot apply and still applies the rest of its batch', async () => {
    const send = (payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: '/v1/events', headers: bearer(shop.apiKey), payload });
    await send(orderPaid('2001'));
    await t.processor.drain();
    // in one batch: a refund in another currency than its order, and a valid refund
    const bad = await send({
      type: 'order.refunded',
      id: 'rf-bad',
      data: { orderId: '2001', refundId: 'x1', amount: 100, currency: 'EUR' },
    });
    const good = await send({
      type: 'order.refunded',
      id: 'rf-good',
      data: { orderId: '2001', refundId: 'x2', amount: 345, currency: 'PLN' },
    });
    await t.processor.drain();
    const badEvent = await t.app.inject({
      method: 'GET',
      url: `/v1/events/${bad.json().eventId}`,
      headers: bearer(shop.apiKey),
    });
    expect(badEvent.json()).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('EUR'),
    });
    const goodEvent = await t.app.inject({
      method: 'GET',
      url: `/v1/events/${good.json().eventId}`,
      headers: bearer(shop.apiKey),
    });
    expect(goodEvent.json()).toMatchObject({ status: 'processed' });
    const order = await t.app.inject({
      method: 'GET',
      url: '/v1/orders/2001',
      headers: bearer(shop.apiKey),
    });
    expect(order.json()).toMatchObject({ refunded: { amount: 345 }, refunds: [{ id: 'x2' }] });
  });
});
