import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, orderPaid, send } from '../points/support.ts';

// API.md, "Personal data": a customer's data, grouped by kind with its purpose.
const clock = fixedClock('2026-12-07T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let other: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Palarnia Kawy');
  other = await createTestShop(t, 'Herbaciarnia');
  await send(
    t,
    shop,
    orderPaid(
      'o-1',
      { id: 'ania', email: 'ania@example.pl', firstName: 'Ania' },
      '2026-12-01T10:00:00Z',
      {
        total: 12_300,
        lines: [{ productId: 'kawa', quantity: 1, price: 12_300 }],
      },
    ),
    orderPaid('o-2', { id: 'jan', email: 'jan@example.pl' }, '2026-12-01T11:00:00Z', {
      total: 100,
    }),
  );
  await send(
    t,
    other,
    orderPaid('o-1', { id: 'ania', email: 'ania@inna.pl' }, '2026-12-01T10:00:00Z', { total: 1 }),
  );
  const note = await call(t, shop, 'POST', '/v1/customers/ania/notes', {
    body: 'Lubi jasne palenie',
  });
  expect(note.statusCode, note.body).toBe(201);
});
afterAll(() => t.close());

describe('GET /v1/customers/:customerId/export', () => {
  it("holds the customer's rows of every kind, with purposes, and nothing of anyone else", async () => {
    const res = await call(t, shop, 'GET', '/v1/customers/ania/export');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as {
      exportedAt: string;
      shop: { id: string };
      customerId: string;
      data: Array<{
        kind: string;
        purpose: string;
        source: string;
        records: Record<string, Array<Record<string, unknown>>>;
      }>;
    };
    expect(body.exportedAt).toBe('2026-12-07T10:00:00.000Z');
    expect(body.shop.id).toBe(shop.id);
    expect(body.data.map((k) => k.kind)).toEqual([
      'profile',
      'orders',
      'points',
      'stamps',
      'coupons',
      'referrals',
      'consents',
      'messages',
      'surveys',
      'reviews',
      'notes and tasks',
      'visits',
      'raw deliveries',
    ]);
    expect(body.data.every((k) => k.purpose.length > 0 && k.source.length > 0)).toBe(true);
    const kind = (name: string) => body.data.find((k) => k.kind === name)!.records;
    expect(kind('profile').customers![0]).toMatchObject({
      external_id: 'ania',
      email: 'ania@example.pl',
    });
    expect(kind('orders').orders!.map((o) => o.external_id)).toEqual(['o-1']);
    expect(kind('orders').order_lines).toHaveLength(1);
    expect(kind('points').point_entries!.length).toBeGreaterThan(0);
    expect(kind('notes and tasks').customer_notes![0]).toMatchObject({
      body: 'Lubi jasne palenie',
    });
    expect(res.body).not.toContain('jan@example.pl');
    expect(res.body).not.toContain('ania@inna.pl');
    expect(res.body).not.toContain('"shop_id"');
  });

  it("answers 404 for another shop's customer", async () => {
    expect((await call(t, other, 'GET', '/v1/customers/jan/export')).statusCode).toBe(404);
  });
});
