import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsForEvent } from '../../../src/ingest/commands-for-event.ts';
import { PayloadError } from '../../../src/ingest/facts.ts';
import { gidTail } from '../../../src/ingest/shopify-graphql.ts';
import { newId } from '../../../src/shared/ids.ts';
import { createTestApp, createTestShop, type TestApp } from '../../support/app.ts';

/**
 * The same Shopify order as a webhook delivers it (REST shape) and as the GraphQL pull reads it:
 * Lojal must see one order.
 */
const ORDER_ID = '8209829119461544123'; // past 2^53
const CUSTOMER_ID = '7309829119461544777';
const REFUND_ID = '6209829119461544555';

const webhookOrder = {
  id: Number(ORDER_ID), // what a lossy JSON writer would do; the gid keeps the digits
  admin_graphql_api_id: `gid://shopify/Order/${ORDER_ID}`,
  email: 'ala@example.pl',
  customer_locale: 'pl',
  created_at: '2026-02-20T11:00:00+01:00',
  updated_at: '2026-02-21T09:30:00+01:00',
  processed_at: '2026-02-20T11:00:05+01:00',
  cancelled_at: null,
  currency: 'PLN',
  financial_status: 'partially_refunded',
  fulfillment_status: null,
  total_price: '149.90',
  subtotal_price: '139.90',
  total_tax: '28.03',
  total_discounts: '10.00',
  total_shipping_price_set: { shop_money: { amount: '10.00', currency_code: 'PLN' } },
  discount_codes: [{ code: 'KAWA-AB12', amount: '10.00', type: 'fixed_amount' }],
  customer: {
    id: Number(CUSTOMER_ID),
    admin_graphql_api_id: `gid://shopify/Customer/${CUSTOMER_ID}`,
    email: 'ala@example.pl',
    phone: '+48600100200',
    first_name: 'Ala',
    last_name: 'Nowak',
    updated_at: '2026-02-20T11:00:00+01:00',
    tags: 'vip, kawa',
    email_marketing_consent: { state: 'subscribed' },
    sms_marketing_consent: { state: 'not_subscribed' },
  },
  line_items: [
    {
      id: 11,
      admin_graphql_api_id: 'gid://shopify/LineItem/9100000000000011',
      product_id: 7001,
      variant_id: 8001,
      sku: 'KAWA-1',
      title: 'Kawa Etiopia',
      quantity: 2,
      price: '59.95',
    },
    {
      id: 12,
      admin_graphql_api_id: 'gid://shopify/LineItem/9100000000000012',
      product_id: 7002,
      variant_id: 8002,
      sku: null,
      title: 'Młynek',
      quantity: 1,
      price: '30.00',
    },
  ],
  refunds: [
    {
      id: Number(REFUND_ID),
      admin_graphql_api_id: `gid://shopify/Refund/${REFUND_ID}`,
      order_id: Number(ORDER_ID),
      created_at: '2026-02-21T09:30:00+01:00',
      processed_at: '2026-02-21T09:30:00+01:00',
      note: 'uszkodzony młynek',
      transactions: [{ kind: 'refund', status: 'success', amount: '30.00', currency: 'PLN' }],
    },
  ],
};

const money = (amount: string) => ({ shopMoney: { amount, currencyCode: 'PLN' } });
const graphqlOrder = {
  id: `gid://shopify/Order/${ORDER_ID}`,
  name: '#1001',
  email: 'ala@example.pl',
  customerLocale: 'pl-PL',
  createdAt: '2026-02-20T10:00:00Z',
  updatedAt: '2026-02-21T08:30:00Z',
  processedAt: '2026-02-20T10:00:05Z',
  cancelledAt: null,
  displayFinancialStatus: 'PARTIALLY_REFUNDED',
  displayFulfillmentStatus: 'UNFULFILLED',
  currencyCode: 'PLN',
  discountCodes: ['KAWA-AB12'],
  totalPriceSet: money('149.90'),
  subtotalPriceSet: money('139.90'),
  totalShippingPriceSet: money('10.00'),
  totalTaxSet: money('28.03'),
  totalDiscountsSet: money('10.00'),
  customer: {
    id: `gid://shopify/Customer/${CUSTOMER_ID}`,
    email: 'ala@example.pl',
    phone: '+48600100200',
    firstName: 'Ala',
    lastName: 'Nowak',
    updatedAt: '2026-02-20T10:00:00Z',
    tags: ['vip', 'kawa'],
    emailMarketingConsent: { marketingState: 'SUBSCRIBED' },
    smsMarketingConsent: { marketingState: 'NOT_SUBSCRIBED' },
  },
  lineItems: {
    pageInfo: { hasNextPage: false, endCursor: null },
    nodes: [
      {
        id: 'gid://shopify/LineItem/9100000000000011',
        sku: 'KAWA-1',
        title: 'Kawa Etiopia',
        name: 'Kawa Etiopia',
        quantity: 2,
        product: { id: 'gid://shopify/Product/7001' },
        variant: { id: 'gid://shopify/ProductVariant/8001' },
        originalUnitPriceSet: money('59.95'),
      },
      {
        id: 'gid://shopify/LineItem/9100000000000012',
        sku: null,
        title: 'Młynek',
        name: 'Młynek',
        quantity: 1,
        product: { id: 'gid://shopify/Product/7002' },
        variant: { id: 'gid://shopify/ProductVariant/8002' },
        originalUnitPriceSet: money('30.00'),
      },
    ],
  },
  refunds: [
    {
      id: `gid://shopify/Refund/${REFUND_ID}`,
      createdAt: '2026-02-21T08:30:00Z',
      note: 'uszkodzony młynek',
      totalRefundedSet: money('30.00'),
    },
  ],
};

