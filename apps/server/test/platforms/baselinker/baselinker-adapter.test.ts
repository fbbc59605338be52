import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { baseLinkerCustomerId, commandsFromBaseLinker } from '../../../src/ingest/baselinker.ts';
import { PayloadError } from '../../../src/ingest/facts.ts';
import { createTestApp, fixedClock, type TestApp } from '../../support/app.ts';
import { connectedShop, pullToEnd } from '../platform-scenarios.ts';
import { startFakeBaseLinker, type FakeBaseLinker } from './fake-baselinker.ts';

const NOW = new Date('2026-03-02T10:00:00Z');
const DAY = 86_400_000;
let t: TestApp;
let fake: FakeBaseLinker;
beforeAll(async () => {
  t = await createTestApp({ clock: fixedClock(NOW), config: { platformPrivateNetworks: true } });
});
afterAll(() => t.close());
afterEach(() => fake?.close());

/** A shop connected to the fake through POST /v1/connections, with these settings. */
function connect(settings: object = {}, months = 0) {
  const connection = {
    ...fake.connection,
    settings: { ...(fake.connection.settings as object), ...settings },
  };
  return connectedShop(t, { ...fake, connection }, { months });
}

const ordersOf = (shopId: string) =>
  t.db
    .selectFrom('orders')
    .select(['external_id', 'customer_id', 'total', 'paid_at', 'cancelled_at', 'refunded_amount'])
    .where('shop_id', '=', shopId)
    .orderBy('external_id')
    .execute();

describe('BaseLinker records into Lojal', () => {
  it('makes one customer of every order with the same e-mail, whatever its case; phone when no e-mail', async () => {
    fake = await startFakeBaseLinker({ now: NOW.getTime() - 60_000 });
    const c = await connect();
    const shop = c.shop;
    fake.addOrder({ order_id: 11, email: 'Ola@Example.pl', payment_done: 49.99 });
    fake.addOrder({ order_id: 12, email: 'ola@example.PL', payment_done: 49.99 });
    fake.addOrder({ order_id: 13, email: '', phone: '+48 600-100-200', payment_done: 49.99 });
    fake.addOrder({ order_id: 14, email: '', phone: '' });
    await pullToEnd(t, c);
    const customers = await t.db
      .selectFrom('customers')
      .select(['id', 'external_id', 'email', 'phone'])
      .where('shop_id', '=', shop.id)
      .orderBy('external_id')
      .execute();
    expect(customers.map((c) => c.external_id)).toEqual([
      'email:ola@example.pl',
      'phone:+48600100200',
    ]);
    const orders = await ordersOf(shop.id);
    expect(orders).toHaveLength(4);
    const ola = customers[0]!.id;
    expect(orders.filter((o) => o.customer_id === ola).map((o) => o.external_id)).toEqual([
      '11',
      '12',
    ]);
    // an order with neither still counts, without a customer
    expect(orders.find((o) => o.external_id === '14')!.customer_id).toBeNull();
  });

  it('is paid when payment_done covers the total or the status says so; cancelled by status or removal', async () => {
    fake = await startFakeBaseLinker({ now: NOW.getTime() - 120_000 });
    const c = await connect({ paidStatusIds: ['5'], cancelledStatusIds: ['9'] });
    const shop = c.shop;
    fake.addOrder({ order_id: 21, payment_done: 49.99, delivery_price: 0 }); // paid in full
    fake.addOrder({ order_id: 22, payment_done: 20 }); // part payment: not paid
    fake.addOrder({ order_id: 23, payment_done: 0, order_status_id: 5 }); // paid by status 5
    fake.addOrder({ order_id: 24, payment_done: 49.99, order_status_id: 9 }); // cancelled status
    fake.addOrder({ order_id: 25, payment_done: 49.99 });
    await pullToEnd(t, c);
    fake.setNow(NOW.getTime() - 60_000);
    fake.removeOrder(25);
    fake.updateOrder(22, { payment_done: 49.99 }, 3);
    await pullToEnd(t, c);
    const orders = await ordersOf(shop.id);
    const by = Object.fromEntries(orders.map((o) => [o.external_id, o]));
    expect(Number(by['21']!.total)).toBe(4999);
    expect(by['21']!.paid_at).not.toBeNull();
    expect(by['22']!.paid_at?.toISOString()).toBe('2026-03-02T09:59:00.000Z'); // the payment event
    expect(by['23']!.paid_at).not.toBeNull();
    expect(by['24']!.cancelled_at).not.toBeNull();
    expect(by['25']!.cancelled_at?.toISOString()).toBe('2026-03-02T09:59:00.000Z');
    expect(by['21']!.cancelled_at).toBeNull();
  });

  it('sends no cancellation for an order created and removed between two pulls, even pages apart', async () => {
    fake = await startFakeBaseLinker({ now: NOW.getTime() + 60_000 });
    const c = await connect();
    const shop = c.shop;
    fake.addOrder({ order_id: 41, payment_done: 49.99 });
    await pullToEnd(t, c);
    // between two pulls: 42 comes and goes; 50 comes, 25 other orders follow (the journal is
    // read 20 orders a page, so its removal is read a page after its creation), 50 goes; 41 goes
    fake.setNow(NOW.getTime() + 120_000);
    fake.addOrder({ order_id: 42, payment_done: 49.99 });
    fake.removeOrder(42);
    fake.addOrder({ order_id: 50, payment_done: 49.99 });
    for (let id = 51; id <= 75; id++) fake.addOrder({ order_id: id, payment_done: 49.99 });
    fake.removeOrder(50);
    fake.removeOrder(41);
    await pullToEnd(t, c);
    const orders = await ordersOf(shop.id);
    expect(orders.map((o) => o.external_id)).not.toContain('42');
    expect(orders.map((o) => o.external_id)).not.toContain('50');
    expect(orders).toHaveLength(26); // 41 and 51…75
    // the order Lojal had is cancelled by its removal
    expect(orders.find((o) => o.external_id === '41')!.cancelled_at).not.toBeNull();
    // nothing waits for an order that never comes
    const events = await t.db
      .selectFrom('inbound_events')
      .select(['status', 'topic'])
      .where('shop_id', '=', shop.id)
      .execute();
    expect(events.filter((e) => e.status === 'waiting' || e.status === 'failed')).toEqual([]);
    expect(events.filter((e) => e.topic === 'order.removed')).toHaveLength(1);
  });

  it('counts a return as a refund of its value, once, and ignores a cancelled return', async () => {
    fake = await startFakeBaseLinker({ now: NOW.getTime() - 60_000 });
    const c = await connect();
    const shop = c.shop;
    fake.addOrder({
      order_id: 31,
      payment_done: 99.98,
      products: [{ name: 'Kawa', sku: 'K', product_id: '1', price_brutto: 49.99, quantity: 2 }],
    });
    const at = Math.floor((NOW.getTime() - 30_000) / 1000);
    fake.addReturn({
      order_id: 31,
      date_add: at,
      currency: 'PLN',
      fulfillment_status: 1,
      products: [{ name: 'Kawa', price_brutto: 49.99, quantity: 1 }],
    });
    fake.addReturn({
      order_id: 31,
      date_add: at,
      currency: 'PLN',
      fulfillment_status: 2,
      products: [{ name: 'Kawa', price_brutto: 49.99, quantity: 1 }],
    });
    await pullToEnd(t, c);
    // the same records pulled again (the sync cursor lost, as after a restore) change nothing
    await sql`UPDATE connections SET sync_cursor = NULL WHERE id = ${c.connectionId}`.execute(t.db);
    expect((await pullToEnd(t, c)).stored).toBe(0);
    const [order] = await ordersOf(shop.id);
    expect(Number(order!.total)).toBe(9998);
    expect(Number(order!.refunded_amount)).toBe(4999);
    const refunds = await t.db
      .selectFrom('refunds')
      .select(['external_id', 'amount'])
      .where('shop_id', '=', shop.id)
      .execute();
    expect(refunds).toHaveLength(1);
  });

  it('backfills 1,000 orders with refunds: revenue and refunds equal the platform’s own count', async () => {
    fake = await startFakeBaseLinker({ now: NOW.getTime() });
    const from = new Date(NOW.getTime() - 90 * DAY);
    const seeded = await fake.seedHistory({
      orders: 1000,
      from,
      to: new Date(NOW.getTime() - DAY),
      refundEvery: 7,
      currency: 'PLN',
    });
    // four months of history: the 90 days seeded, read by the runtime's backfill
    const c = await connect({}, 4);
    const shop = c.shop;
    await pullToEnd(t, c);
    const sums = await t.db
      .selectFrom('orders')
      .select((eb) => [
        eb.fn.countAll<string>().as('n'),
        eb.fn.sum<string>('total').as('revenue'),
        eb.fn.sum<string>('refunded_amount').as('refunded'),
      ])
      .where('shop_id', '=', shop.id)
      .where('paid_at', 'is not', null)
      .executeTakeFirstOrThrow();
    const refunds = await t.db
      .selectFrom('refunds')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect({
      orders: Number(sums.n),
      revenue: Number(sums.revenue),
      refunded: Number(sums.refunded),
      refunds: Number(refunds.n),
    }).toEqual(seeded);
    const customers = await t.db
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(Number(customers.n)).toBe(333); // Klient0…Klient332 in mixed case
  });
});

