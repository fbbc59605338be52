import { afterEach, describe, expect, it } from 'vitest';
import { PlatformError } from '../../../src/connections/connector.ts';
import { CallSpacer } from '../../../src/connections/platform-http.ts';
import { baselinkerConnector } from '../../../src/platforms/baselinker/connector.ts';
import { startFakeBaseLinker, type FakeBaseLinker } from './fake-baselinker.ts';
import { connectorAlone, pullPages } from '../connector-alone.ts';

const NOW = new Date('2026-03-02T10:00:00Z');
const DAY = 86_400_000;
let fake: FakeBaseLinker;
afterEach(() => fake?.close());

const ctxFor = (f: FakeBaseLinker, now = NOW, extra: { spacer?: CallSpacer } = {}) =>
  connectorAlone(baselinkerConnector, {
    credentials: f.connection.credentials,
    settings: f.connection.settings,
    now,
    ...extra,
  });

const bodies = (records: Array<{ body: string }>) =>
  records.map((r) => JSON.parse(r.body) as { order?: { order_id: number }; orderId?: string });

describe('BaseLinker connector: test()', () => {
  it('accepts a good token and refuses a bad one as auth, with a message naming the token', async () => {
    fake = await startFakeBaseLinker({ now: NOW.getTime() });
    await expect(baselinkerConnector.test(ctxFor(fake))).resolves.toEqual({ accountName: null });
    const bad = connectorAlone(baselinkerConnector, {
      credentials: { token: 'wrong-token-000000' },
      settings: fake.connection.settings,
      now: NOW,
    });
    const error = await baselinkerConnector.test(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as PlatformError).kind).toBe('auth');
    expect((error as PlatformError).message).toMatch(/ERROR_BAD_TOKEN.*API token/);
  });

  it('says the journal is switched off when orders exist but the journal answers nothing', async () => {
    fake = await startFakeBaseLinker({ now: NOW.getTime() });
    fake.addOrder({});
    fake.setJournalEnabled(false);
    const error = (await baselinkerConnector
      .test(ctxFor(fake))
      .catch((e: unknown) => e)) as PlatformError;
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/journal .*switched off/);
  });
});

describe('BaseLinker connector: backfill', () => {
  it('reads 1,000 orders 100 a call and the returns after them, each once', async () => {
    fake = await startFakeBaseLinker({ now: NOW.getTime() });
    const from = new Date(NOW.getTime() - 60 * DAY);
    const seeded = await fake.seedHistory({
      orders: 1000,
      from,
      to: new Date(NOW.getTime() - DAY),
      refundEvery: 10,
      currency: 'PLN',
    });
    const { records } = await pullPages(baselinkerConnector, ctxFor(fake), {
      mode: 'backfill',
      since: from,
      until: NOW,
    });
    const orders = records.filter((r) => r.topic === 'order');
    const returns = records.filter((r) => r.topic === 'return');
    expect(orders).toHaveLength(seeded.orders);
    expect(new Set(orders.map((r) => r.key)).size).toBe(seeded.orders);
    expect(returns).toHaveLength(seeded.refunds);
    const getOrders = fake.methods().filter((m) => m === 'getOrders').length;
    expect(getOrders).toBe(11); // 10 full pages, then one that is short
  });

  it('loses no order when many share one confirmation second, even more than 100', async () => {
    fake = await startFakeBaseLinker({ now: NOW.getTime() - 10 * DAY });
    const crowded = Math.floor((NOW.getTime() - 10 * DAY) / 1000);
    // 40 earlier, 250 in one second, 30 later; and one page that ends inside a shared second
    for (let i = 0; i < 40; i++) fake.addOrder({ date_confirmed: crowded - 100 + i });
    for (let i = 0; i < 250; i++) fake.addOrder({ date_confirmed: crowded });
    for (let i = 0; i < 30; i++) fake.addOrder({ date_confirmed: crowded + 1 + Math.floor(i / 7) });
    const { records } = await pullPages(baselinkerConnector, ctxFor(fake), {
      mode: 'backfill',
      since: new Date((crowded - 1000) * 1000),
      until: NOW,
    });
    const ids = bodies(records.filter((r) => r.topic === 'order')).map((b) => b.order!.order_id);
    expect(ids).toHaveLength(320);
    expect(new Set(ids).size).toBe(320);
  });

  it('stops at `until`: orders confirmed after the connection started are left to sync', async () => {
    fake = await startFakeBaseLinker({ now: NOW.getTime() });
    const at = (ms: number) => Math.floor(ms / 1000);
    fake.addOrder({ date_confirmed: at(NOW.getTime() - 2 * DAY) });
    fake.addOrder({ date_confirmed: at(NOW.getTime() + 1000) });
    const { records } = await pullPages(baselinkerConnector, ctxFor(fake), {
      mode: 'backfill',
      since: new Date(NOW.getTime() - 5 * DAY),
      until: NOW,
    });
    expect(records.filter((r) => r.topic === 'order')).toHaveLength(1);
  });
});