// The webhook body as Shopify sends it: the ids as long digit runs (JSON.stringify of a Number
// would have rounded them).
const webhookBody = JSON.stringify(webhookOrder)
  .replace(`"id":${Number(ORDER_ID)}`, `"id":${ORDER_ID}`)
  .replace(`"order_id":${Number(ORDER_ID)}`, `"order_id":${ORDER_ID}`);

const NOW = new Date('2026-03-02T10:00:00Z');
const event = (topic: string, body: string) => ({
  shop_id: 'shp_x',
  id: 'evt_x',
  source: 'shopify' as const,
  topic,
  body: Buffer.from(body),
  received_at: NOW,
});

describe('Shopify GraphQL adapter', () => {
  it('gives exactly the commands of the webhook for the same order', () => {
    const fromWebhook = commandsForEvent(event('orders/updated', webhookBody), NOW);
    const fromPull = commandsForEvent(event('graphql/order', JSON.stringify(graphqlOrder)), NOW);
    expect(fromPull).toEqual(fromWebhook);
    expect(fromPull.map((c) => c.kind)).toEqual(['order', 'refund']);
    const order = fromPull[0]!.kind === 'order' ? fromPull[0]!.order : null;
    expect(order).toMatchObject({
      externalId: ORDER_ID,
      total: 14990,
      shipping: 1000,
      discountCodes: ['KAWA-AB12'],
      customerLocale: 'pl',
      paidAt: new Date('2026-02-20T10:00:05Z'),
      customer: { externalId: CUSTOMER_ID, acceptsEmailMarketing: true, tags: ['vip', 'kawa'] },
    });
    expect(order!.lines.map((l) => [l.productId, l.variantId, l.unitPrice])).toEqual([
      ['7001', '8001', 5995],
      ['7002', '8002', 3000],
    ]);
  });

  it('reads a pulled customer as the customers/update webhook does', () => {
    const [command] = commandsForEvent(
      event('graphql/customer', JSON.stringify(graphqlOrder.customer)),
      NOW,
    );
    expect(command).toEqual({
      kind: 'customer',
      customer: {
        externalId: CUSTOMER_ID,
        email: 'ala@example.pl',
        phone: '+48600100200',
        firstName: 'Ala',
        lastName: 'Nowak',
        acceptsEmailMarketing: true,
        acceptsSmsMarketing: false,
        tags: ['vip', 'kawa'],
        asOf: new Date('2026-02-20T10:00:00Z'),
      },
    });
  });

  it('parks a record without what it needs, naming the field', () => {
    const { totalPriceSet: _dropped, ...noTotal } = graphqlOrder;
    expect(() => commandsForEvent(event('graphql/order', JSON.stringify(noTotal)), NOW)).toThrow(
      /totalPriceSet/,
    );
    expect(() => gidTail('gid://shopify/Order/', 'order.id')).toThrow(PayloadError);
    expect(gidTail('gid://shopify/Order/820982911946154508', 'order.id')).toBe(
      '820982911946154508',
    );
  });
});

describe('Shopify: pulled and webhooked orders in Lojal', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function store(shopId: string, topic: string, deliveryId: string, body: string) {
    await t.db
      .insertInto('inbound_events')
      .values({
        shop_id: shopId,
        id: newId('evt'),
        source: 'shopify',
        topic,
        delivery_id: deliveryId,
        idempotency_key: null,
        request_hash: null,
        verified: true,
        headers: '{}',
        body: Buffer.from(body),
        occurred_at: null,
      })
      .execute();
    await t.processor.drain();
  }

  async function lojalView(shopId: string) {
    const orders = await t.db
      .selectFrom('orders')
      .select(['external_id', 'total'])
      .where('shop_id', '=', shopId)
      .execute();
    const refunds = await t.db
      .selectFrom('refunds')
      .select(['external_id', 'amount'])
      .where('shop_id', '=', shopId)
      .execute();
    const customers = await t.db
      .selectFrom('customers')
      .select(['external_id', 'email', 'accepts_email_marketing'])
      .where('shop_id', '=', shopId)
      .execute();
    const events = await t.db
      .selectFrom('inbound_events')
      .select(['topic', 'status', 'reason'])
      .where('shop_id', '=', shopId)
      .execute();
    return { orders, refunds, customers, events };
  }

  for (const order of ['webhook first', 'pull first'] as const) {
    it(`are one order, one refund, one customer (${order})`, async () => {
      const shop = await createTestShop(t, `Shopify ${order}`);
      const webhook = () => store(shop.id, 'orders/updated', 'wh-1', webhookBody);
      const pulled = () =>
        store(
          shop.id,
          'graphql/order',
          `pull:order:${ORDER_ID}@2026-02-21T08:30:00Z`,
          JSON.stringify(graphqlOrder),
        );
      if (order === 'webhook first') {
        await webhook();
        await pulled();
      } else {
        await pulled();
        await webhook();
      }
      const view = await lojalView(shop.id);
      expect(view.events.every((e) => e.status === 'processed')).toBe(true);
      expect(view.orders).toHaveLength(1);
      expect(view.orders[0]).toMatchObject({ external_id: ORDER_ID });
      expect(Number(view.orders[0]!.total)).toBe(14990);
      expect(view.refunds.map((r) => [r.external_id, Number(r.amount)])).toEqual([
        [REFUND_ID, 3000],
      ]);
      expect(view.customers).toEqual([
        { external_id: CUSTOMER_ID, email: 'ala@example.pl', accepts_email_marketing: true },
      ]);
    });
  }
});
