import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, expectProblem, type TestApp } from '../support/app.ts';
import { call } from '../points/support.ts';

type Shop = Awaited<ReturnType<typeof createTestShop>>;
let t: TestApp;
let shopA: Shop;
let shopB: Shop;

/** A shop's own reward, segment and webhook endpoint. */
async function ownIds(shop: Shop) {
  const reward = (await call(t, shop, 'GET', '/v1/rewards')).json()[0].id as string;
  const segment = await call(t, shop, 'POST', '/v1/segments', {
    name: 'Stali',
    rules: { fact: 'orders_count', op: 'gte', value: 2 },
  });
  const endpoint = await call(t, shop, 'POST', '/v1/webhook-endpoints', {
    url: 'https://93.184.215.14/hook',
  });
  return { reward, segment: segment.json().id as string, endpoint: endpoint.json().id as string };
}

let a: Awaited<ReturnType<typeof ownIds>>;
let b: Awaited<ReturnType<typeof ownIds>>;
beforeAll(async () => {
  t = await createTestApp();
  shopA = await createTestShop(t, 'Sklep A');
  shopB = await createTestShop(t, 'Sklep B');
  a = await ownIds(shopA);
  b = await ownIds(shopB);
});
afterAll(async () => {
  await t.close();
});

const flow = (ids: { reward: string; segment: string; endpoint: string }) => ({
  name: 'Odwołania',
  definition: {
    trigger: { type: 'customer.created' },
    steps: [
      { id: 'check', type: 'condition', segmentId: ids.segment, else: 'exit' },
      { id: 'hook', type: 'webhook', endpointId: ids.endpoint },
      { id: 'gift', type: 'grant', grant: { kind: 'reward', rewardId: ids.reward } },
    ],
  },
});

const flowCount = async (shop: Shop) =>
  (await t.db.selectFrom('flows').select('id').where('shop_id', '=', shop.id).execute()).length;

describe("a flow naming another shop's ids", () => {
  it.each([
    ['reward', 'definition.steps.2.grant.rewardId'],
    ['segment', 'definition.steps.0.segmentId'],
    ['endpoint', 'definition.steps.1.endpointId'],
  ] as const)(
    "is refused with 422 for shop A's %s, naming its path, and nothing is stored",
    async (kind, path) => {
      const before = await flowCount(shopB);
      const res = await call(t, shopB, 'POST', '/v1/flows', flow({ ...b, [kind]: a[kind] }));
      expectProblem(res, 422);
      expect(res.json().errors).toEqual([{ path, message: expect.stringContaining(a[kind]) }]);
      expect(res.json().messages.pl).toMatch(/^1 odwołanie nie wskazuje/);
      expect(await flowCount(shopB)).toBe(before);
    },
  );

  it('is refused for ids that exist nowhere, every bad path named', async () => {
    const res = await call(
      t,
      shopB,
      'POST',
      '/v1/flows',
      flow({ reward: 'rwd_x', segment: 'seg_x', endpoint: 'whe_x' }),
    );
    expectProblem(res, 422);
    expect(
      res
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual([
      'definition.steps.0.segmentId',
      'definition.steps.1.endpointId',
      'definition.steps.2.grant.rewardId',
    ]);
    expect(res.json().messages.pl).toMatch(/^3 odwołania nie wskazują/);
  });

  it('saves with its own ids and a built-in segment, and refuses an update naming another shop', async () => {
    const own = await call(t, shopB, 'POST', '/v1/flows', flow(b));
    expect(own.statusCode, own.body).toBe(201);
    const builtIn = await call(t, shopB, 'POST', '/v1/flows', flow({ ...b, segment: 'vip' }));
    expect(builtIn.statusCode, builtIn.body).toBe(201);
    const id = own.json().id as string;
    const res = await call(t, shopB, 'PUT', `/v1/flows/${id}`, {
      definition: flow({ ...b, reward: a.reward }).definition,
    });
    expectProblem(res, 422);
    expect(res.json().errors[0].path).toBe('definition.steps.2.grant.rewardId');
    const stored = await call(t, shopB, 'GET', `/v1/flows/${id}`);
    expect(stored.json().version).toBe(1);
  });
});

describe('a flow sending a template', () => {
  const sending = (template: string) => ({
    name: 'Szablon',
    definition: {
      trigger: { type: 'customer.created' },
      steps: [{ id: 'mail', type: 'send', channel: 'email', template, purpose: 'loyalty' }],
    },
  });

  it('saves with a ready-made template and is refused with 422 for one no shop has', async () => {
    const ready = await call(t, shopB, 'POST', '/v1/flows', sending('birthday'));
    expect(ready.statusCode, ready.body).toBe(201);
    const res = await call(t, shopB, 'POST', '/v1/flows', sending('nie-ma-takiego'));
    expectProblem(res, 422);
    expect(res.json().errors).toEqual([
      {
        path: 'definition.steps.0.template',
        message: 'no message template nie-ma-takiego in this shop',
      },
    ]);
  });
});

describe("a referral campaign naming another shop's reward", () => {
  const campaign = (rewardId: string) => ({
    name: 'Poleć znajomego',
    settings: {
      main: { referrer: { kind: 'reward', rewardId }, friend: { kind: 'points', points: 50 } },
    },
  });

  it('is refused with 422 on create and update, and saves with its own', async () => {
    const res = await call(t, shopB, 'POST', '/v1/referral-campaigns', campaign(a.reward));
    expectProblem(res, 422);
    expect(res.json().errors).toEqual([
      { path: 'settings.main.referrer.rewardId', message: expect.stringContaining(a.reward) },
    ]);
    const own = await call(t, shopB, 'POST', '/v1/referral-campaigns', campaign(b.reward));
    expect(own.statusCode, own.body).toBe(201);
    const update = await call(
      t,
      shopB,
      'PUT',
      `/v1/referral-campaigns/${own.json().id}`,
      campaign('rwd_missing'),
    );
    expectProblem(update, 422);
    expect(update.json().errors[0].path).toBe('settings.main.referrer.rewardId');
  });
});
