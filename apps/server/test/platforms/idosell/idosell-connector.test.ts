import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CallSpacer, platformHttp } from '../../../src/connections/platform-http.ts';
import type {
  ConnectorContext,
  PullInput,
  PulledRecord,
} from '../../../src/connections/connector.ts';
import {
  idosellConnector,
  type IdoSellCredentials,
  type IdoSellSettings,
} from '../../../src/platforms/idosell/connector.ts';
import {
  commandsFromIdoSell,
  idosellEnvelope,
  DEFAULT_IDOSELL_STATUSES,
} from '../../../src/ingest/idosell.ts';
import { InboxWriter } from '../../../src/ingest/inbox-writer.ts';
import { parseJsonLossless } from '../../../src/shared/json.ts';
import { createTestApp, createTestShop, type TestApp } from '../../support/app.ts';
import { startFakeIdoSell, type FakeIdoSell } from './fake-idosell.ts';

let fake: FakeIdoSell | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const NOW = new Date('2026-03-02T10:00:00Z');

function contextFor(
  f: FakeIdoSell,
  over: { credentials?: IdoSellCredentials; settings?: Partial<IdoSellSettings> } = {},
): ConnectorContext<IdoSellCredentials, IdoSellSettings> {
  return {
    shopId: 'shp_x',
    connectionId: 'con_x',
    credentials: over.credentials ?? (f.connection.credentials as IdoSellCredentials),
    settings: idosellConnector.settingsSchema.parse({
      ...(f.connection.settings as object),
      ...over.settings,
    }),
    http: platformHttp({
      connector: idosellConnector as never,
      // the fake's own limit is what the spacing must keep; tests run it faster
      spacer: new CallSpacer({ requests: 50, perMs: 1000 }),
      policy: { ports: 'any', privateNetworks: true },
    }),
    shop: { timezone: 'Europe/Warsaw', currency: 'PLN', publicUrl: 'http://localhost:3000' },
    now: NOW,
  };
}

async function pullAll(
  ctx: ConnectorContext<IdoSellCredentials, IdoSellSettings>,
  input: Omit<PullInput, 'cursor'>,
) {
  let cursor: PullInput['cursor'] = null;
  const records: PulledRecord[] = [];
  for (let i = 0; i < 100; i++) {
    const page = await idosellConnector.pull(ctx, { ...input, cursor });
    for (const r of page.records) if (!records.some((x) => x.key === r.key)) records.push(r);
    cursor = page.cursor;
    if (page.done) return { records, reachedAt: page.reachedAt, total: page.total };
  }
  throw new Error('the pull never finished');
}

const searches = (f: FakeIdoSell) =>
  f.calls().filter((c) => c.path.endsWith('/orders/orders/search'));

describe('the IdoSell connector', () => {
  it('is sparing: a pull every 15 minutes at most, overlapping the last by a few minutes', () => {
    expect(idosellConnector.pullEveryMs).toBeGreaterThanOrEqual(15 * 60_000);
    expect(idosellConnector.overlapMs).toBeGreaterThan(0);
    expect(idosellConnector.overlapMs).toBeLessThanOrEqual(5 * 60_000);
    expect(idosellConnector.pushCodes).toBeUndefined();
  });

  it('proves the key with one call, and names a wrong key as an auth error', async () => {
    fake = await startFakeIdoSell();
    await expect(idosellConnector.test(contextFor(fake))).resolves.toEqual({
      accountName: new URL(fake.url).host,
    });
    expect(searches(fake)).toHaveLength(1);
    await expect(
      idosellConnector.test(contextFor(fake, { credentials: { apiKey: 'zly-klucz-api-1234' } })),
    ).rejects.toMatchObject({ kind: 'auth' });
    await expect(
      idosellConnector.test(contextFor(fake, { settings: { apiVersion: 'v3' } })),
    ).rejects.toMatchObject({ kind: 'address' });
  });

  it('costs one call when nothing changed, and one per 100 changed orders', async () => {
    fake = await startFakeIdoSell();
    const ctx = contextFor(fake);
    const since = new Date('2026-03-02T09:40:00Z');
    const empty = await pullAll(ctx, { mode: 'sync', since, until: null });
    expect(empty.records).toEqual([]);
    expect(searches(fake)).toHaveLength(1);
    // the window is fixed: the run read everything up to its start
    expect(empty.reachedAt).toEqual(NOW);

    for (let i = 0; i < 250; i++) {
      fake.addOrder({
        serial: 5000 + i,
        added: '2026-03-02 10:00:00',
        changed: '2026-03-02 10:50:00',
        status: 'new',
        products: 1000,
      });
    }
    const before = searches(fake).length;
    const full = await pullAll(ctx, { mode: 'sync', since, until: null });
    expect(full.records).toHaveLength(250);
    expect(searches(fake).length - before).toBe(3);
  });

  it('backfills history in one fixed window and equals the direct count, refunds included', async () => {
    fake = await startFakeIdoSell();
    const from = new Date('2025-03-01T00:00:00Z');
    const to = new Date('2026-03-01T00:00:00Z');
    const seeded = await fake.seedHistory({
      orders: 230,
      from,
      to,
      refundEvery: 9,
      currency: 'PLN',
    });
    const { records, total } = await pullAll(contextFor(fake), {
      mode: 'backfill',
      since: from,
      until: to,
    });
    expect(records).toHaveLength(seeded.orders);
    expect(total).toBe(seeded.orders);
    const commands = records.flatMap((r) =>
      commandsFromIdoSell(r.topic, parseJsonLossless(r.body), NOW),
    );
    const refunds = commands.flatMap((c) => (c.kind === 'refund' ? [c.refund] : []));
    expect(refunds).toHaveLength(seeded.refunds);
    expect(refunds.reduce((s, r) => s + r.amount, 0)).toBe(seeded.refunded);
    const orders = commands.flatMap((c) => (c.kind === 'order' ? [c.order] : []));
    expect(orders.reduce((s, o) => s + o.total, 0)).toBe(seeded.revenue);
    expect(searches(fake)).toHaveLength(3);
  });

  it('reads again what moved up when an order leaves the window while a run reads it', async () => {
    fake = await startFakeIdoSell();
    for (let i = 0; i < 150; i++) {
      fake.addOrder({
        serial: 100 + i,
        added: '2026-03-02 09:00:00',
        changed: '2026-03-02 10:30:00',
        status: 'new',
        products: 500,
      });
    }
    // between pages 0 and 1 an order of page 0 changes again (its time is now after the window)
    fake.beforePage(1, () => fake!.setStatus(110, 'finished', '2026-03-02 11:30:00'));
    const { records } = await pullAll(contextFor(fake), {
      mode: 'sync',
      since: new Date('2026-03-02T09:00:00Z'),
      until: null,
    });
    const serials = new Set(records.map((r) => /^order:(\d+)@/.exec(r.key)![1]));
    // every order still in the window was read (110 is read by the next run, its time being later)
    for (let i = 0; i < 150; i++)
      if (100 + i !== 110) expect(serials.has(String(100 + i))).toBe(true);
  });

  it('surfaces an outage as unavailable for the runtime to retry', async () => {
    fake = await startFakeIdoSell();
    fake.setDown(true);
    await expect(
      idosellConnector.pull(contextFor(fake), {
        cursor: null,
        mode: 'sync',
        since: NOW,
        until: null,
      }),
    ).rejects.toMatchObject({ kind: 'unavailable' });
  });
});

