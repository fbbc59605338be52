import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandsFromShopify } from '../../src/ingest/shopify.ts';
import { PayloadError, type Command, type OrderFacts } from '../../src/ingest/facts.ts';
import { parseJsonLossless } from '../../src/shared/json.ts';

const SAMPLES = fileURLToPath(new URL('../fixtures/webhooks/shopify', import.meta.url));
const receivedAt = new Date('2026-01-15T12:00:00Z');

/** A fresh lossless parse of a sample, so a test may change it freely. */
function sample(name: string): Record<string, unknown> {
  return parseJsonLossless(readFileSync(`${SAMPLES}/${name}`, 'utf8')) as Record<string, unknown>;
}

function onlyOrder(commands: Command[]): OrderFacts {
  const orders = commands.filter((c) => c.kind === 'order');
  expect(orders).toHaveLength(1);
  return (orders[0] as Extract<Command, { kind: 'order' }>).order;
}

describe('Shopify orders', () => {
  it('takes the order id losslessly from admin_graphql_api_id, not the damaged numeric id', () => {
    // given the sample order, whose numeric id 8209829119461544 lost digits in an earlier tool
    const payload = sample('orders-create.json');

    // when it arrives as orders/create
    const order = onlyOrder(commandsFromShopify('orders/create', payload, receivedAt));

    // then the id is the exact number from the GraphQL id
    expect(order.externalId).toBe('820982911946154508');
  });

  it('reads every amount in integer minor units', () => {
    const order = onlyOrder(
      commandsFromShopify('orders/create', sample('orders-create.json'), receivedAt),
    );

    expect(order).toMatchObject({
      currency: 'USD',
      total: 40300,
      subtotal: 39300,
      // from total_shipping_price_set, not the sum of the two shipping lines
      shipping: 1000,
      tax: 0,
      discount: 500,
      discountCodes: [],
    });
  });

  it('maps line items with lossless ids, product and variant ids as strings, and unit prices', () => {
    const order = onlyOrder(
      commandsFromShopify('orders/create', sample('orders-create.json'), receivedAt),
    );

    expect(order.lines).toEqual([
      {
        // the numeric id ends …439040; the GraphQL id keeps the real …439020
        externalId: '866550311766439020',
        productId: '632910392',
        variantId: '808950810',
        sku: 'IPOD2008PINK',
        title: 'IPod Nano - 8GB',
        categoryIds: [],
        quantity: 1,
        unitPrice: 19900,
      },
      {
        externalId: '141249953214522974',
        productId: '632910392',
        variantId: '808950810',
        sku: 'IPOD2008PINK',
        title: 'IPod Nano - 8GB',
        categoryIds: [],
        quantity: 1,
        unitPrice: 19900,
      },
    ]);
  });

  it('reads the placing time with its offset, as a UTC instant', () => {
    const order = onlyOrder(
      commandsFromShopify('orders/create', sample('orders-create.json'), receivedAt),
    );

    expect(order.placedAt.toISOString()).toBe('2020-07-29T23:03:22.000Z');
    expect(order.asOf.toISOString()).toBe('2020-07-29T23:03:22.000Z');
  });

  it('marks the sample order cancelled and not paid, since it was voided', () => {
    // given the sample: cancelled_at set, financial_status "voided", fulfillment pending
    const payload = sample('orders-create.json');

    // when it arrives as orders/create
    const order = onlyOrder(commandsFromShopify('orders/create', payload, receivedAt));

    // then it is cancelled, unpaid and unfulfilled
    expect(order.cancelledAt?.toISOString()).toBe('2020-07-29T23:03:22.000Z');
    expect(order.paidAt).toBeNull();
    expect(order.fulfilledAt).toBeNull();
  });

  it('marks an order paid when the topic is orders/paid, whatever its financial status says', () => {
    // given the sample (financial_status "voided", processed_at null)
    const payload = sample('orders-create.json');

    // when it arrives as orders/paid
    const order = onlyOrder(commandsFromShopify('orders/paid', payload, receivedAt));

    // then it is paid as of its last update
    expect(order.paidAt?.toISOString()).toBe('2020-07-29T23:03:22.000Z');
  });

  it('marks an order paid from financial_status "paid", at processed_at', () => {
    const payload = sample('orders-create.json');
    payload.financial_status = 'paid';
    payload.processed_at = '2020-07-29T19:05:00-04:00';

    const order = onlyOrder(commandsFromShopify('orders/updated', payload, receivedAt));

    expect(order.paidAt?.toISOString()).toBe('2020-07-29T23:05:00.000Z');
  });

  it('marks an order fulfilled when its fulfillment_status is "fulfilled"', () => {
    const payload = sample('orders-create.json');
    payload.fulfillment_status = 'fulfilled';
    payload.updated_at = '2020-07-30T10:00:00Z';

    const order = onlyOrder(commandsFromShopify('orders/fulfilled', payload, receivedAt));

    expect(order.fulfilledAt?.toISOString()).toBe('2020-07-30T10:00:00.000Z');
  });

  it('attaches the buyer as customer facts, preferring the GraphQL id and the order time', () => {
    const order = onlyOrder(
      commandsFromShopify('orders/create', sample('orders-create.json'), receivedAt),
    );

    expect(order.email).toBe('jon@doe.ca');
    expect(order.customer).toEqual({
      externalId: '115310627314723954',
      email: 'john@test.com',
      phone: null,
      firstName: 'John',
      lastName: 'Smith',
      acceptsEmailMarketing: false,
      acceptsSmsMarketing: undefined,
      tags: [],
      // the customer's updated_at is null, so the order's time stands in
      asOf: order.asOf,
    });
  });

  it('treats an order without a customer as a guest order', () => {
    const payload = sample('orders-create.json');
    delete payload.customer;

    const order = onlyOrder(commandsFromShopify('orders/create', payload, receivedAt));

    expect(order.customer).toBeNull();
    expect(order.email).toBe('jon@doe.ca');
  });

  it('emits a refund command for each refund embedded in an order, in the order currency', () => {
    // given an order carrying one refund with a successful refund transaction
    const payload = sample('orders-create.json');
    payload.refunds = [
      {
        id: 1,
        admin_graphql_api_id: 'gid://shopify/Refund/929361463',
        note: 'Damaged',
        processed_at: '2020-07-31T10:00:00Z',
        refund_line_items: [],
        transactions: [{ kind: 'refund', status: 'success', amount: '12.50' }],
      },
    ];

    // when the order is updated
    const commands = commandsFromShopify('orders/updated', payload, receivedAt);

    // then the order comes first, then the refund against it
    expect(commands.map((c) => c.kind)).toEqual(['order', 'refund']);
    expect(commands[1]).toEqual({
      kind: 'refund',
      refund: {
        orderExternalId: '820982911946154508',
        externalId: '929361463',
        amount: 1250,
        currency: 'USD',
        reason: 'Damaged',
        refundedAt: new Date('2020-07-31T10:00:00Z'),
      },
    });
  });

  it('rejects an order without a currency with a PayloadError', () => {
    const payload = sample('orders-create.json');
    delete payload.currency;

    expect(() => commandsFromShopify('orders/create', payload, receivedAt)).toThrow(PayloadError);
    expect(() => commandsFromShopify('orders/create', payload, receivedAt)).toThrow(
      'order.currency is missing',
    );
  });

  it('rejects an order without a total price with a PayloadError', () => {
    const payload = sample('orders-create.json');
    delete payload.total_price;

    expect(() => commandsFromShopify('orders/create', payload, receivedAt)).toThrow(PayloadError);
  });

  it('rejects an order payload that is not an object with a PayloadError', () => {
    expect(() => commandsFromShopify('orders/create', [1, 2], receivedAt)).toThrow(PayloadError);
    expect(() => commandsFromShopify('orders/create', null, receivedAt)).toThrow(PayloadError);
  });
});