describe('the BaseLinker adapter alone', () => {
  it('derives customer ids deterministically', () => {
    expect(baseLinkerCustomerId('Jan@Example.PL', '600100200')).toBe('email:jan@example.pl');
    expect(baseLinkerCustomerId(null, '+48 600 100 200')).toBe('phone:+48600100200');
    expect(baseLinkerCustomerId(null, '12')).toBeNull();
    expect(baseLinkerCustomerId(null, null)).toBeNull();
  });

  it('parks a record whose order lacks what Lojal needs, naming the field', () => {
    const record = {
      order: { order_id: 1, date_add: 1772445600, products: [] },
      asOf: 1772445600,
      paidAt: null,
      paidStatusIds: [],
      cancelledStatusIds: [],
    };
    expect(() => commandsFromBaseLinker('order', record, NOW)).toThrow(PayloadError);
    expect(() => commandsFromBaseLinker('order', record, NOW)).toThrow(/order.currency/);
    expect(() =>
      commandsFromBaseLinker(
        'order',
        {
          ...record,
          order: {
            ...record.order,
            currency: 'PLN',
            products: [{ price_brutto: 'x', quantity: 1 }],
          },
        },
        NOW,
      ),
    ).toThrow(/price_brutto/);
  });

  it('ignores an unconfirmed order: the confirmation event brings it back whole', () => {
    const commands = commandsFromBaseLinker(
      'order',
      {
        order: { order_id: 1, confirmed: false },
        asOf: 1,
        paidAt: null,
        paidStatusIds: [],
        cancelledStatusIds: [],
      },
      NOW,
    );
    expect(commands).toEqual([{ kind: 'ignore', reason: 'unconfirmed order' }]);
  });
});
