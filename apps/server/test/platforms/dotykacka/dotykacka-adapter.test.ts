import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commandsFromDotykacka, dotykackaTime } from '../../../src/ingest/dotykacka.ts';
import { commandsForEvent } from '../../../src/ingest/commands-for-event.ts';
import { createTestApp, fixedClock, type TestApp } from '../../support/app.ts';
import { connectedShop, pullToEnd } from '../platform-scenarios.ts';
import { startFakeDotykacka, type FakeDotykacka } from './fake-dotykacka.ts';

const NOW = new Date('2026-03-02T10:00:00Z');
const DAY = 86_400_000;
let t: TestApp;
let fake: FakeDotykacka;
beforeAll(async () => {
  t = await createTestApp({ clock: fixedClock(NOW), config: { platformPrivateNetworks: true } });
});
afterAll(() => t.close());
afterEach(() => fake?.close());

describe('Dotykačka records into Lojal', () => {
  it('stores POS orders with their exact ids; only an attached customer gets the order', async () => {
    fake = await startFakeDotykacka({ now: NOW.getTime() - 60_000 });
    const c = await connectedShop(t, fake, { months: 0 });
    const shop = c.shop;
    const jana = fake.addCustomer({ email: 'Jana@Example.cz' });
    const withCustomer = fake.addOrder({ _customerId: jana.id });
    const anonymous = fake.addOrder({});
    const parked = fake.addOrder({ paid: false, status: 'parked', completed: null });
    await pullToEnd(t, c);
    const orders = await t.db
      .selectFrom('orders')
      .leftJoin('customers', 'customers.id', 'orders.customer_id')
      .select([
        'orders.external_id',
        'orders.total',
        'orders.paid_at',
        'customers.external_id as customer',
        'customers.email',
      ])
      .where('orders.shop_id', '=', shop.id)
      .orderBy('orders.external_id')
      .execute();
    expect(orders.map((o) => o.external_id)).toEqual(
      [withCustomer.id, anonymous.id, parked.id].map(String).sort(),
    );
    const byId = Object.fromEntries(orders.map((o) => [o.external_id, o]));
    expect(byId[String(withCustomer.id)]).toMatchObject({
      customer: String(jana.id),
      email: 'jana@example.cz',
    });
    expect(Number(byId[String(withCustomer.id)]!.total)).toBe(12000);
    expect(byId[String(anonymous.id)]!.customer).toBeNull();
    expect(byId[String(parked.id)]!.paid_at).toBeNull();
  });

  it('backfills history with storno documents as refunds: the figures equal the platform’s count', async () => {
    fake = await startFakeDotykacka({ now: NOW.getTime() });
    const from = new Date(NOW.getTime() - 60 * DAY);
    const seeded = await fake.seedHistory({
      orders: 1000,
      from,
      to: new Date(NOW.getTime() - DAY),
      refundEvery: 8,
      currency: 'CZK',
    });
    // the runtime's backfill of the last three months
    const c = await connectedShop(t, fake, { months: 3 });
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
  });

  it('never trusts a webhook body: a float id stored by mistake becomes nothing', async () => {
    fake = await startFakeDotykacka({ now: NOW.getTime() });
    const order = fake.addOrder({});
    const body = Buffer.from(fake.webhookBody(order.id));
    const commands = commandsForEvent(
      {
        shop_id: 'shp_x',
        id: 'evt_x',
        source: 'dotykacka',
        topic: 'ORDERBEAN',
        body,
        received_at: NOW,
      },
      NOW,
    );
    expect(commands).toEqual([
      { kind: 'ignore', reason: 'topic ORDERBEAN is not read: Dotykačka data comes from the pull' },
    ]);
  });
});

describe('the Dotykačka adapter alone', () => {
  it('reads its timestamps with their zone, and refuses a zone-less one', () => {
    expect(dotykackaTime('2026-01-01T12:00:00+0000')?.toISOString()).toBe(
      '2026-01-01T12:00:00.000Z',
    );
    expect(dotykackaTime('2026-01-01T13:00:00+0100')?.toISOString()).toBe(
      '2026-01-01T12:00:00.000Z',
    );
    expect(dotykackaTime(1767268800000)?.toISOString()).toBe('2026-01-01T12:00:00.000Z');
    expect(dotykackaTime('2026-01-01T12:00:00')).toBeNull();
    expect(() =>
      commandsFromDotykacka(
        'order',
        { order: { id: '1', currency: 'CZK', versionDate: '2026-01-01 12:00' } },
        NOW,
      ),
    ).toThrow(/versionDate/);
  });

  it('counts weighed goods as one line of their price, and skips cash movements', () => {
    const order = {
      id: '5',
      currency: 'CZK',
      versionDate: '2026-01-01T12:00:00+0000',
      created: '2026-01-01T11:59:00+0000',
      paid: true,
      totalValueRounded: 87.5,
      orderItems: [
        { id: '6', _productId: '7', name: 'Sýr', quantity: 0.35, totalPriceWithVat: 87.5 },
      ],
    };
    const [command] = commandsFromDotykacka('order', { order, customer: null }, NOW);
    expect(command).toMatchObject({
      kind: 'order',
      order: { total: 8750, lines: [{ quantity: 1, unitPrice: 8750 }], customer: null },
    });
    expect(
      commandsFromDotykacka('order', { order: { ...order, documentType: 'CASH_IN' } }, NOW)[0]!
        .kind,
    ).toBe('ignore');
  });
});
