import { describe, expect, it } from 'vitest';
import { commandsForEvent } from '../../../src/ingest/commands-for-event.ts';
import { PayloadError } from '../../../src/ingest/facts.ts';

const RECEIVED = new Date('2026-08-02T10:00:00Z');

function commands(topic: string, body: unknown) {
  return commandsForEvent(
    {
      shop_id: 'shp_x',
      id: 'evt_x',
      source: 'prestashop',
      topic,
      body: Buffer.from(JSON.stringify(body)),
      received_at: RECEIVED,
    },
    RECEIVED,
  );
}

const order = {
  id: 42,
  id_customer: '7',
  id_currency: '1',
  current_state: '2',
  valid: '1',
  date_add: '2026-07-01 12:00:00',
  date_upd: '2026-07-01 12:05:00',
  invoice_date: '2026-07-01 12:01:00',
  delivery_date: '0000-00-00 00:00:00',
  total_paid_tax_incl: '123.000000',
  total_paid_tax_excl: '100.000000',
  total_products_wt: '113.000000',
  total_shipping_tax_incl: '10.000000',
  total_discounts_tax_incl: '0.000000',
  associations: {
    order_rows: [
      {
        id: '301',
        product_id: '7',
        product_attribute_id: '0',
        product_quantity: '2',
        product_name: 'Kawa',
        product_reference: 'KAWA',
        unit_price_tax_incl: '56.500000',
      },
    ],
  },
};

describe('the PrestaShop adapter', () => {
  it("reads the Webservice's zone-less wall clock in the shop's time zone", () => {
    const [command] = commands('order', {
      timezone: 'Europe/Warsaw',
      currency: 'PLN',
      cancelled: false,
      order,
    });
    expect(command).toMatchObject({
      kind: 'order',
      order: {
        externalId: '42',
        customer: { externalId: '7' },
        currency: 'PLN',
        total: 12300,
        tax: 2300,
        shipping: 1000,
        subtotal: 11300,
        // 12:00 in Warsaw in July (UTC+2)
        placedAt: new Date('2026-07-01T10:00:00Z'),
        paidAt: new Date('2026-07-01T10:01:00Z'),
        asOf: new Date('2026-07-01T10:05:00Z'),
        cancelledAt: null,
        fulfilledAt: null,
        lines: [
          {
            externalId: '301',
            productId: '7',
            variantId: null,
            sku: 'KAWA',
            title: 'Kawa',
            quantity: 2,
            unitPrice: 5650,
          },
        ],
      },
    });
  });

  it('marks an order in a cancelled state as cancelled and no longer paid', () => {
    const [command] = commands('order', {
      timezone: 'Europe/Warsaw',
      currency: 'PLN',
      cancelled: true,
      order: { ...order, current_state: '6', valid: '0' },
    });
    expect(command).toMatchObject({
      order: { paidAt: null, cancelledAt: new Date('2026-07-01T10:05:00Z') },
    });
  });

  it('maps a credit slip to a refund of products and shipping', () => {
    expect(
      commands('order_slip', {
        timezone: 'Europe/Warsaw',
        currency: 'PLN',
        order_slip: {
          id: 9,
          id_order: '42',
          total_products_tax_incl: '20.000000',
          total_shipping_tax_incl: '10.000000',
          date_add: '2026-07-03 09:00:00',
        },
      }),
    ).toEqual([
      {
        kind: 'refund',
        refund: {
          orderExternalId: '42',
          externalId: '9',
          amount: 3000,
          currency: 'PLN',
          reason: null,
          refundedAt: new Date('2026-07-03T07:00:00Z'),
        },
      },
    ]);
  });

  it('maps a customer with the newsletter consent and without the zero birthday', () => {
    const [command] = commands('customer', {
      timezone: 'Europe/Warsaw',
      customer: {
        id: 7,
        email: 'ala@example.pl',
        firstname: 'Ala',
        lastname: 'Nowak',
        newsletter: '1',
        birthday: '0000-00-00',
        date_upd: '2026-01-10 08:00:00',
      },
    });
    expect(command).toEqual({
      kind: 'customer',
      customer: {
        externalId: '7',
        email: 'ala@example.pl',
        firstName: 'Ala',
        lastName: 'Nowak',
        acceptsEmailMarketing: true,
        asOf: new Date('2026-01-10T07:00:00Z'),
      },
    });
  });

  it('refuses a record without its time zone or currency', () => {
    expect(() => commands('order', { currency: 'PLN', order })).toThrow(PayloadError);
    expect(() => commands('order', { timezone: 'Europe/Warsaw', order })).toThrow(PayloadError);
  });
});
