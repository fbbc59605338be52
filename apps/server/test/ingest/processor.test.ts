import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventProcessor } from '../../src/ingest/event-processor.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { bearer, createTestApp, createTestShop, type TestApp } from '../support/app.ts';

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
    const processor = new EventProcessor(t.db, t.clock, silentLogger, { batchSize: 10 });
    await processor.processBatch();
    await processor.processBatch();
    // two batches of 10: one went to each shop, whichever came first
    expect(await statusesOf(small.id)).toEqual(['processed']);
    expect((await statusesOf(big.id)).filter((s) => s === 'processed')).toHaveLength(10);
    await processor.drain();
    expect((await statusesOf(big.id)).every((s) => s === 'processed')).toBe(true);
  });
});