describe('Shopify refunds/create', () => {
  it('values a refund without transactions from its refund_line_items', () => {
    // given the sample refund: two lines of 199.00 with 0.00 tax, and no transactions
    const payload = sample('refunds-create.json');

    // when it arrives as refunds/create
    const commands = commandsFromShopify('refunds/create', payload, receivedAt);

    // then one refund of 398.00 USD, identified losslessly
    expect(commands).toEqual([
      {
        kind: 'refund',
        refund: {
          orderExternalId: '82098291194',
          externalId: '890088186047892319',
          amount: 39800,
          currency: 'USD',
          reason: 'Things were damaged',
          // neither processed_at nor created_at is set
          refundedAt: receivedAt,
          // the lines it refunds, so a bought gift card's line can be voided
          lineExternalIds: ['866550311766439020', '141249953214522974'],
        },
      },
    ]);
  });

  it('values a refund with successful refund transactions from those transactions alone', () => {
    const payload = sample('refunds-create.json');
    payload.processed_at = '2020-07-31T10:00:00-02:00';
    payload.transactions = [
      { kind: 'refund', status: 'success', amount: '150.00', currency: 'USD' },
      { kind: 'refund', status: 'success', amount: 0.5, currency: 'USD' },
      { kind: 'refund', status: 'failure', amount: '999.00', currency: 'USD' },
      { kind: 'sale', status: 'success', amount: '403.00', currency: 'USD' },
    ];

    const [command] = commandsFromShopify('refunds/create', payload, receivedAt);

    expect(command).toMatchObject({
      kind: 'refund',
      refund: { amount: 15050, currency: 'USD', refundedAt: new Date('2020-07-31T12:00:00Z') },
    });
  });

  it('rejects a refund without an order id with a PayloadError', () => {
    const payload = sample('refunds-create.json');
    delete payload.order_id;

    expect(() => commandsFromShopify('refunds/create', payload, receivedAt)).toThrow(PayloadError);
  });

  it('rejects a refund whose currency cannot be told with a PayloadError', () => {
    const payload = sample('refunds-create.json');
    payload.refund_line_items = [];

    expect(() => commandsFromShopify('refunds/create', payload, receivedAt)).toThrow(PayloadError);
  });
});

