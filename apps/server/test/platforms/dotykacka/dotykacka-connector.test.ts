import { afterEach, describe, expect, it } from 'vitest';
import { PlatformError } from '../../../src/connections/connector.ts';
import { dotykackaConnector } from '../../../src/platforms/dotykacka/connector.ts';
import { parseJsonLossless } from '../../../src/shared/json.ts';
import { connectorAlone, pullPages } from '../connector-alone.ts';
import { startFakeDotykacka, type FakeDotykacka } from './fake-dotykacka.ts';

const NOW = new Date('2026-03-02T10:00:00Z');
const DAY = 86_400_000;
let fake: FakeDotykacka;
afterEach(() => fake?.close());

const ctxFor = (f: FakeDotykacka, credentials = f.connection.credentials) =>
  connectorAlone(dotykackaConnector, { credentials, settings: f.connection.settings, now: NOW });

const orderIds = (records: Array<{ body: string }>) =>
  records.map((r) => (parseJsonLossless(r.body) as { order: { id: string } }).order.id);

describe('Dotykačka connector', () => {
  it('signs in with the refresh token and names the cloud; a revoked token is an auth problem', async () => {
    fake = await startFakeDotykacka({ now: NOW.getTime() });
    await expect(dotykackaConnector.test(ctxFor(fake))).resolves.toEqual({
      accountName: 'Kavárna U Lojalu',
    });
    const error = (await dotykackaConnector
      .test(ctxFor(fake, { refreshToken: 'revoked-token-000000', cloudId: fake.cloudId }))
      .catch((e: unknown) => e)) as PlatformError;
    expect(error).toBeInstanceOf(PlatformError);
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/connect the cloud to Lojal again/);
    const wrongCloud = (await dotykackaConnector
      .test(ctxFor(fake, { refreshToken: 'dt-refresh-0123456789abcdef', cloudId: '1' }))
      .catch((e: unknown) => e)) as PlatformError;
    expect(wrongCloud.kind).toBe('auth');
  });

  it('reads ids beyond 2^53 exactly, as strings, in keys and bodies', async () => {
    fake = await startFakeDotykacka({ now: NOW.getTime() - 60_000 });
    const order = fake.addOrder({ id: 9_007_199_254_740_993n }); // 2^53 + 1
    const { records } = await pullPages(dotykackaConnector, ctxFor(fake), {
      mode: 'sync',
      since: new Date(NOW.getTime() - DAY),
    });
    expect(orderIds(records)).toEqual([String(order.id)]);
    expect(records[0]!.key).toBe(`order:9007199254740993@2026-03-02T09:59:00.000Z`);
    expect(records[0]!.body).toContain('"id":"9007199254740993"');
  });

  it('backfills by versionDate 100 a page, each order once, with one sign-in per page', async () => {
    fake = await startFakeDotykacka({ now: NOW.getTime() });
    const from = new Date(NOW.getTime() - 30 * DAY);
    await fake.seedHistory({
      orders: 450,
      from,
      to: new Date(NOW.getTime() - DAY),
      refundEvery: 9,
      currency: 'CZK',
    });
    const { records, pages } = await pullPages(dotykackaConnector, ctxFor(fake), {
      mode: 'backfill',
      since: from,
      until: NOW,
    });
    expect(records).toHaveLength(450 + 50);
    expect(new Set(orderIds(records)).size).toBe(500);
    expect(fake.signIns()).toBe(pages);
  });

  it('pages changes that share one versionDate, over 100 of them, without losing or repeating one', async () => {
    fake = await startFakeDotykacka({ now: NOW.getTime() - 60_000 });
    const instant = NOW.getTime() - 60_000;
    for (let i = 0; i < 30; i++) fake.addOrder({ versionDate: instant - 1000 + i });
    for (let i = 0; i < 230; i++) fake.addOrder({ versionDate: instant });
    for (let i = 0; i < 20; i++) fake.addOrder({ versionDate: instant + 1 + i });
    const { records } = await pullPages(dotykackaConnector, ctxFor(fake), {
      mode: 'sync',
      since: new Date(instant - 10_000),
    });
    expect(records).toHaveLength(280);
    expect(new Set(orderIds(records)).size).toBe(280);
  });

  it('catches a change announced by a webhook on the next pull, by the order’s exact id', async () => {
    fake = await startFakeDotykacka({ now: NOW.getTime() - 120_000 });
    const order = fake.addOrder({ paid: false, status: 'parked', completed: null });
    const ctx = ctxFor(fake);
    const since = new Date(NOW.getTime() - DAY);
    const first = await pullPages(dotykackaConnector, ctx, { mode: 'sync', since });
    expect(first.records).toHaveLength(1);
    // the order is paid; Dotykačka sends its unsigned webhook with the id as a float
    fake.setNow(NOW.getTime() - 60_000);
    fake.updateOrder(order.id, { paid: true, status: 'closed', completed: NOW.getTime() - 60_000 });
    const hook = parseJsonLossless(fake.webhookBody(order.id)) as { id: number };
    expect(String(hook.id)).not.toBe(String(order.id)); // its digits are lost
    // the wake-up pull (what POST /v1/hooks/… schedules) brings the paid version, exact
    const second = await pullPages(dotykackaConnector, ctx, {
      mode: 'sync',
      since,
      cursor: first.cursor,
    });
    expect(orderIds(second.records)).toEqual([String(order.id)]);
    expect(second.records[0]!.key).not.toBe(first.records[0]!.key);
    expect(second.reachedAt).toEqual(NOW);
  });

  it('is rate-limited on its 429 with the Retry-After wait, and unavailable while down', async () => {
    fake = await startFakeDotykacka({ now: NOW.getTime(), limit: 1 });
    const ctx = ctxFor(fake);
    const error = (await dotykackaConnector
      .pull(ctx, { cursor: null, mode: 'sync', since: NOW, until: null })
      .catch((e: unknown) => e)) as PlatformError;
    expect(error.kind).toBe('rate-limited');
    expect(error.details.retryAfterMs).toBeGreaterThan(50_000);
    fake.setDown(true);
    const down = (await dotykackaConnector
      .test(ctxFor(fake))
      .catch((e: unknown) => e)) as PlatformError;
    expect(down.kind).toBe('unavailable');
  });

  it('creates no codes: Dotykačka has no checkout codes', () => {
    expect(dotykackaConnector.pushCodes).toBeUndefined();
    expect(dotykackaConnector.disableCode).toBeUndefined();
  });
});
