import { expect } from 'vitest';
import { bearer, type TestApp } from '../support/app.ts';

type Shop = { id: string; apiKey: string };

/** Sends API events and applies them, as the processor does after the 202. */
export async function send(t: TestApp, shop: Shop, ...events: object[]): Promise<void> {
  for (const payload of events) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: bearer(shop.apiKey),
      payload,
    });
    expect(res.statusCode, res.body).toBe(202);
  }
  await t.processor.drain();
}

export function orderPaid(
  id: string,
  customer: string | Record<string, unknown> | null,
  at: string,
  amounts: {
    total: number;
    subtotal?: number;
    shipping?: number;
    discountCodes?: string[];
    lines?: object[];
  },
) {
  return {
    type: 'order.paid',
    id,
    occurredAt: at,
    data: {
      id,
      customer: typeof customer === 'string' ? { id: customer } : customer,
      currency: 'PLN',
      createdAt: at,
      ...amounts,
    },
  };
}

export function refunded(orderId: string, refundId: string, amount: number, at: string) {
  return {
    type: 'order.refunded',
    id: refundId,
    occurredAt: at,
    data: { orderId, refundId, amount, currency: 'PLN' },
  };
}

export async function call(
  t: TestApp,
  shop: Shop,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: object,
) {
  return t.app.inject({ method, url, headers: bearer(shop.apiKey), ...(payload && { payload }) });
}

export async function points(t: TestApp, shop: Shop, customerId: string) {
  const res = await call(t, shop, 'GET', `/v1/customers/${customerId}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().points as {
    available: number;
    pending: number;
    lifetimeEarned: number;
    debt: number;
    expiringSoon: Array<{ points: number; expiresAt: string }>;
  };
}

export async function ledger(t: TestApp, shop: Shop, customerId: string) {
  const res = await call(t, shop, 'GET', `/v1/customers/${customerId}/ledger`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data as Array<{
    id: string;
    points: number;
    kind: string;
    balanceAfter: number;
    cause: Record<string, unknown>;
    expiresAt: string | null;
    availableAt: string | null;
  }>;
}

/** Saves a draft with these rules and settings and publishes it. */
export async function publish(t: TestApp, shop: Shop, programme: object): Promise<void> {
  const draft = await call(t, shop, 'PUT', '/v1/programme/draft', programme);
  expect(draft.statusCode, draft.body).toBe(200);
  const live = await call(t, shop, 'POST', '/v1/programme/draft/publish');
  expect(live.statusCode, live.body).toBe(200);
}

/** The ledger's own invariants, read straight from the tables. */
export async function checkLedgerInvariants(t: Pick<TestApp, 'db'>, shopId: string): Promise<void> {
  const rows = await t.db
    .selectFrom('point_accounts as a')
    .select((eb) => [
      'a.customer_id',
      'a.balance',
      'a.debt',
      eb
        .selectFrom('point_entries as e')
        .select((e) => e.fn.coalesce(e.fn.sum<number>('e.points'), e.val(0)).as('s'))
        .whereRef('e.shop_id', '=', 'a.shop_id')
        .whereRef('e.customer_id', '=', 'a.customer_id')
        .as('entries'),
      eb
        .selectFrom('point_lots as l')
        .select((e) => e.fn.coalesce(e.fn.sum<number>('l.remaining'), e.val(0)).as('s'))
        .whereRef('l.shop_id', '=', 'a.shop_id')
        .whereRef('l.customer_id', '=', 'a.customer_id')
        .as('lots'),
    ])
    .where('a.shop_id', '=', shopId)
    .execute();
  for (const row of rows) {
    expect(Number(row.entries), `entries of ${row.customer_id}`).toBe(row.balance);
    expect(Number(row.lots) - row.debt, `lots of ${row.customer_id}`).toBe(row.balance);
  }
  const negative = await t.db
    .selectFrom('point_lots')
    .select('entry_id')
    .where('shop_id', '=', shopId)
    .where('remaining', '<', 0)
    .execute();
  expect(negative).toEqual([]);
}