describe('Shopify customers', () => {
  it('maps customers/create to customer facts: email, phone, names, marketing consent', () => {
    // given the sample customer (accepts_marketing true, updated_at null)
    const payload = sample('customers-create.json');

    // when it arrives as customers/create
    const commands = commandsFromShopify('customers/create', payload, receivedAt);

    // then one customer command, the delivery time standing in for the missing updated_at
    expect(commands).toEqual([
      {
        kind: 'customer',
        customer: {
          externalId: '706405506930370084',
          email: 'bob@biller.com',
          phone: '923000000000',
          firstName: 'Bob',
          lastName: 'Biller',
          acceptsEmailMarketing: true,
          acceptsSmsMarketing: undefined,
          tags: [],
          asOf: receivedAt,
        },
      },
    ]);
  });

  it('keeps an 18-digit customer id exact even without admin_graphql_api_id', () => {
    const payload = sample('customers-create.json');
    delete payload.admin_graphql_api_id;

    const [command] = commandsFromShopify('customers/update', payload, receivedAt);

    expect(command).toMatchObject({ customer: { externalId: '706405506930370084' } });
  });

  it('prefers the newer marketing consent objects and splits tags', () => {
    const payload = sample('customers-create.json');
    payload.updated_at = '2021-02-03T04:05:06Z';
    payload.tags = 'vip, kawa ,';
    payload.email_marketing_consent = { state: 'unsubscribed' };
    payload.sms_marketing_consent = { state: 'subscribed' };

    const [command] = commandsFromShopify('customers/update', payload, receivedAt);

    expect(command).toMatchObject({
      kind: 'customer',
      customer: {
        acceptsEmailMarketing: false,
        acceptsSmsMarketing: true,
        tags: ['vip', 'kawa'],
        asOf: new Date('2021-02-03T04:05:06Z'),
      },
    });
  });

  it('turns customers/redact into a redact-customer command with the exact customer id', () => {
    // given a mandatory privacy webhook as Shopify documents it, with an 18-digit id
    const payload = parseJsonLossless(
      '{"shop_id":954889,"shop_domain":"lojal.myshopify.com",' +
        '"customer":{"id":706405506930370084,"email":"bob@biller.com","phone":"555-625-1199"},' +
        '"orders_to_redact":[299938,280263]}',
    );

    // when it arrives as customers/redact
    const commands = commandsFromShopify('customers/redact', payload, receivedAt);

    // then the customer is to be redacted
    expect(commands).toEqual([
      {
        kind: 'redact-customer',
        externalId: '706405506930370084',
        // the erasure request is recorded: who asked, when, on which basis
        request: { basis: 'Shopify customers/redact', by: 'shopify', requestedAt: receivedAt },
      },
    ]);
  });

  it('rejects customers/redact without a customer with a PayloadError', () => {
    expect(() => commandsFromShopify('customers/redact', { shop_id: 1 }, receivedAt)).toThrow(
      PayloadError,
    );
  });
});

describe('Shopify topics Lojal does not act on', () => {
  it.each(['products/create', 'carts/update', 'app/uninstalled'])(
    'ignores the unknown topic %s with a reason',
    (topic) => {
      const commands = commandsFromShopify(topic, { id: 1 }, receivedAt);

      expect(commands).toEqual([{ kind: 'ignore', reason: `topic ${topic} is not used by Lojal` }]);
    },
  );

  it.each(['customers/data_request', 'shop/redact'])(
    'rejects the privacy topic %s without what it names with a PayloadError',
    (topic) => {
      expect(() => commandsFromShopify(topic, { shop_id: 1 }, receivedAt)).toThrow(PayloadError);
    },
  );

  it('turns customers/data_request into a data request for the exact customer id', () => {
    const payload = parseJsonLossless(
      '{"shop_id":954889,"shop_domain":"lojal.myshopify.com",' +
        '"customer":{"id":706405506930370084,"email":"a@example.pl"},' +
        '"orders_requested":[299938],"data_request":{"id":9999}}',
    );
    expect(commandsFromShopify('customers/data_request', payload, receivedAt)).toEqual([
      {
        kind: 'data-request',
        request: {
          customerExternalId: '706405506930370084',
          requestId: '9999',
          source: 'shopify.data_request',
          requestedAt: receivedAt,
        },
      },
    ]);
  });
});