describe('the IdoSell adapter', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const order = (over: Record<string, unknown> = {}) => ({
    orderId: 'sklep-1234',
    orderSerialNumber: 1234,
    clientResult: {
      clientAccount: { clientId: 88, clientEmail: 'jan@example.pl', clientPhone1: '600100200' },
      clientBillingAddress: { clientFirstName: 'Jan', clientLastName: 'Kowalski' },
    },
    orderDetails: {
      orderStatus: 'finished',
      orderAddDate: '2025-03-30 02:30:00',
      orderChangeDate: '2025-03-30 03:30:00',
      payments: {
        orderCurrency: {
          currencyId: 'PLN',
          orderProductsCost: 120.5,
          orderDeliveryCost: 9.99,
          orderPayformCost: 0,
          orderInsuranceCost: 0,
        },
      },
      productsResults: [
        {
          productId: 31,
          sizeId: 'uniw',
          productName: 'Kawa',
          productCode: 'K1',
          productQuantity: 1,
          productOrderPrice: 120.5,
        },
      ],
      ...over,
    },
  });
  const envelope = (data: unknown) =>
    idosellEnvelope(
      { timezone: 'Europe/Warsaw', statuses: DEFAULT_IDOSELL_STATUSES },
      JSON.stringify(data),
    );

  it('keys orders by orderSerialNumber (a string), reads zone-less times in Warsaw across the spring change', () => {
    const [c] = commandsFromIdoSell('order', parseJsonLossless(envelope(order())), NOW);
    expect(c).toMatchObject({
      kind: 'order',
      order: {
        externalId: '1234',
        total: 13049,
        shipping: 999,
        customer: { externalId: '88', email: 'jan@example.pl' },
        lines: [{ productId: '31', variantId: 'uniw', unitPrice: 12050 }],
      },
    });
    const o = c?.kind === 'order' ? c.order : null;
    // 02:30 does not exist that night (clocks jump 02:00 → 03:00): read as 02:30 CET
    expect(o!.placedAt).toEqual(new Date('2025-03-30T01:30:00Z'));
    expect(o!.asOf).toEqual(new Date('2025-03-30T01:30:00Z'));
    expect(o!.paidAt).not.toBeNull();
  });

  it('stores and applies pulled orders: a cancellation, and a return as one full refund', async () => {
    const shop = await createTestShop(t, 'Sklep IdoSell');
    const inbox = new InboxWriter(t.db);
    const write = (key: string, data: unknown) =>
      inbox.write({
        shopId: shop.id,
        source: 'idosell',
        topic: 'order',
        deliveryId: `pull:${key}`,
        idempotencyKey: null,
        requestHash: null,
        verified: true,
        headers: {},
        body: Buffer.from(envelope(data)),
        occurredAt: null,
      });
    await write('order:1234@a', order());
    await write(
      'order:1234@b',
      order({ orderStatus: 'returned', orderChangeDate: '2025-04-02 12:00:00' }),
    );
    await write(
      'order:1234@c',
      order({ orderStatus: 'returned', orderChangeDate: '2025-04-03 12:00:00' }),
    );
    await write('order:77@a', { ...order({ orderStatus: 'canceled' }), orderSerialNumber: 77 });
    await t.processor.drain();
    const rows = await t.db
      .selectFrom('orders')
      .select(['external_id', 'refunded_amount', 'cancelled_at', 'paid_at'])
      .where('shop_id', '=', shop.id)
      .orderBy('external_id')
      .execute();
    expect(rows).toMatchObject([
      { external_id: '1234', refunded_amount: 13049, cancelled_at: null },
      { external_id: '77', refunded_amount: 0, cancelled_at: expect.any(Date), paid_at: null },
    ]);
  });
});
