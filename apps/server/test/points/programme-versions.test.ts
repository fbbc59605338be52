import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  type TestApp,
} from '../support/app.ts';
import { asMember, createMember, signIn } from '../support/accounts.ts';
import { call, publish } from './support.ts';

const clock = fixedClock('2026-06-30T12:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let other: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep Wersje');
  other = await createTestShop(t, 'Sklep Obcy');
});
afterAll(() => t.close());

interface Version {
  version: number;
  publishedAt: string;
  publishedBy: { type: string; id: string | null; name: string | null };
  rules: Array<{ id: string; code: string; args: Record<string, unknown> }>;
  settings: Record<string, unknown>;
}

describe('GET /v1/programme/versions', () => {
  it('lists the published versions newest first, with their rules and who published them', async () => {
    // The default programme is version 1, published by nobody in particular.
    const first = await call(t, shop, 'GET', '/v1/programme/versions');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().data).toMatchObject([
      {
        version: 1,
        publishedBy: { type: 'system', id: null, name: null },
        rules: [{ id: 'spend', code: 'spend', args: { pointsPerUnit: 1 } }],
        settings: { expiryMonths: 12 },
      },
    ]);

    // Version 2 by an API key, version 3 by a marketer signed in to the dashboard.
    await publish(t, shop, { rules: [{ id: 'spend', code: 'spend', args: { pointsPerUnit: 2 } }] });
    const marketer = await createMember(t, shop.id, 'marketer', 'ewa@wersje.pl');
    const cookie = await signIn(t, marketer.email);
    const headers = asMember(cookie, shop.id);
    const draft = await t.app.inject({
      method: 'PUT',
      url: '/v1/programme/draft',
      headers,
      payload: {
        rules: [
          { id: 'spend', code: 'spend', args: { pointsPerUnit: 2 } },
          { id: 'first', code: 'first_order', args: { points: 50 } },
        ],
      },
    });
    expect(draft.statusCode, draft.body).toBe(200);
    const published = await t.app.inject({
      method: 'POST',
      url: '/v1/programme/draft/publish',
      headers,
    });
    expect(published.statusCode, published.body).toBe(200);

    // A draft in progress is not a version.
    await call(t, shop, 'PUT', '/v1/programme/draft', { rules: [] });

    const res = await t.app.inject({ method: 'GET', url: '/v1/programme/versions', headers });
    expect(res.statusCode, res.body).toBe(200);
    const versions = res.json().data as Version[];
    expect(versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(versions[0]!.publishedBy).toEqual({
      type: 'user',
      id: marketer.userId,
      name: 'Test marketer',
    });
    expect(versions[0]!.rules.map((r) => r.id)).toEqual(['spend', 'first']);
    expect(versions[0]!.publishedAt).toBe('2026-06-30T12:00:00.000Z');
    expect(versions[1]!.publishedBy.type).toBe('api_key');
    expect(versions[1]!.rules[0]!.args).toMatchObject({ pointsPerUnit: 2, rounding: 'floor' });
  });

  it('is open to every role, read-only ones included, while they stay refused the writes', async () => {
    const analyst = await createMember(t, shop.id, 'analyst', 'ala@wersje.pl');
    const headers = asMember(await signIn(t, analyst.email), shop.id);
    const res = await t.app.inject({ method: 'GET', url: '/v1/programme/versions', headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.length).toBe(3);
    const publishing = await t.app.inject({
      method: 'POST',
      url: '/v1/programme/draft/publish',
      headers,
    });
    expectProblem(publishing, 403);
    const after = await t.app.inject({ method: 'GET', url: '/v1/programme/versions', headers });
    expect(after.json().data.length).toBe(3);
  });

  it("shows only the caller's own shop, and needs credentials", async () => {
    const mine = await call(t, other, 'GET', '/v1/programme/versions');
    expect(mine.statusCode).toBe(200);
    expect((mine.json().data as Version[]).map((v) => v.version)).toEqual([1]);
    // A member of the first shop naming the other shop sees nothing of it.
    const marketer = await signIn(t, 'ewa@wersje.pl');
    const foreign = await t.app.inject({
      method: 'GET',
      url: '/v1/programme/versions',
      headers: asMember(marketer, other.id),
    });
    expect(foreign.statusCode).toBe(404);
    const anonymous = await t.app.inject({ method: 'GET', url: '/v1/programme/versions' });
    expectProblem(anonymous, 401);
  });
});
