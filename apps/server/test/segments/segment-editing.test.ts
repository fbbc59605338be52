import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, expectProblem, type TestApp } from '../support/app.ts';
import { createMember, signIn, asMember } from '../support/accounts.ts';
import { call } from '../points/support.ts';
import { newsletterPopup } from '../popups/support.ts';

type Shop = Awaited<ReturnType<typeof createTestShop>>;
let t: TestApp;
let shop: Shop;
let other: Shop;
let segmentId: string;

const rules = { fact: 'orders_count', op: 'gte', value: 2 };

beforeAll(async () => {
  t = await createTestApp();
  shop = await createTestShop(t, 'Sklep z segmentami');
  other = await createTestShop(t, 'Inny sklep');
  const made = await call(t, shop, 'POST', '/v1/segments', { name: 'Stali', rules });
  expect(made.statusCode, made.body).toBe(201);
  segmentId = made.json().id;
});
afterAll(() => t.close());

describe('segment facts, usage and editing', () => {
  it('publishes every fact with its type, unit and operators for the rule builder', async () => {
    const res = await call(t, shop, 'GET', '/v1/segments/facts');
    expect(res.statusCode).toBe(200);
    const facts = res.json().data as Array<{ fact: string; unit: string | null }>;
    expect(facts.find((f) => f.fact === 'total_spent')).toMatchObject({
      type: 'number',
      unit: 'money',
      operators: ['gt', 'gte', 'lt', 'lte', 'eq', 'neq', 'between'],
    });
    expect(facts.find((f) => f.fact === 'days_since_last_order')).toMatchObject({ unit: 'days' });
    expect(facts.find((f) => f.fact === 'rfm_recency')).toMatchObject({ unit: 'quintile' });
    expect(facts.find((f) => f.fact === 'tags')).toMatchObject({
      type: 'list',
      unit: null,
      operators: ['contains', 'not_contains'],
    });
    expect(facts.find((f) => f.fact === 'accepts_email_marketing')).toMatchObject({
      type: 'boolean',
      operators: ['is'],
    });
  });

  it('names the flows, coupon campaigns and pop-ups that use a segment, and keeps a used segment from deletion', async () => {
    const unused = (await call(t, shop, 'GET', `/v1/segments/${segmentId}`)).json();
    expect(unused.usedBy).toEqual({ flows: [], couponCampaigns: [], popups: [] });

    const flow = await call(t, shop, 'POST', '/v1/flows', {
      name: 'Powrót stałych',
      definition: {
        trigger: { type: 'customer.created' },
        steps: [
          { id: 'check', type: 'condition', segmentId, else: 'exit' },
          { id: 'wait', type: 'wait', duration: { days: 1 } },
        ],
      },
    });
    expect(flow.statusCode, flow.body).toBe(201);
    const campaign = await call(t, shop, 'POST', '/v1/coupon-campaigns', {
      name: 'Dla stałych',
      discount: { kind: 'free_shipping' },
      segmentId,
    });
    expect(campaign.statusCode, campaign.body).toBe(201);
    const popup = await call(t, shop, 'POST', '/v1/popups', {
      ...newsletterPopup(),
      name: 'Zapis stałych',
      audience: { segmentIds: [segmentId] },
    });
    expect(popup.statusCode, popup.body).toBe(201);
    // Another segment's users are not this one's.
    const vipFlow = await call(t, shop, 'POST', '/v1/flows', {
      name: 'VIP',
      definition: {
        trigger: { type: 'customer.created' },
        steps: [{ id: 'check', type: 'condition', segmentId: 'vip', else: 'exit' }],
      },
    });
    expect(vipFlow.statusCode, vipFlow.body).toBe(201);

    const used = (await call(t, shop, 'GET', `/v1/segments/${segmentId}`)).json();
    expect(used).toMatchObject({ id: segmentId, name: 'Stali', builtIn: false, customers: 0 });
    expect(used.usedBy.flows).toEqual([
      { id: flow.json().id, name: 'Powrót stałych', status: expect.any(String) },
    ]);
    expect(used.usedBy.couponCampaigns).toEqual([{ id: campaign.json().id, name: 'Dla stałych' }]);
    expect(used.usedBy.popups.map((p: { id: string }) => p.id)).toEqual([popup.json().id]);
    const vip = (await call(t, shop, 'GET', '/v1/segments/vip')).json();
    expect(vip.builtIn).toBe(true);
    expect(vip.usedBy.flows.map((f: { id: string }) => f.id)).toEqual([vipFlow.json().id]);

    // A saved change answers with the same list, and the flow follows the new rules.
    const changed = await call(t, shop, 'PUT', `/v1/segments/${segmentId}`, {
      name: 'Stali klienci',
      rules: { all: [rules, { fact: 'total_spent', op: 'gt', value: 50_000 }] },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ name: 'Stali klienci', usedBy: used.usedBy });
    const listed = (await call(t, shop, 'GET', '/v1/segments')).json().data;
    expect(listed.find((s: { id: string }) => s.id === segmentId).rules.all).toHaveLength(2);

    // In use, it cannot be deleted: the answer names what uses it.
    const refused = await call(t, shop, 'DELETE', `/v1/segments/${segmentId}`);
    expectProblem(refused, 409);
    expect(refused.json().detail).toBe(
      'The segment is used by flow "Powrót stałych", coupon campaign "Dla stałych", pop-up "Zapis stałych": change those first.',
    );
    const spare = await call(t, shop, 'POST', '/v1/segments', { name: 'Zapas', rules });
    expect((await call(t, shop, 'DELETE', `/v1/segments/${spare.json().id}`)).statusCode).toBe(204);
  });

  it('refuses to change a built-in segment, names bad rules, and keeps shops apart', async () => {
    const builtIn = await call(t, shop, 'PUT', '/v1/segments/vip', { name: 'Mój VIP', rules });
    expectProblem(builtIn, 409);
    const bad = await call(t, shop, 'PUT', `/v1/segments/${segmentId}`, {
      name: 'Zły',
      rules: { fact: 'tags', op: 'gt', value: 3 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('rules.op');
    expect((await call(t, other, 'GET', `/v1/segments/${segmentId}`)).statusCode).toBe(404);
    const foreign = await call(t, other, 'PUT', `/v1/segments/${segmentId}`, { name: 'X', rules });
    expect(foreign.statusCode).toBe(404);
    expect((await call(t, shop, 'GET', `/v1/segments/${segmentId}`)).json().name).toBe(
      'Stali klienci',
    );
  });

  it('lets a marketer change a segment and an analyst only read it', async () => {
    const marketer = await createMember(t, shop.id, 'marketer');
    const analyst = await createMember(t, shop.id, 'analyst');
    const body = { name: 'Stali klienci', rules };
    const as = async (email: string, method: 'GET' | 'PUT') =>
      t.app.inject({
        method,
        url: `/v1/segments/${segmentId}`,
        headers: asMember(await signIn(t, email), shop.id, t.config.publicUrl),
        ...(method === 'PUT' && { payload: body }),
      });
    expect((await as(marketer.email, 'PUT')).statusCode).toBe(200);
    expect((await as(analyst.email, 'GET')).statusCode).toBe(200);
    expect((await as(analyst.email, 'PUT')).statusCode).toBe(403);
  });
});
