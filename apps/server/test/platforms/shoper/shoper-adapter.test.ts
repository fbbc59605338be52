import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  createTestShop,
  currentWebhookSecret,
  type TestApp,
} from '../../support/app.ts';
import { shoperSignature } from '../../../src/platforms/shoper/signature.ts';
import { commandsFromShoper, shoperEnvelope } from '../../../src/ingest/shoper.ts';
import { InboxWriter } from '../../../src/ingest/inbox-writer.ts';
import { parseJsonLossless } from '../../../src/shared/json.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const WEBHOOK_ID = '6';

function shoperHeaders(secret: string, body: string, topic: string, webhookId = WEBHOOK_ID) {
  return {
    'content-type': 'application/json',
    'x-webhook-id': webhookId,
    'x-webhook-name': topic,
    'x-webhook-sha1': shoperSignature(webhookId, secret, Buffer.from(body)),
    'x-shop-domain': 'sklep.shoparena.pl',
    'x-shop-license': 'abc123',
  };
}

/** An order as Shoper's order webhooks send it (the REST order plus its lines). */
function order(over: Record<string, unknown> = {}) {
  return {
    order_id: '1042',
    user_id: '77',
    date: '2025-10-26 02:30:00',
    status_date: '2025-10-26 02:45:00',
    status_id: '2',
    sum: '149.95',
    paid: '0.00',
    shipping_cost: '12.00',
    email: 'anna@example.pl',
    promo_code: '',
    is_paid: false,
    currency_id: '1',
    billing_address: { firstname: 'Anna', lastname: 'Nowak', phone: '600100200' },
    delivery_address: {
      firstname: 'Anna',
      lastname: 'Nowak',
      street1: 'Myśliwska 98',
      street2: '',
      city: 'Kraków',
      postcode: '30-718',
      country_code: 'PL',
    },
    products: [
      {
        id: '8',
        order_id: '1042',
        product_id: '13',
        stock_id: '21',
        price: '68.975',
        discount_perc: '0.0000',
        quantity: '2',
        name: 'Spódnica',
        code: '101',
      },
    ],
    ...over,
  };
}

async function post(shopId: string, secret: string, topic: string, body: string, headers = {}) {
  return t.app.inject({
    method: 'POST',
    url: `/v1/webhooks/shoper/${shopId}`,
    headers: { ...shoperHeaders(secret, body, topic), ...headers },
    payload: body,
  });
}

async function eventsOf(shopId: string) {
  return t.db.selectFrom('inbound_events').selectAll().where('shop_id', '=', shopId).execute();
}

describe('Shoper webhooks', () => {
  it('stores a delivery signed with the shop secret, once, and turns it into the order', async () => {
    const shop = await createTestShop(t, 'Sklep Shoper');
    const secret = await currentWebhookSecret(t, shop.id);
    const body = JSON.stringify(order());
    const res = await post(shop.id, secret, 'order.create', body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'accepted' });
    // Shoper retries with the same bytes: the same delivery
    const again = await post(shop.id, secret, 'order.create', body);
    expect(again.json()).toMatchObject({ status: 'duplicate' });
    // a different event with the same body is another delivery
    const paidRes = await post(shop.id, secret, 'order.edit', body);
    expect(paidRes.json()).toMatchObject({ status: 'accepted' });
    expect(await eventsOf(shop.id)).toHaveLength(2);

    await t.processor.drain();
    const row = await t.db
      .selectFrom('orders')
      .selectAll()
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', '1042')
      .executeTakeFirstOrThrow();
    // 02:30 on the night clocks go back in Warsaw: the first 02:30 (CEST, +02:00)
    expect(row.placed_at).toEqual(new Date('2025-10-26T00:30:00Z'));
    expect(row.total).toBe(14995);
    expect(row.currency).toBe('PLN');
    expect(row.paid_at).toBeNull();
    const customer = await t.db
      .selectFrom('customers')
      .select(['external_id', 'email'])
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(customer).toEqual({ external_id: '77', email: 'anna@example.pl' });
  });

  it('answers 401 and stores nothing for a bad or missing signature', async () => {
    const shop = await createTestShop(t, 'Sklep Shoper 2');
    const secret = await currentWebhookSecret(t, shop.id);
    const body = JSON.stringify(order());
    const wrongKey = await post(shop.id, `${secret}x`, 'order.create', body);
    expect(wrongKey.statusCode).toBe(401);
    const otherWebhook = await post(shop.id, secret, 'order.create', body, { 'x-webhook-id': '7' });
    expect(otherWebhook.statusCode).toBe(401);
    const none = await t.app.inject({
      method: 'POST',
      url: `/v1/webhooks/shoper/${shop.id}`,
      headers: { 'content-type': 'application/json', 'x-webhook-name': 'order.create' },
      payload: body,
    });
    expect(none.statusCode).toBe(401);
    const tampered = await post(shop.id, secret, 'order.create', body);
    expect(tampered.statusCode).toBe(200);
    expect(await eventsOf(shop.id)).toHaveLength(1);
  });

  it('refuses an XML webhook with 415 and stores nothing', async () => {
    const shop = await createTestShop(t, 'Sklep Shoper XML');
    const secret = await currentWebhookSecret(t, shop.id);
    const xml = '<?xml version="1.0"?><order><order_id>1</order_id></order>';
    const res = await post(shop.id, secret, 'order.create', xml, {
      'content-type': 'application/xml',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().detail).toContain('JSON');
    expect(await eventsOf(shop.id)).toHaveLength(0);
  });

  it('reads a status change to a returned status as a whole refund, once', async () => {
    const shop = await createTestShop(t, 'Sklep Shoper zwroty');
    const secret = await currentWebhookSecret(t, shop.id);
    await post(
      shop.id,
      secret,
      'order.paid',
      JSON.stringify(order({ is_paid: true, paid: '149.95' })),
    );
    const returned = order({
      is_paid: true,
      paid: '149.95',
      status_id: '11',
      status_date: '2025-11-03 12:00:00',
      status: { status_id: '11', type: '4', translations: { pl_PL: { name: 'zwrócone' } } },
    });
    await post(shop.id, secret, 'order.status', JSON.stringify(returned));
    await post(shop.id, secret, 'order.edit', JSON.stringify(returned));
    await t.processor.drain();
    const row = await t.db
      .selectFrom('orders')
      .select(['paid_at', 'refunded_amount', 'cancelled_at'])
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(row.refunded_amount).toBe(14995);
    expect(row.paid_at).not.toBeNull();
    expect(row.cancelled_at).toBeNull();
  });
});

