import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import {
  createTestApp,
  createTestShop,
  shopifyHeaders,
  wooHeaders,
  type TestApp,
} from '../../support/app.ts';

// WooCommerce's delivery id is wp_hash(webhook id . time()): one-second resolution, so two
// different deliveries of one webhook in the same second carry the same id (INTEGRATIONS.md).

type Shop = Awaited<ReturnType<typeof createTestShop>>;
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function deliver(shop: Shop, body: string, topic: string, deliveryId: string) {
  return t.app.inject({
    method: 'POST',
    url: `/v1/webhooks/woocommerce/${shop.id}`,
    headers: wooHeaders(shop.webhookSecret, body, topic, deliveryId),
    payload: body,
  });
}

function order(id: number, modified: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id,
    status: 'processing',
    currency: 'PLN',
    date_created_gmt: '2026-02-10T09:00:00',
    date_modified_gmt: modified,
    date_paid_gmt: '2026-02-10T09:00:00',
    total: '120.00',
    shipping_total: '0.00',
    total_tax: '0.00',
    discount_total: '0.00',
    customer_id: 0,
    billing: { email: 'ala@example.pl', first_name: 'Ala' },
    line_items: [{ id: 1, product_id: 93, quantity: 1, subtotal: '120.00', total: '120.00' }],
    coupon_lines: [],
    refunds: [],
    ...extra,
  });
}

async function count(table: 'inbound_events' | 'orders' | 'refunds', shopId: string) {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE shop_id = ${shopId}`.execute(t.db);
  return rows[0]!.n;
}

describe('WooCommerce deliveries sharing one delivery id', () => {
  it('applies two different bodies under one delivery id: the second update is not lost', async () => {
    const shop = await createTestShop(t);
    const paid = order(5001, '2026-02-10T09:00:00');
    const refunded = order(5001, '2026-02-10T09:00:00', {
      refunds: [{ id: 6001, reason: 'uszkodzony', total: '-20.00' }],
    });
    const first = await deliver(shop, paid, 'order.updated', 'same-second');
    const second = await deliver(shop, refunded, 'order.updated', 'same-second');
    expect(first.json()).toMatchObject({ status: 'accepted' });
    expect(second.json()).toMatchObject({ status: 'accepted' });
    expect(second.json().eventId).not.toBe(first.json().eventId);

    await t.processor.drain();
    expect(await count('inbound_events', shop.id)).toBe(2);
    expect(await count('orders', shop.id)).toBe(1);
    const refunds = await t.db
      .selectFrom('refunds')
      .select(['external_id', 'amount'])
      .where('shop_id', '=', shop.id)
      .execute();
    expect(refunds).toEqual([{ external_id: '6001', amount: 2000 }]);
  });

  it('applies two orders created in the same second by one webhook', async () => {
    const shop = await createTestShop(t);
    await deliver(shop, order(5101, '2026-02-10T09:00:00'), 'order.created', 'd-5101');
    await deliver(shop, order(5102, '2026-02-10T09:00:00'), 'order.created', 'd-5101');
    await t.processor.drain();
    const orders = await t.db
      .selectFrom('orders')
      .select('external_id')
      .where('shop_id', '=', shop.id)
      .orderBy('external_id')
      .execute();
    expect(orders.map((o) => o.external_id)).toEqual(['5101', '5102']);
  });

  it('applies the same body sent twice under one delivery id once', async () => {
    const shop = await createTestShop(t);
    const body = order(5201, '2026-02-10T09:00:00', {
      refunds: [{ id: 6201, reason: '', total: '-10.00' }],
    });
    const first = await deliver(shop, body, 'order.updated', 'resent');
    const again = await deliver(shop, body, 'order.updated', 'resent');
    expect(first.json()).toMatchObject({ status: 'accepted' });
    expect(again.json()).toMatchObject({ status: 'duplicate', eventId: first.json().eventId });
    await t.processor.drain();
    expect(await count('inbound_events', shop.id)).toBe(1);
    expect(await count('orders', shop.id)).toBe(1);
    expect(await count('refunds', shop.id)).toBe(1);
  });

  it('keeps Shopify deduping on its webhook id alone', async () => {
    const shop = await createTestShop(t);
    const body = (total: string) =>
      JSON.stringify({
        id: 990001,
        admin_graphql_api_id: 'gid://shopify/Order/990001',
        currency: 'PLN',
        total_price: total,
        created_at: '2026-02-10T10:00:00+01:00',
        updated_at: '2026-02-10T10:00:00+01:00',
        financial_status: 'paid',
        customer: null,
      });
    const send = (b: string) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/webhooks/shopify/${shop.id}`,
        headers: shopifyHeaders(shop.webhookSecret, b, 'orders/paid', 'wh-same'),
        payload: b,
      });
    expect((await send(body('10.00'))).json()).toMatchObject({ status: 'accepted' });
    expect((await send(body('11.00'))).json()).toMatchObject({ status: 'duplicate' });
  });
});
