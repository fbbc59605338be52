import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestShop,
  expectProblem,
  type TestApp,
} from '../support/app.ts';
import { call } from '../points/support.ts';

let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
beforeAll(async () => {
  t = await createTestApp();
  shop = await createTestShop(t);
});
afterAll(async () => {
  await t.close();
});

/** A condition rule of `depth` nested groups around one fact. */
function nestedRule(depth: number): Record<string, unknown> {
  let rule: Record<string, unknown> = { fact: 'orders_count', op: 'gte', value: 1 };
  for (let i = 1; i < depth; i++) rule = { all: [rule] };
  return rule;
}

const flowWithRule = (rule: unknown) => ({
  name: 'Głęboki warunek',
  definition: {
    trigger: { type: 'customer.created' },
    steps: [
      { id: 'check', type: 'condition', rule, else: 'exit' },
      { id: 'note', type: 'task', title: 'Zadzwoń' },
    ],
  },
});

/** The body as JSON text, written out: JSON.stringify itself recurses and cannot write 10,000 levels. */
function deepBody(depth: number): string {
  const rule =
    '{"all":['.repeat(depth - 1) +
    '{"fact":"orders_count","op":"gte","value":1}' +
    ']}'.repeat(depth - 1);
  return JSON.stringify(flowWithRule('RULE')).replace('"RULE"', rule);
}

async function send(method: 'POST' | 'PUT', url: string, body: string) {
  return t.app.inject({
    method,
    url,
    headers: { ...bearer(shop.apiKey), 'content-type': 'application/json' },
    payload: body,
  });
}

async function storedFlows() {
  return t.db.selectFrom('flows').select('id').where('shop_id', '=', shop.id).execute();
}

describe('a flow condition nested too deeply', () => {
  it.each([1_000, 10_000])(
    'is refused with 400 and the path of the rule at %s levels, and nothing is stored',
    async (depth) => {
      const before = (await storedFlows()).length;
      const res = await send('POST', '/v1/flows', deepBody(depth));
      expectProblem(res, 400);
      // The body's own limit meets it first, on the way down the rule.
      expect(res.json().errors).toEqual([
        {
          path: expect.stringMatching(/^definition\.steps\.0\.rule\.all\.0\.all\.0\./),
          message: 'nests more than 100 levels',
        },
      ]);
      expect((await storedFlows()).length).toBe(before);
    },
  );

  it('is refused on PUT too', async () => {
    const created = await call(t, shop, 'POST', '/v1/flows', flowWithRule(nestedRule(2)));
    expect(created.statusCode, created.body).toBe(201);
    const res = await send('PUT', `/v1/flows/${created.json().id}`, deepBody(10_000));
    expectProblem(res, 400);
    expect(res.json().errors[0].path).toMatch(/^definition\.steps\.0\.rule\./);
  });

  it('a 32-deep condition still saves', async () => {
    const res = await call(t, shop, 'POST', '/v1/flows', flowWithRule(nestedRule(32)));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().definition.steps[0].rule).toEqual(nestedRule(32));
    const deeper = await call(t, shop, 'POST', '/v1/flows', flowWithRule(nestedRule(33)));
    expectProblem(deeper, 400);
    expect(deeper.json().errors).toEqual([
      { path: 'definition.steps.0.rule', message: 'nests more than 32 levels' },
    ]);
  });
});

describe('any JSON body nested too deeply', () => {
  it('is refused with 400 naming where it crosses the limit, before any schema reads it', async () => {
    // Earning rule args are free-form JSON, kept in a jsonb column as given.
    const args = '{"a":['.repeat(10_000) + '1' + ']}'.repeat(10_000);
    const body = JSON.stringify({ rules: [{ id: 'r1', code: 'spend', args: 'ARGS' }] });
    const res = await send('PUT', '/v1/programme/draft', body.replace('"ARGS"', args));
    expectProblem(res, 400);
    expect(res.json().errors).toEqual([
      {
        path: expect.stringMatching(/^rules\.0\.args\.a\.0\.a\.0\./),
        message: 'nests more than 100 levels',
      },
    ]);
  });
});
