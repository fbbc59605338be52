import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  createTestShop,
  postEvent,
  expectProblem,
  shopifyHeaders,
  type TestApp,
} from '../support/app.ts';

// Audit H1, beyond consents: event times feed the per-field times that decide which customer
// data (accepts marketing included) is newest, so a time in the future froze them for good.
type Shop = Awaited<ReturnType<typeof createTestShop>>;
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function shopifyCustomerUpdate(
  shop: Shop,
  webhookId: string,
  updatedAt: string,
  subscribed: boolean,
) {
  const body = JSON.stringify({
    id: 7001,
    admin_graphql_api_id: 'gid://shopify/Customer/7001',
    email: 'ewa@example.com',
    updated_at: updatedAt,
    email_marketing_consent: { state: subscribed ? 'subscribed' : 'unsubscribed' },
  });
  return t.app.inject({
    method: 'POST',
    url: `/v1/webhooks/shopify/${shop.id}`,
    headers: shopifyHeaders(shop.webhookSecret, body, 'customers/update', webhookId),
    payload: body,
  });
}

describe('an event dated in the future', () => {
  it('is refused with a 400 naming each time that lies ahead, and nothing is stored', async () => {
    const shop = await createTestShop(t);

    const res = await postEvent(t, shop, {
      type: 'order.paid',
      id: 'o-9999',
      occurredAt: '9999-12-31T23:59:59Z',
      data: {
        id: 'o-9999',
        customer: { id: 'ewa', birthday: '2999-01-01' },
        currency: 'PLN',
        total: 1000,
        createdAt: '9999-12-31T23:59:59Z',
      },
    });

    expectProblem(res, 400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'occurredAt',
      'data.createdAt',
      'data.customer.birthday',
    ]);
    const stored = await t.db
      .selectFrom('inbound_events')
      .select('id')
      .where('shop_id', '=', shop.id)
      .execute();
    expect(stored).toEqual([]);
  });

  it('is accepted up to five minutes ahead, for clocks that run a little fast', async () => {
    const shop = await createTestShop(t);
    const soon = new Date(Date.now() + 4 * 60_000).toISOString();

    const res = await postEvent(t, shop, {
      type: 'customer.updated',
      occurredAt: soon,
      data: { id: 'ewa' },
    });

    expect(res.statusCode, res.body).toBe(202);
  });

  it('with a birthday that has not happened yet is refused', async () => {
    const shop = await createTestShop(t);

    const res = await postEvent(t, shop, {
      type: 'customer.created',
      data: { id: 'ewa', birthday: '2999-01-01' },
    });

    expectProblem(res, 400);
    expect(res.json().errors).toEqual([{ path: 'data.birthday', message: expect.any(String) }]);
  });

  it('from a platform counts from its receipt, so a later update still withdraws marketing', async () => {
    const shop = await createTestShop(t);
    expect(
      (await shopifyCustomerUpdate(shop, 'wh-1', '9999-12-31T23:59:59Z', true)).statusCode,
    ).toBe(200);
    await t.processor.drain();

    const later = new Date(Date.now() + 1000).toISOString();
    expect((await shopifyCustomerUpdate(shop, 'wh-2', later, false)).statusCode).toBe(200);
    await t.processor.drain();

    const customer = await t.db
      .selectFrom('customers')
      .select(['accepts_email_marketing', 'field_times'])
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', '7001')
      .executeTakeFirstOrThrow();
    expect(customer.accepts_email_marketing).toBe(false);
    expect(Object.values(customer.field_times).every((at) => at < '9999')).toBe(true);
  });
});

describe('migration 0021', () => {
  // The migration compares with the database's now(), which a faked test clock is apart from.
  it.skipIf(process.env.FAKETIME !== undefined)(
    'moves consent, customer and order times stored in the future back to now',
    async () => {
      const shop = await createTestShop(t);
      const future = new Date('9999-12-31T23:59:59Z');
      const past = '2026-01-02T03:04:05.000Z';
      await t.db
        .insertInto('customers')
        .values({
          shop_id: shop.id,
          id: 'cus_future',
          external_id: 'future',
          accepts_email_marketing: true,
          field_times: JSON.stringify({ acceptsEmailMarketing: future.toISOString(), email: past }),
          source_updated_at: future,
        })
        .execute();
      await t.db
        .insertInto('consents')
        .values({
          shop_id: shop.id,
          customer_id: 'cus_future',
          channel: 'email',
          purpose: 'marketing',
          granted: true,
          changed_at: future,
          event_id: 'cns_future',
        })
        .execute();
      await t.db
        .insertInto('orders')
        .values({
          shop_id: shop.id,
          id: 'ord_future',
          external_id: 'future',
          currency: 'PLN',
          total: 100,
          placed_at: new Date(past),
          source_updated_at: future,
        })
        .execute();

      const before = new Date();
      const migration = fileURLToPath(
        new URL('../../src/db/migrations/0021_future_times_back_to_now.sql', import.meta.url),
      );
      await t.pool.query(readFileSync(migration, 'utf8'));
      const after = new Date();

      const customer = await t.db
        .selectFrom('customers')
        .select(['field_times', 'source_updated_at'])
        .where('id', '=', 'cus_future')
        .executeTakeFirstOrThrow();
      const moved = new Date(customer.field_times.acceptsEmailMarketing!);
      expect(moved.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
      expect(moved.getTime()).toBeLessThanOrEqual(after.getTime());
      expect(customer.field_times.acceptsEmailMarketing).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
      );
      expect(customer.field_times.email).toBe(past);
      expect(customer.source_updated_at!.getTime()).toBeLessThanOrEqual(after.getTime());
      const consent = await t.db
        .selectFrom('consents')
        .select('changed_at')
        .where('customer_id', '=', 'cus_future')
        .executeTakeFirstOrThrow();
      expect(consent.changed_at.getTime()).toBeLessThanOrEqual(after.getTime());
      const order = await t.db
        .selectFrom('orders')
        .select('source_updated_at')
        .where('id', '=', 'ord_future')
        .executeTakeFirstOrThrow();
      expect(order.source_updated_at!.getTime()).toBeLessThanOrEqual(after.getTime());
    },
  );
});
