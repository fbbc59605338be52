import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventProcessor } from '../../src/ingest/event-processor.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { bearer, createTestApp, createTestShop, type TestApp } from '../support/app.ts';
import { reactions } from '../../src/app/reactions.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const customer = (id: string) => ({
  type: 'customer.created',
  id,
  data: { id, email: `${id}@example.pl` },
});

async function statusesOf(shopId: string) {
  const rows = await t.db
    .selectFrom('inbound_events')
    .select('status')
    .where('shop_id', '=', shopId)
    .execute();
  return rows.map((r) => r.status);
}

describe('the event processor', () => {
  it("serves shops in turn, so one shop's backlog does not hold up another shop", async () => {
    const big = await createTestShop(t, 'Big');
    const small = await createTestShop(t, 'Small');
    for (let i = 0; i < 30; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: bearer(big.apiKey),
        payload: customer(`b${i}`),
      });
    }
    await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: bearer(small.apiKey),
      payload: customer('s1'),
    });
    const processor = new EventProcessor(t.db, t.clock, silentLogger, { batchSize: 10, reactions });
    await processor.processBatch();
    await processor.processBatch();
    // two batches of 10: one went to each shop, whichever came first
    expect(await statusesOf(small.id)).toEqual(['processed']);
    expect((await statusesOf(big.id)).filter((s) => s === 'processed')).toHaveLength(10);
    await processor.drain();
    expect((await statusesOf(big.id)).every((s) => s === 'processed')).toBe(true);
  });

  it("parks a shop's broken event even while other shops keep sending", async () => {
    const broken = await createTestShop(t, 'Broken');
    const busy = await createTestShop(t, 'Busy');
    const send = (key: string, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: '/v1/events', headers: bearer(key), payload });
    await send(broken.apiKey, {
      type: 'order.paid',
      id: 'bo-1',
      data: { id: 'bo-1', currency: 'PLN', total: 1000, createdAt: '2026-11-20T10:00:00Z' },
    });
    await t.processor.drain();
    // a refund in another currency than its order cannot apply; the customer next to it can
    const bad = await send(broken.apiKey, {
      type: 'order.refunded',
      id: 'br-1',
      data: { orderId: 'bo-1', refundId: 'r1', amount: 10, currency: 'EUR' },
    });
    await send(broken.apiKey, customer('bc-1'));
    const processor = new EventProcessor(t.db, t.clock, silentLogger, { batchSize: 10, reactions });
    for (let i = 0; i < 6; i++) {
      await send(busy.apiKey, customer(`busy-${i}`));
      await processor.processBatch();
    }
    const badRow = await t.db
      .selectFrom('inbound_events')
      .select(['status', 'reason'])
      .where('id', '=', bad.json().eventId)
      .executeTakeFirstOrThrow();
    expect(badRow.status).toBe('failed');
    expect(badRow.reason).toContain('EUR');
    expect((await statusesOf(broken.id)).sort()).toEqual(['failed', 'processed', 'processed']);
  });
});
