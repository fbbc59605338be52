import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { customerToken, storefrontSecret } from '../support/storefront.ts';

const clock = fixedClock('2026-05-04T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let secret: string;

beforeAll(async () => {
  t = await createTestApp({
    clock,
    config: { storefrontRateLimit: 8, storefrontCustomerRateLimit: 3 },
  });
  shop = await createTestShop(t);
  secret = await storefrontSecret(t, shop);
});
afterAll(() => t.close());

const me = (token: string, ip: string) =>
  t.app.inject({
    method: 'GET',
    url: `/storefront/v1/shops/${shop.id}/me`,
    headers: { authorization: `Bearer ${token}` },
    remoteAddress: ip,
  });

it('limits one customer whatever address they come from, and one address whoever it signs in', async () => {
  const ania = await customerToken(secret, 'ania', { now: clock.now() });
  const codes = [];
  for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'])
    codes.push((await me(ania, ip)).statusCode);
  expect(codes).toEqual([200, 200, 200, 429]);
  const limited = await me(ania, '10.0.0.5');
  expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

  // Eight calls a minute from one address in all, across customers.
  const statuses = [];
  for (let i = 0; i < 9; i++) {
    statuses.push(
      (await me(await customerToken(secret, `c${i}`, { now: clock.now() }), '10.0.9.9')).statusCode,
    );
  }
  expect(statuses.slice(0, 8).every((s) => s === 200)).toBe(true);
  expect(statuses[8]).toBe(429);

  // The next minute starts afresh.
  clock.set('2026-05-04T10:01:00Z');
  expect((await me(ania, '10.0.0.1')).statusCode).toBe(200);
});
