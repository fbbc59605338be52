import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandsFromWooCommerce } from '../../src/ingest/woocommerce.ts';
import { PayloadError, type Command, type OrderFacts } from '../../src/ingest/facts.ts';
import { parseJsonLossless } from '../../src/shared/json.ts';

const SAMPLES = fileURLToPath(new URL('../fixtures/webhooks/woocommerce', import.meta.url));
const receivedAt = new Date('2026-01-15T12:00:00Z');

/** A fresh lossless parse of a sample, so a test may change it freely. */
function sample(name: string): Record<string, unknown> {
  return parseJsonLossless(readFileSync(`${SAMPLES}/${name}`, 'utf8')) as Record<string, unknown>;
}

const orderSample = () => sample('order.wc-v3-retrieve-example.json');

function onlyOrder(commands: Command[]): OrderFacts {
  const orders = commands.filter((c) => c.kind === 'order');
  expect(orders).toHaveLength(1);
  return (orders[0] as Extract<Command, { kind: 'order' }>).order;
}

describe('WooCommerce orders', () => {
  it('treats customer_id 0 as a guest order but keeps the billing email', () => {
    // given the sample order, placed by a guest (customer_id 0)
    const payload = orderSample();

    // when it arrives as order.created
    const commands = commandsFromWooCommerce('order.created', payload, receivedAt);

    // then one order, with no customer and the billing email
    expect(commands).toHaveLength(1);
    const order = onlyOrder(commands);
    expect(order.externalId).toBe('727');
    expect(order.customer).toBeNull();
    expect(order.email).toBe('john.doe@example.com');
  });

  it('marks a processing order paid, reading date_paid_gmt as UTC', () => {
    // given the sample: status "processing", date_paid_gmt "2017-03-22T19:28:08" (no zone)
    const order = onlyOrder(commandsFromWooCommerce('order.updated', orderSample(), receivedAt));

    // then the times are UTC instants, not the test machine's local time
    expect(order.paidAt?.toISOString()).toBe('2017-03-22T19:28:08.000Z');
    expect(order.placedAt.toISOString()).toBe('2017-03-22T19:28:02.000Z');
    expect(order.asOf.toISOString()).toBe('2017-03-22T19:28:08.000Z');
    expect(order.cancelledAt).toBeNull();
    expect(order.fulfilledAt).toBeNull();
  });

  it('marks a processing order paid as of its last change when date_paid_gmt is missing', () => {
    const payload = orderSample();
    payload.date_paid_gmt = null;

    const order = onlyOrder(commandsFromWooCommerce('order.updated', payload, receivedAt));

    expect(order.paidAt?.toISOString()).toBe('2017-03-22T19:28:08.000Z');
  });

  it('leaves a pending order unpaid', () => {
    const payload = orderSample();
    payload.status = 'pending';
    payload.date_paid_gmt = null;

    const order = onlyOrder(commandsFromWooCommerce('order.created', payload, receivedAt));

    expect(order.paidAt).toBeNull();
  });

  it('reads every amount in integer minor units', () => {
    const order = onlyOrder(commandsFromWooCommerce('order.created', orderSample(), receivedAt));

    expect(order).toMatchObject({
      currency: 'USD',
      total: 2935,
      // the sum of the line totals, 6.00 + 12.00
      subtotal: 1800,
      shipping: 1000,
      tax: 135,
      discount: 0,
      discountCodes: [],
    });
  });

  it('maps line items with ids as strings, no variant for variation_id 0, and unit prices', () => {
    const order = onlyOrder(commandsFromWooCommerce('order.created', orderSample(), receivedAt));

    expect(order.lines).toEqual([
      {
        externalId: '315',
        productId: '93',
        variantId: null,
        sku: null,
        title: 'Woo Single #1',
        categoryIds: [],
        quantity: 2,
        unitPrice: 300,
      },
      {
        externalId: '316',
        productId: '22',
        variantId: '23',
        sku: 'Bar3',
        title: 'Ship Your Idea &ndash; Color: Black, Size: M Test',
        categoryIds: [],
        quantity: 1,
        unitPrice: 1200,
        // the line's meta_data, as typed on the product page (a gift card's recipient, say)
        properties: { pa_color: 'black', size: 'M Test' },
      },
    ]);
  });

  it('reads coupon codes from coupon_lines', () => {
    const payload = orderSample();
    payload.coupon_lines = [{ id: 1, code: 'witaj10' }, { id: 2 }];

    const order = onlyOrder(commandsFromWooCommerce('order.updated', payload, receivedAt));

    expect(order.discountCodes).toEqual(['witaj10']);
  });

  it('attaches a registered buyer as customer facts from the billing address', () => {
    const payload = orderSample();
    payload.customer_id = 25;

    const order = onlyOrder(commandsFromWooCommerce('order.created', payload, receivedAt));

    expect(order.customer).toEqual({
      externalId: '25',
      email: 'john.doe@example.com',
      phone: '(555) 555-5555',
      firstName: 'John',
      lastName: 'Doe',
      asOf: new Date('2017-03-22T19:28:08Z'),
    });
  });

  it('sets cancelledAt when the status is "cancelled"', () => {
    const payload = orderSample();
    payload.status = 'cancelled';
    payload.date_modified_gmt = '2017-03-23T08:00:00';

    const order = onlyOrder(commandsFromWooCommerce('order.updated', payload, receivedAt));

    expect(order.cancelledAt?.toISOString()).toBe('2017-03-23T08:00:00.000Z');
  });

  it('sets fulfilledAt from date_completed_gmt when the status is "completed"', () => {
    const payload = orderSample();
    payload.status = 'completed';
    payload.date_completed_gmt = '2017-03-24T09:30:00';

    const order = onlyOrder(commandsFromWooCommerce('order.updated', payload, receivedAt));

    expect(order.fulfilledAt?.toISOString()).toBe('2017-03-24T09:30:00.000Z');
  });

  it('turns each entry of the refunds array into a refund command with a positive amount', () => {
    // given an order carrying the sample refund as the order resource lists it (negative total)
    const refund = sample('order-refund.wc-v3-create-example.json');
    const payload = orderSample();
    payload.refunds = [
      { id: refund.id, reason: refund.reason, total: `-${String(refund.amount)}` },
    ];

    // when the order is updated
    const commands = commandsFromWooCommerce('order.updated', payload, receivedAt);

    // then the order comes first, then a refund of 10.00 against it
    expect(commands.map((c) => c.kind)).toEqual(['order', 'refund']);
    expect(commands[1]).toEqual({
      kind: 'refund',
      refund: {
        orderExternalId: '727',
        externalId: '726',
        amount: 1000,
        currency: 'USD',
        reason: null,
        refundedAt: new Date('2017-03-22T19:28:08Z'),
      },
    });
  });

  it('rejects a refund entry without an id with a PayloadError', () => {
    const payload = orderSample();
    payload.refunds = [{ total: '-10.00' }];

    expect(() => commandsFromWooCommerce('order.updated', payload, receivedAt)).toThrow(
      PayloadError,
    );
  });

  it('rejects an order without a currency with a PayloadError', () => {
    const payload = orderSample();
    delete payload.currency;

    expect(() => commandsFromWooCommerce('order.created', payload, receivedAt)).toThrow(
      'order.currency is missing',
    );
  });

  it('rejects an order without a total or a creation date with a PayloadError', () => {
    const noTotal = orderSample();
    delete noTotal.total;
    const noDate = orderSample();
    delete noDate.date_created_gmt;
    delete noDate.date_created;

    expect(() => commandsFromWooCommerce('order.created', noTotal, receivedAt)).toThrow(
      PayloadError,
    );
    expect(() => commandsFromWooCommerce('order.created', noDate, receivedAt)).toThrow(
      PayloadError,
    );
  });
});

