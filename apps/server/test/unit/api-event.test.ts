import { describe, expect, it } from 'vitest';
import { apiEventSchema, commandsFromApiEvent } from '../../src/ingest/api-event.ts';

const receivedAt = new Date('2026-11-20T12:00:00Z');

const customer = {
  id: 'c-1',
  email: 'ala@example.pl',
  phone: '+48 600 700 800',
  firstName: 'Ala',
  lastName: 'Kowalska',
  birthday: '1990-05-17',
  acceptsMarketing: { email: true, sms: false },
  tags: ['vip'],
};

const orderPaidData = {
  id: 'o-1001',
  customer,
  currency: 'PLN',
  total: 12345,
  subtotal: 11000,
  shipping: 1345,
  discount: 500,
  discountCodes: ['WITAJ10'],
  lines: [{ productId: 'p-1', sku: 'KAWA', categoryIds: ['kawa'], quantity: 2, price: 5500 }],
  createdAt: '2026-11-20T09:59:00Z',
};

const validEvents = {
  'customer.created': { type: 'customer.created', data: customer },
  'customer.updated': { type: 'customer.updated', id: 'evt-2', data: { id: 'c-1' } },
  'order.paid': {
    type: 'order.paid',
    id: 'evt-1',
    occurredAt: '2026-11-20T10:00:00+01:00',
    data: orderPaidData,
  },
  'order.refunded': {
    type: 'order.refunded',
    data: { orderId: 'o-1001', refundId: 'r-1', amount: 1000, currency: 'PLN' },
  },
  'order.cancelled': { type: 'order.cancelled', data: { orderId: 'o-1001' } },
  'order.fulfilled': {
    type: 'order.fulfilled',
    data: { orderId: 'o-1001', fulfilledAt: '2026-11-22T08:00:00Z' },
  },
};

/** The paths of the issues that reject an event; [] when it is accepted. */
function issuePaths(event: unknown): PropertyKey[][] {
  const result = apiEventSchema.safeParse(event);
  return result.success ? [] : result.error.issues.map((issue) => issue.path);
}

describe('apiEventSchema', () => {
  it.each(Object.entries(validEvents))('accepts a valid %s event', (_type, event) => {
    expect(issuePaths(event)).toEqual([]);
  });

  it('accepts a guest order.paid with a null or absent customer', () => {
    const { customer: _ignored, ...guest } = orderPaidData;

    expect(issuePaths({ type: 'order.paid', data: guest })).toEqual([]);
    expect(issuePaths({ type: 'order.paid', data: { ...guest, customer: null } })).toEqual([]);
  });

  it('rejects an unknown event type at ["type"]', () => {
    expect(issuePaths({ type: 'order.shipped', data: { orderId: 'o-1' } })).toEqual([['type']]);
  });

  it('rejects a negative order total at ["data", "total"]', () => {
    const event = { type: 'order.paid', data: { ...orderPaidData, total: -1 } };

    expect(issuePaths(event)).toEqual([['data', 'total']]);
  });

  it('rejects a fractional amount, since money is integer minor units', () => {
    const event = { type: 'order.paid', data: { ...orderPaidData, total: 123.45 } };

    expect(issuePaths(event)).toEqual([['data', 'total']]);
  });

  it.each(['pln', 'PLNX', 'zł', ''])('rejects the currency %j at ["data", "currency"]', (code) => {
    const event = { type: 'order.paid', data: { ...orderPaidData, currency: code } };

    expect(issuePaths(event)).toEqual([['data', 'currency']]);
  });

  it('rejects an order without data.id at ["data", "id"]', () => {
    const { id: _ignored, ...withoutId } = orderPaidData;

    expect(issuePaths({ type: 'order.paid', data: withoutId })).toEqual([['data', 'id']]);
  });

  it('rejects a customer event without data.id at ["data", "id"]', () => {
    expect(issuePaths({ type: 'customer.updated', data: { email: 'ala@example.pl' } })).toEqual([
      ['data', 'id'],
    ]);
  });

  it('rejects an event without data at ["data"]', () => {
    expect(issuePaths({ type: 'order.cancelled' })).toEqual([['data']]);
  });

  it('rejects a bad email and a bad birthday at their paths', () => {
    const event = {
      type: 'customer.created',
      data: { id: 'c-1', email: 'not-an-email', birthday: '17.05.1990' },
    };

    expect(issuePaths(event)).toEqual([
      ['data', 'email'],
      ['data', 'birthday'],
    ]);
  });

  it('rejects a line with zero quantity at its index', () => {
    const lines = [orderPaidData.lines[0], { productId: 'p-2', quantity: 0, price: 100 }];
    const event = { type: 'order.paid', data: { ...orderPaidData, lines } };

    expect(issuePaths(event)).toEqual([['data', 'lines', 1, 'quantity']]);
  });

  it('rejects a date-time without a zone, which would be read in the server time zone', () => {
    const event = { type: 'order.paid', data: { ...orderPaidData, createdAt: '2026-11-20T09:59' } };

    expect(issuePaths(event)).toEqual([['data', 'createdAt']]);
  });

  it('rejects a negative refund amount at ["data", "amount"]', () => {
    const event = {
      type: 'order.refunded',
      data: { orderId: 'o-1', refundId: 'r-1', amount: -100, currency: 'PLN' },
    };

    expect(issuePaths(event)).toEqual([['data', 'amount']]);
  });

  it('rejects an order.fulfilled without fulfilledAt at ["data", "fulfilledAt"]', () => {
    expect(issuePaths({ type: 'order.fulfilled', data: { orderId: 'o-1' } })).toEqual([
      ['data', 'fulfilledAt'],
    ]);
  });

  it('rejects an empty event id at ["id"]', () => {
    expect(issuePaths({ ...validEvents['order.cancelled'], id: '' })).toEqual([['id']]);
  });
});

