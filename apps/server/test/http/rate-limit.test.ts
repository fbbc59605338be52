import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestShop,
  expectProblem,
  type TestApp,
} from '../support/app.ts';

let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
beforeAll(async () => {
  t = await createTestApp({ config: { apiRateLimit: 3, ingestRateLimit: 5 } });
  shop = await createTestShop(t);
});
afterAll(() => t.close());

describe('rate limits', () => {
  it('answer 429 with Retry-After once a shop exceeds its limit within a second', async () => {
    const answers = [];
    for (let i = 0; i < 10; i++) {
      answers.push(
        await t.app.inject({ method: 'GET', url: '/v1/shop', headers: bearer(shop.apiKey) }),
      );
    }
    const limited = answers.filter((a) => a.statusCode === 429);
    // 10 quick requests fall in one or two one-second windows: at most 3 + 3 pass
    expect(limited.length).toBeGreaterThanOrEqual(4);
    expect(limited.length).toBeLessThanOrEqual(7);
    expectProblem(limited[0]!, 429);
    expect(limited[0]!.headers['retry-after']).toBe('1');
  });

  it('count ingestion apart from the rest of the API, with its own higher limit', async () => {
    const other = await createTestShop(t, 'Inny');
    const codes = [];
    for (let i = 0; i < 4; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: bearer(other.apiKey),
        payload: { type: 'customer.created', id: `rl-${i}`, data: { id: `rl-${i}` } },
      });
      codes.push(res.statusCode);
    }
    expect(codes).toEqual([202, 202, 202, 202]);
  });
});