describe('BaseLinker connector: sync from the journal', () => {
  it('follows the journal from the last log id: new, paid, status-changed and removed orders', async () => {
    fake = await startFakeBaseLinker({ now: NOW.getTime() - 60_000 });
    const ctx = ctxFor(fake);
    const since = new Date(NOW.getTime() - 10 * 60_000);
    fake.setNow(NOW.getTime() - 20 * 60_000);
    fake.addOrder({ order_id: 1 }); // before the connection: not synced
    fake.setNow(NOW.getTime() - 60_000);
    fake.addOrder({ order_id: 2 });
    fake.addOrder({ order_id: 3 });
    const first = await pullPages(baselinkerConnector, ctx, { mode: 'sync', since });
    expect(bodies(first.records).map((b) => b.order?.order_id)).toEqual([2, 3]);
    expect(first.reachedAt).toEqual(NOW); // read to the end: no lag

    fake.updateOrder(2, { payment_done: 49.99 }, 3);
    fake.updateOrder(3, { order_status_id: 9 }, 18);
    fake.removeOrder(2);
    fake.addOrder({ order_id: 4 });
    const second = await pullPages(baselinkerConnector, ctx, {
      mode: 'sync',
      since,
      cursor: first.cursor,
    });
    expect(second.records.map((r) => r.topic)).toEqual(['order.removed', 'order', 'order']);
    expect(second.records[0]!.key).toMatch(/^order:2@removed:/);
    expect(bodies(second.records).map((b) => b.order?.order_id ?? b.orderId)).toEqual(['2', 3, 4]);

    const third = await pullPages(baselinkerConnector, ctx, {
      mode: 'sync',
      since,
      cursor: second.cursor,
    });
    expect(third.records).toEqual([]);
  });

  it('pages a busy journal 20 orders at a time, and a re-read of the same events has the same keys', async () => {
    fake = await startFakeBaseLinker({ now: NOW.getTime() - 60_000 });
    for (let i = 0; i < 45; i++) fake.addOrder({});
    const ctx = ctxFor(fake);
    const page1 = await baselinkerConnector.pull(ctx, {
      cursor: null,
      mode: 'sync',
      since: new Date(NOW.getTime() - DAY),
      until: null,
    });
    expect(page1.records).toHaveLength(20);
    expect(page1.done).toBe(false);
    const again = await baselinkerConnector.pull(ctx, {
      cursor: null,
      mode: 'sync',
      since: new Date(NOW.getTime() - DAY),
      until: null,
    });
    expect(again.records.map((r) => r.key)).toEqual(page1.records.map((r) => r.key));
    const rest = await pullPages(baselinkerConnector, ctx, {
      mode: 'sync',
      since: new Date(NOW.getTime() - DAY),
      cursor: page1.cursor,
    });
    expect(rest.records).toHaveLength(25);
  });

  it('after a gap longer than the 3-day journal, re-reads new orders by date before resuming', async () => {
    fake = await startFakeBaseLinker({ now: NOW.getTime() });
    const ctx = ctxFor(fake);
    const since = new Date(NOW.getTime() - 60_000);
    const first = await pullPages(baselinkerConnector, ctx, { mode: 'sync', since });
    expect(first.records).toEqual([]);
    // Lojal down for 5 days; orders come in all along; the journal keeps only the last 3 days
    for (let day = 1; day <= 5; day++) {
      fake.setNow(NOW.getTime() + day * DAY);
      fake.addOrder({ order_id: 100 + day });
    }
    const later = new Date(NOW.getTime() + 5 * DAY + 60_000);
    const after = await pullPages(baselinkerConnector, ctxFor(fake, later), {
      mode: 'sync',
      since,
      cursor: first.cursor,
    });
    const ids = new Set(bodies(after.records).map((b) => b.order?.order_id));
    expect([...ids].sort()).toEqual([101, 102, 103, 104, 105]);
  });

  it('declares a lag past 3 days as the retention the runtime alerts on', () => {
    expect(baselinkerConnector.retentionMs).toBe(3 * DAY);
    expect(baselinkerConnector.rateLimit).toEqual({ requests: 100, perMs: 60_000 });
  });
});

