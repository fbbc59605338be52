import { describe, expect, it } from 'vitest';
import { commandsForEvent } from '../../../src/ingest/commands-for-event.ts';

const RECEIVED = new Date('2026-03-02T10:00:00Z');

function commands(topic: string, body: unknown) {
  return commandsForEvent(
    {
      shop_id: 'shp_x',
      id: 'evt_x',
      source: 'woocommerce',
      topic,
      body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
      received_at: RECEIVED,
    },
    RECEIVED,
  );
}

const product = {
  id: 93,
  name: 'Kawa ziarnista 1 kg',
  permalink: 'https://sklep.pl/produkt/kawa/',
  date_modified_gmt: '2026-03-01T10:00:00',
  status: 'publish',
  price: '49.90',
  categories: [{ id: 15, name: 'Kawa' }],
  images: [{ id: 7, src: 'https://sklep.pl/kawa.jpg' }],
};

describe('the WooCommerce adapter', () => {
  it('maps a pulled product (with the shop currency the pull adds)', () => {
    expect(commands('product.updated', { ...product, currency: 'PLN' })).toEqual([
      {
        kind: 'product',
        product: {
          externalId: '93',
          name: 'Kawa ziarnista 1 kg',
          url: 'https://sklep.pl/produkt/kawa/',
          imageUrl: 'https://sklep.pl/kawa.jpg',
          price: 4990,
          currency: 'PLN',
          categoryIds: ['15'],
          active: true,
          asOf: new Date('2026-03-01T10:00:00Z'),
        },
      },
    ]);
  });

  it('leaves a product webhook without a currency to the pull, rather than wiping the price', () => {
    expect(commands('product.updated', product)).toEqual([
      { kind: 'ignore', reason: expect.stringMatching(/the pull brings products/) },
    ]);
  });

  it('reads a draft or priceless product as inactive and unpriced', () => {
    const [command] = commands('product.updated', {
      ...product,
      currency: 'PLN',
      status: 'draft',
      price: '',
    });
    expect(command).toMatchObject({
      kind: 'product',
      product: { active: false, price: null, currency: null },
    });
  });

  it('maps a pulled order with its refunds from the order list shape', () => {
    const out = commands('order.updated', {
      id: 1042,
      status: 'completed',
      currency: 'PLN',
      date_created_gmt: '2026-02-10T09:00:00',
      date_modified_gmt: '2026-02-12T08:00:00',
      date_paid_gmt: '2026-02-10T09:00:00',
      total: '120.00',
      customer_id: 25,
      billing: { email: 'ala@example.pl' },
      line_items: [],
      refunds: [{ id: 1043, reason: 'zwrot', total: '-20.00' }],
    });
    expect(out.map((c) => c.kind)).toEqual(['order', 'refund']);
    expect(out[1]).toMatchObject({
      refund: { orderExternalId: '1042', externalId: '1043', amount: 2000, currency: 'PLN' },
    });
    expect(out[1]).not.toHaveProperty('refund.lineExternalIds');
  });

  it('reads the order lines a refund names: _refunded_item_id meta, or line_item_id', () => {
    const out = commands('order.updated', {
      id: 1042,
      status: 'processing',
      currency: 'PLN',
      date_created_gmt: '2026-02-10T09:00:00',
      date_modified_gmt: '2026-02-12T08:00:00',
      total: '120.00',
      customer_id: 0,
      line_items: [],
      refunds: [
        {
          id: 1043,
          total: '-50.00',
          // the refund resource's lines (GET /orders/1042/refunds), added by the pull
          line_items: [
            {
              id: 88,
              quantity: -1,
              total: '-50.00',
              meta_data: [{ id: 9, key: '_refunded_item_id', value: '315' }],
            },
            { id: 89, quantity: -1, total: '-5.00', line_item_id: 316, meta_data: [] },
            { id: 90, quantity: 0, total: '0.00', meta_data: [] },
          ],
        },
      ],
    });
    expect(out[1]).toMatchObject({
      refund: { externalId: '1043', lineExternalIds: ['315', '316'] },
    });
  });
});