describe('WooCommerce customers', () => {
  it('maps customer.updated to customer facts, dated by date_modified_gmt in UTC', () => {
    // given the sample customer
    const payload = sample('customer.wc-v3-retrieve-example.json');

    // when it arrives as customer.updated
    const commands = commandsFromWooCommerce('customer.updated', payload, receivedAt);

    // then one customer command
    expect(commands).toEqual([
      {
        kind: 'customer',
        customer: {
          externalId: '25',
          email: 'john.doe@example.com',
          phone: '(555) 555-5555',
          firstName: 'John',
          lastName: 'Doe',
          asOf: new Date('2017-03-21T19:09:30Z'),
        },
      },
    ]);
  });

  it('dates a customer by its creation, then by the delivery, when later times are missing', () => {
    const created = sample('customer.wc-v3-retrieve-example.json');
    created.date_modified_gmt = null;
    const bare = sample('customer.wc-v3-retrieve-example.json');
    bare.date_modified_gmt = null;
    bare.date_created_gmt = null;

    const [fromCreated] = commandsFromWooCommerce('customer.created', created, receivedAt);
    const [fromBare] = commandsFromWooCommerce('customer.created', bare, receivedAt);

    expect(fromCreated).toMatchObject({ customer: { asOf: new Date('2017-03-21T19:09:28Z') } });
    expect(fromBare).toMatchObject({ customer: { asOf: receivedAt } });
  });

  it('rejects a customer without an id with a PayloadError', () => {
    const payload = sample('customer.wc-v3-retrieve-example.json');
    delete payload.id;

    expect(() => commandsFromWooCommerce('customer.updated', payload, receivedAt)).toThrow(
      PayloadError,
    );
  });
});

describe('WooCommerce topics Lojal does not act on', () => {
  it.each(['coupon.created', 'coupon.updated', 'action.woocommerce_some_hook'])(
    'ignores the unknown topic %s',
    (topic) => {
      const commands = commandsFromWooCommerce(topic, { id: 1 }, receivedAt);

      expect(commands).toEqual([{ kind: 'ignore', reason: `topic ${topic} is not used by Lojal` }]);
    },
  );

  it('waits for the pull for a product webhook, which names no currency', () => {
    const commands = commandsFromWooCommerce(
      'product.created',
      { id: 1, name: 'Kubek' },
      receivedAt,
    );

    expect(commands).toEqual([
      { kind: 'ignore', reason: 'product.created without a currency: the pull brings products' },
    ]);
  });

  it.each(['order.deleted', 'customer.deleted'])(
    'ignores %s, which carries only an id, and keeps what Lojal has',
    (topic) => {
      const [command] = commandsFromWooCommerce(topic, { id: 727 }, receivedAt);

      expect(command?.kind).toBe('ignore');
    },
  );
});