describe('BaseLinker connector: errors and limits', () => {
  it("turns BaseLinker's limit answer (HTTP 200) into rate-limited with a wait, and holds the spacer", async () => {
    fake = await startFakeBaseLinker({ now: NOW.getTime(), limit: 3 });
    // a spacer looser than BaseLinker's limit, to provoke the limit answer; its clock is ours
    let clock = 0;
    const waits: number[] = [];
    const spacer = new CallSpacer(
      { requests: 1000, perMs: 60_000 },
      async (ms) => {
        waits.push(ms);
        clock += ms;
      },
      () => clock,
    );
    const ctx = ctxFor(fake, NOW, { spacer });
    await baselinkerConnector.test(ctx); // three calls: the status list, the journal, recent orders
    const error = (await baselinkerConnector
      .pull(ctx, { cursor: null, mode: 'sync', since: NOW, until: null })
      .catch((e: unknown) => e)) as PlatformError;
    expect(error.kind).toBe('rate-limited');
    expect(error.details.retryAfterMs).toBe(60_000);
    // the throttle hook held every further call of the connection for that long
    await spacer.take();
    expect(waits).toEqual([60_000]);
  });

  it('is unavailable while BaseLinker is down, and loses nothing once it is back', async () => {
    fake = await startFakeBaseLinker({ now: NOW.getTime() - 60_000 });
    fake.addOrder({ order_id: 7 });
    const ctx = ctxFor(fake);
    fake.setDown(true);
    const error = (await baselinkerConnector
      .pull(ctx, { cursor: null, mode: 'sync', since: new Date(NOW.getTime() - DAY), until: null })
      .catch((e: unknown) => e)) as PlatformError;
    expect(error.kind).toBe('unavailable');
    fake.setDown(false);
    const { records } = await pullPages(baselinkerConnector, ctx, {
      mode: 'sync',
      since: new Date(NOW.getTime() - DAY),
    });
    expect(bodies(records).map((b) => b.order?.order_id)).toEqual([7]);
  });

  it('refuses settings that are not a URL or status ids', () => {
    expect(() => baselinkerConnector.settingsSchema.parse({ apiUrl: 'ftp://x' })).toThrow();
    expect(() =>
      baselinkerConnector.settingsSchema.parse({ cancelledStatusIds: ['abc'] }),
    ).toThrow();
    expect(baselinkerConnector.settingsSchema.parse({ cancelledStatusIds: [9] })).toMatchObject({
      cancelledStatusIds: ['9'],
    });
  });
});
