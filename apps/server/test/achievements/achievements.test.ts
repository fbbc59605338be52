import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, checkLedgerInvariants, ledger, orderPaid, send } from '../points/support.ts';

const clock = fixedClock('2026-03-21T12:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep Odznaki');
  const define = async (key: string, body: object) => {
    const res = await call(t, shop, 'POST', '/v1/achievements', body);
    expect(res.statusCode, res.body).toBe(201);
    ids[key] = res.json().id;
  };
  await define('regular', {
    name: { pl: 'Stały bywalec', en: 'Regular' },
    condition: { kind: 'orders_count', threshold: 3, windowDays: 30 },
    points: 100,
  });
  await define('reviewer', {
    name: { pl: 'Pierwsza opinia', en: 'First review' },
    condition: { kind: 'activity_count', activity: 'review.created', threshold: 1 },
  });
  await define('tea', {
    name: { pl: 'Odkrywca herbat', en: 'Tea explorer' },
    condition: { kind: 'category_bought', categoryId: 'herbata' },
    points: 20,
  });
});
afterAll(() => t.close());

const order = (id: string, customer: string, at: string, lines?: object[]) =>
  orderPaid(id, customer, at, { total: 5000, ...(lines && { lines }) });

async function badges(customer: string) {
  const res = await call(t, shop, 'GET', `/v1/customers/${customer}/achievements`);
  expect(res.statusCode, res.body).toBe(200);
  return Object.fromEntries(
    (
      res.json().data as Array<{
        id: string;
        earned: boolean;
        progress: { current: number; target: number };
      }>
    ).map((a) => [Object.keys(ids).find((k) => ids[k] === a.id)!, a]),
  );
}

describe('achievements', () => {
  it('awards "3 orders in 30 days" once, with its points, and not for 3 orders spread wider', async () => {
    await send(
      t,
      shop,
      order('a1', 'ania', '2026-03-01T10:00:00Z'),
      order('a2', 'ania', '2026-03-15T10:00:00Z'),
      order('b1', 'bartek', '2026-01-01T10:00:00Z'),
      order('b2', 'bartek', '2026-02-15T10:00:00Z'),
    );
    expect((await badges('ania')).regular).toMatchObject({
      earned: false,
      progress: { current: 2, target: 3 },
    });
    await send(
      t,
      shop,
      order('a3', 'ania', '2026-03-20T10:00:00Z'),
      order('b3', 'bartek', '2026-03-20T10:00:00Z'),
    );
    expect((await badges('ania')).regular).toMatchObject({
      earned: true,
      progress: { current: 3, target: 3 },
    });
    expect((await badges('bartek')).regular).toMatchObject({ earned: false });
    await send(t, shop, order('a4', 'ania', '2026-03-21T10:00:00Z'));
    const rewarded = (await ledger(t, shop, 'ania')).filter(
      (e) => (e.cause.rule as { code?: string } | null)?.code === 'achievement',
    );
    expect(rewarded.map((e) => e.points)).toEqual([100]);
    await checkLedgerInvariants(t, shop.id);
  });

  it('awards a first review and a category explored', async () => {
    await send(t, shop, {
      type: 'review.created',
      id: 'rv-1',
      data: { customerId: 'ania', reviewId: 'rv-1' },
    });
    await send(
      t,
      shop,
      order('a5', 'ania', '2026-03-22T10:00:00Z', [
        { productId: 'sencha', categoryIds: ['herbata'], quantity: 1, price: 5000 },
      ]),
    );
    expect(await badges('ania')).toMatchObject({
      reviewer: { earned: true },
      tea: { earned: true },
    });
    expect(await badges('bartek')).toMatchObject({
      reviewer: { earned: false, progress: { current: 0, target: 1 } },
      tea: { earned: false },
    });
  });

  it('refuses an unknown condition with the field path, and retires an achievement', async () => {
    const bad = await call(t, shop, 'POST', '/v1/achievements', {
      name: 'x',
      condition: { kind: 'orders_count', threshold: 0 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('condition.threshold');
    expect((await call(t, shop, 'DELETE', `/v1/achievements/${ids.tea}`)).statusCode).toBe(204);
    expect((await badges('ania')).tea).toBeUndefined();
    expect((await call(t, shop, 'GET', '/v1/customers/nobody/achievements')).statusCode).toBe(404);
  });
});
