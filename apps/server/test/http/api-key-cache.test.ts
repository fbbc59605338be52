import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { CREDENTIAL_CACHE_LIMIT, Credentials } from '../../src/shops/credentials.ts';
import { BoundedCache } from '../../src/shared/bounded-cache.ts';

// Audit L8: failed key lookups are cached, and the cache was cleared whole at 10,000 entries,
// so a flood of random keys threw out the state of every valid key with it.
const clock = fixedClock('2026-05-04T10:00:00.000Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock, config: { couponRateLimit: 3 } });
  shop = await createTestShop(t);
});
afterAll(() => t?.close());

describe('the API key cache', () => {
  it('keeps a valid key through a flood of 20,000 bad ones, and stays within its limit', async () => {
    const credentials = new Credentials(t.db, t.clock, t.box);
    expect(await credentials.shopForApiKey(shop.apiKey)).toMatchObject({ id: shop.id });
    const bad = Array.from({ length: 20_000 }, (_, i) => `lojal_sk_flood${i}`);
    for (let i = 0; i < bad.length; i += 100) {
      const found = await Promise.all(
        bad.slice(i, i + 100).map((key) => credentials.shopForApiKey(key)),
      );
      expect(found.every((shopFound) => shopFound === null)).toBe(true);
    }
    // Still cached: revoked behind the cache's back (no forget()), it is still the shop's key
    // for the rest of its 5 seconds. Before the fix the flood had thrown it out.
    await t.db.updateTable('api_keys').set({ revoked_at: clock.now() }).execute();
    try {
      expect(await credentials.shopForApiKey(shop.apiKey)).toMatchObject({ id: shop.id });
    } finally {
      await t.db.updateTable('api_keys').set({ revoked_at: null }).execute();
    }
    const sizes = credentials.cacheSizes();
    expect(sizes.keys).toBe(1);
    expect(sizes.unknownKeys).toBe(CREDENTIAL_CACHE_LIMIT);
  }, 120_000);

  it('evicts the least recently used entry, one at a time', () => {
    const cache = new BoundedCache<string, number>(3);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('d', 4);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([1, 3, 4]);
    expect(cache.size).toBe(3);
  });
});

describe('the coupon validation limit (audit L8)', () => {
  it('is per shop: a second API key does not get a second allowance', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: bearer(shop.apiKey),
      payload: { label: 'second' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const second = created.json().apiKey as string;
    const validate = (key: string) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/coupons/validate',
        headers: bearer(key),
        payload: { code: 'NO-SUCH-CODE', cart: { currency: 'PLN', total: 1000 } },
      });
    // The limiter counts one-second windows of the real clock: start just after one begins.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
    const first = [];
    for (let i = 0; i < 3; i++) first.push((await validate(shop.apiKey)).statusCode);
    const other = await validate(second);
    expect(first).not.toContain(429);
    expect(other.statusCode).toBe(429);
    expect(other.headers['retry-after']).toBeDefined();
  });
});