describe('commandsFromApiEvent', () => {
  const parse = (event: unknown) => apiEventSchema.parse(event);

  it('maps order.paid to an order with its customer, lines and amounts', () => {
    // given a paid order with an occurredAt time
    const event = parse(validEvents['order.paid']);

    // when it is turned into commands
    const commands = commandsFromApiEvent(event, receivedAt);

    // then one order, paid at the time the sender says it happened
    const occurredAt = new Date('2026-11-20T09:00:00Z');
    expect(commands).toEqual([
      {
        kind: 'order',
        order: {
          externalId: 'o-1001',
          customer: {
            externalId: 'c-1',
            email: 'ala@example.pl',
            phone: '+48 600 700 800',
            firstName: 'Ala',
            lastName: 'Kowalska',
            birthday: '1990-05-17',
            acceptsEmailMarketing: true,
            acceptsSmsMarketing: false,
            tags: ['vip'],
            asOf: occurredAt,
          },
          email: 'ala@example.pl',
          currency: 'PLN',
          total: 12345,
          subtotal: 11000,
          shipping: 1345,
          tax: null,
          discount: 500,
          discountCodes: ['WITAJ10'],
          lines: [
            {
              externalId: null,
              productId: 'p-1',
              variantId: null,
              sku: 'KAWA',
              title: null,
              categoryIds: ['kawa'],
              quantity: 2,
              unitPrice: 5500,
            },
          ],
          placedAt: new Date('2026-11-20T09:59:00Z'),
          paidAt: occurredAt,
          cancelledAt: null,
          fulfilledAt: null,
          asOf: occurredAt,
        },
      },
    ]);
  });

  it('maps order.paid without a customer to a guest order without an email', () => {
    const { customer: _ignored, ...guest } = orderPaidData;
    const absent = parse({ type: 'order.paid', data: guest });
    const nulled = parse({ type: 'order.paid', data: { ...guest, customer: null } });

    for (const event of [absent, nulled]) {
      const [command] = commandsFromApiEvent(event, receivedAt);
      expect(command).toMatchObject({ kind: 'order', order: { customer: null, email: null } });
    }
  });

  it('dates order.paid by createdAt when occurredAt is missing, and by receipt for asOf', () => {
    // given a paid order without occurredAt
    const event = parse({ type: 'order.paid', data: orderPaidData });

    // when it is turned into commands
    const [command] = commandsFromApiEvent(event, receivedAt);

    // then it counts as paid when it was created; its facts hold as of receipt
    expect(command).toMatchObject({
      kind: 'order',
      order: {
        placedAt: new Date('2026-11-20T09:59:00Z'),
        paidAt: new Date('2026-11-20T09:59:00Z'),
        asOf: receivedAt,
      },
    });
  });

  it('leaves optional order amounts null and lists empty when they are not sent', () => {
    const event = parse({
      type: 'order.paid',
      data: { id: 'o-2', currency: 'PLN', total: 100, createdAt: '2026-11-20T09:59:00Z' },
    });

    const [command] = commandsFromApiEvent(event, receivedAt);

    expect(command).toMatchObject({
      order: { subtotal: null, shipping: null, discount: null, discountCodes: [], lines: [] },
    });
  });

  it('maps order.refunded to a refund dated by occurredAt, or by receipt without it', () => {
    const base = validEvents['order.refunded'];
    const dated = parse({ ...base, occurredAt: '2026-11-21T10:00:00Z' });

    expect(commandsFromApiEvent(dated, receivedAt)).toEqual([
      {
        kind: 'refund',
        refund: {
          orderExternalId: 'o-1001',
          externalId: 'r-1',
          amount: 1000,
          currency: 'PLN',
          reason: null,
          refundedAt: new Date('2026-11-21T10:00:00Z'),
        },
      },
    ]);
    expect(commandsFromApiEvent(parse(base), receivedAt)).toMatchObject([
      { refund: { refundedAt: receivedAt } },
    ]);
  });

  it('maps order.cancelled to a cancel command at occurredAt', () => {
    const event = parse({ ...validEvents['order.cancelled'], occurredAt: '2026-11-21T10:00:00Z' });

    expect(commandsFromApiEvent(event, receivedAt)).toEqual([
      { kind: 'cancel', orderExternalId: 'o-1001', cancelledAt: new Date('2026-11-21T10:00:00Z') },
    ]);
  });

  it('maps order.fulfilled to a fulfil command at its fulfilledAt, not at receipt', () => {
    const event = parse(validEvents['order.fulfilled']);

    expect(commandsFromApiEvent(event, receivedAt)).toEqual([
      { kind: 'fulfil', orderExternalId: 'o-1001', fulfilledAt: new Date('2026-11-22T08:00:00Z') },
    ]);
  });

  it('maps customer.updated to facts that leave unmentioned fields undefined', () => {
    // given an update that names only the email and clears the phone
    const event = parse({
      type: 'customer.updated',
      occurredAt: '2026-11-21T10:00:00Z',
      data: { id: 'c-1', email: 'ala.nowa@example.pl', phone: null },
    });

    // when it is turned into commands
    const commands = commandsFromApiEvent(event, receivedAt);

    // then only those two fields are facts; the rest stay "not mentioned"
    expect(commands).toEqual([
      {
        kind: 'customer',
        customer: {
          externalId: 'c-1',
          email: 'ala.nowa@example.pl',
          phone: null,
          firstName: undefined,
          lastName: undefined,
          birthday: undefined,
          acceptsEmailMarketing: undefined,
          acceptsSmsMarketing: undefined,
          tags: undefined,
          asOf: new Date('2026-11-21T10:00:00Z'),
        },
      },
    ]);
  });

  it('maps customer.created with all its fields', () => {
    const [command] = commandsFromApiEvent(parse(validEvents['customer.created']), receivedAt);

    expect(command).toEqual({
      kind: 'customer',
      customer: {
        externalId: 'c-1',
        email: 'ala@example.pl',
        phone: '+48 600 700 800',
        firstName: 'Ala',
        lastName: 'Kowalska',
        birthday: '1990-05-17',
        acceptsEmailMarketing: true,
        acceptsSmsMarketing: false,
        tags: ['vip'],
        asOf: receivedAt,
        // no occurredAt: the time is only the time of receipt
        asOfIsReceipt: true,
      },
    });
  });
});