describe('the Shoper adapter', () => {
  const context = {
    timezone: 'Europe/Warsaw',
    currency: 'PLN',
    statuses: { paid: ['7'], cancelled: ['8'], refunded: ['11'] },
  };
  const read = (
    topic: string,
    data: unknown,
    ctx: typeof context | Record<string, unknown> = context,
  ) =>
    commandsFromShoper(
      topic,
      parseJsonLossless(shoperEnvelope(ctx as typeof context, JSON.stringify(data))),
      new Date('2026-01-01T00:00:00Z'),
    );

  it('reads zone-less times in the zone stored with the record, across both DST changes', () => {
    const spring = read(
      'order.edit',
      order({ date: '2025-03-30 01:59:00', status_date: '2025-03-30 03:01:00' }),
    );
    const first = spring[0];
    const o = first?.kind === 'order' ? first.order : null;
    expect(o!.placedAt).toEqual(new Date('2025-03-30T00:59:00Z'));
    expect(o!.asOf).toEqual(new Date('2025-03-30T01:01:00Z'));
    const elsewhere = read(
      'order.edit',
      order({ date: '2025-07-01 12:00:00', status_date: '2025-07-01 12:00:00' }),
      {
        ...context,
        timezone: 'America/New_York',
      },
    );
    const e = elsewhere[0];
    expect(e?.kind === 'order' && e.order.placedAt).toEqual(new Date('2025-07-01T16:00:00Z'));
  });

  it('maps status ids per shop: paid, cancelled, refunded; ids stay strings; lines at their price', () => {
    const paid = read('order.status', order({ status_id: '7' }));
    expect(paid[0]).toMatchObject({
      kind: 'order',
      order: {
        externalId: '1042',
        paidAt: expect.any(Date),
        cancelledAt: null,
        shipping: 1200,
        lines: [{ productId: '13', variantId: '21', quantity: 2, unitPrice: 6898 }],
        shippingAddress: {
          line1: 'Myśliwska 98',
          city: 'Kraków',
          postalCode: '30-718',
          country: 'PL',
        },
      },
    });
    const cancelled = read('order.status', order({ status_id: '8' }));
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]).toMatchObject({ order: { cancelledAt: expect.any(Date), paidAt: null } });
    const refunded = read('order.status', order({ status_id: '11', is_paid: '1' }));
    expect(refunded[1]).toMatchObject({
      kind: 'refund',
      refund: { orderExternalId: '1042', externalId: 'status-refund:1042', amount: 14995 },
    });
    const guest = read('order.create', order({ user_id: null }));
    expect(guest[0]).toMatchObject({ order: { customer: null, email: 'anna@example.pl' } });
  });

  it('reads customers with their newsletter consent, and ignores deletions', () => {
    const [c] = read('client.edit', {
      user_id: '77',
      email: 'anna@example.pl',
      firstname: 'Anna',
      lastname: 'Nowak',
      newsletter: '1',
      date_add: '2025-01-01 10:00:00',
    });
    expect(c).toMatchObject({
      kind: 'customer',
      customer: { externalId: '77', acceptsEmailMarketing: true, asOfIsReceipt: true },
    });
    expect(read('order.delete', { order_id: '1' })[0]!.kind).toBe('ignore');
  });

  it('parks a record that lacks what it needs, naming the field', () => {
    expect(() => read('order.create', order({ date: 'wczoraj' }))).toThrow(/order\.date/);
    expect(() => read('order.create', order(), { currency: 'PLN', statuses: null })).toThrow(
      /timezone/,
    );
  });

  it('applies pulled records stored as the runtime stores them: a newer version wins, the same once', async () => {
    const shop = await createTestShop(t, 'Sklep Shoper pull');
    const inbox = new InboxWriter(t.db);
    const write = (key: string, data: unknown) =>
      inbox.write({
        shopId: shop.id,
        source: 'shoper',
        topic: 'order.edit',
        deliveryId: `pull:${key}`,
        idempotencyKey: null,
        requestHash: null,
        verified: true,
        headers: {},
        body: Buffer.from(shoperEnvelope(context, JSON.stringify(data))),
        occurredAt: null,
      });
    await write('order:1042@a', order());
    const dup = await write('order:1042@a', order());
    expect(dup.duplicate).toBe(true);
    await write('order:1042@b', order({ status_id: '8', status_date: '2025-10-27 09:00:00' }));
    await t.processor.drain();
    const row = await t.db
      .selectFrom('orders')
      .select(['cancelled_at'])
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(row.cancelled_at).toEqual(new Date('2025-10-27T08:00:00Z'));
  });
});
