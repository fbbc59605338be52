import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestShop,
  expectProblem,
  type TestApp,
} from '../support/app.ts';

// What the OpenAPI fuzzer (fuzz.test.ts) found, each pinned by the request that showed it.
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
beforeAll(async () => {
  t = await createTestApp();
  shop = await createTestShop(t);
});
afterAll(() => t.close());

const json = () => ({ ...bearer(shop.apiKey), 'content-type': 'application/json' });

describe('what the OpenAPI fuzzer found', () => {
  it('a lone UTF-16 surrogate in a JSON string is refused with a 400 naming the field, not a 500', async () => {
    const rewards = await t.app.inject({ url: '/v1/rewards', headers: bearer(shop.apiKey) });
    const { id } = rewards.json()[0] as { id: string };
    const body = { name: { pl: 'LONE', en: 'ok' }, kind: 'custom_perk', pointsCost: 100 };
    const raw = JSON.stringify(body).replace('LONE', 'x\\udfffy');

    const res = await t.app.inject({
      method: 'PUT',
      url: `/v1/rewards/${id}`,
      headers: json(),
      payload: raw,
    });

    expectProblem(res, 400);
    expect(res.json().errors).toEqual([{ path: 'name.pl', message: expect.any(String) }]);
    const after = await t.app.inject({ url: '/v1/rewards', headers: bearer(shop.apiKey) });
    expect(after.json()[0]).toEqual(rewards.json()[0]);
  });

  it('a lone surrogate in an API event is refused before it is stored', async () => {
    const raw =
      '{"type":"customer.created","occurredAt":"2026-11-20T10:00:00Z","data":{"id":"c\\ud800"}}';

    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: json(),
      payload: raw,
    });

    expectProblem(res, 400);
    expect(res.json().errors).toEqual([{ path: 'data.id', message: expect.any(String) }]);
  });

  it('a path whose percent-escapes are not UTF-8 gets a 400 problem, not Fastify’s own JSON', async () => {
    const res = await t.app.inject({
      url: '/v1/customers/x%ED%A0%80y',
      headers: bearer(shop.apiKey),
    });

    expectProblem(res, 400);
    expect(res.json()).toMatchObject({ status: 400, type: '/problems/bad-request' });
  });

  it('a path segment past the length limit gets a 414 problem', async () => {
    const res = await t.app.inject({
      url: `/v1/customers/${'w'.repeat(1200)}`,
      headers: bearer(shop.apiKey),
    });

    expectProblem(res, 414);
    expect(res.json()).toMatchObject({ status: 414, title: expect.any(String) });
  });

  it('a coupon campaign id that cannot go in a header gets the 404 problem, not a broken answer', async () => {
    const res = await t.app.inject({
      url: `/v1/coupon-campaigns/${encodeURIComponent('kampania-żółta')}/codes.csv`,
      headers: bearer(shop.apiKey),
    });

    expectProblem(res, 404);
    expect(res.json()).toMatchObject({ status: 404, type: '/problems/not-found' });
  });
});
