import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { orderPaid, send } from '../points/support.ts';
import { attribute, campaign, codeOf, referralOf, signUp } from './support.ts';

const clock = fixedClock('2026-05-04T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep');
  await campaign(t, shop, {
    main: { referrer: { kind: 'points', points: 100 } },
    minOrderValue: 5000,
  });
  await signUp(t, shop, 'anna', { firstName: 'Anna' });
  await signUp(t, shop, 'basia', { firstName: 'Basia' });
  await attribute(t, shop, { customerId: 'basia', code: await codeOf(t, shop, 'anna') });
});
afterAll(() => t.close());

it('a small order and a qualifying one in one batch: the qualifying one counts', async () => {
  // Both orders are applied in one batch; the first is below the campaign's minimum.
  await send(
    t,
    shop,
    orderPaid('o1', 'basia', '2026-05-05T10:00:00Z', { total: 3000 }),
    orderPaid('o2', 'basia', '2026-05-06T10:00:00Z', { total: 7000 }),
  );
  const referral = await referralOf(t, shop, 'anna', 'basia');
  expect(referral.status).toBe('purchased');
});
