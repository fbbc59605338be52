import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTORS } from '../../src/app/connectors.ts';
import { bearer, createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { asMember, createMember, signIn } from '../support/accounts.ts';
import { startFakeShoper, type FakeShoper } from './shoper/fake-shoper.ts';

interface Described {
  id: string;
  name: string;
  pushCodes: boolean;
  credentials: {
    type: string;
    properties: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  settings: { type: string; properties: Record<string, Record<string, unknown>> };
  guide: string;
}

/** Every value a JSON Schema could carry that is not a rule: defaults, examples, constants. */
function valuesIn(schema: unknown): unknown[] {
  if (schema === null || typeof schema !== 'object') return [];
  return Object.entries(schema as Record<string, unknown>).flatMap(([k, v]) =>
    ['default', 'examples', 'const', 'example'].includes(k) ? [v] : valuesIn(v),
  );
}

describe('GET /v1/connection-platforms', () => {
  let t: TestApp;
  let shoper: FakeShoper;
  beforeAll(async () => {
    t = await createTestApp({
      clock: fixedClock('2026-03-02T10:00:00Z'),
      config: { platformPrivateNetworks: true },
    });
    shoper = await startFakeShoper();
  });
  afterAll(async () => {
    await shoper?.close();
    await t?.close();
  });

  it('describes every registered platform: name, codes, its fields as JSON Schema, its guide', async () => {
    const shop = await createTestShop(t);
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/connection-platforms',
      headers: bearer(shop.apiKey),
    });
    expect(res.statusCode).toBe(200);
    const { data } = res.json<{ data: Described[] }>();
    expect(data.map((p) => p.id)).toEqual(Object.keys(CONNECTORS));
    for (const p of data) {
      const connector = CONNECTORS[p.id as keyof typeof CONNECTORS]!;
      expect(p.name).toBe(connector.name);
      expect(p.pushCodes).toBe(connector.pushCodes !== undefined);
      expect(p.guide).toBe(`docs/integrations/${p.id}.md`);
      expect(p.credentials.type).toBe('object');
      expect(p.settings.type).toBe('object');
      expect(Object.keys(p.credentials.properties).length).toBeGreaterThan(0);
      expect(p.credentials).not.toHaveProperty('$schema');
    }
    const byId = new Map(data.map((p) => [p.id, p]));
    expect(byId.get('shoper')).toMatchObject({
      name: 'Shoper',
      pushCodes: true,
      credentials: {
        properties: { user: { type: 'string' }, password: { type: 'string', minLength: 1 } },
        required: ['user', 'password'],
      },
      settings: { properties: { shopUrl: { type: 'string', format: 'uri' } } },
    });
    expect(byId.get('shopify')?.settings.properties.shopDomain).toMatchObject({
      type: 'string',
      pattern: expect.stringContaining('myshopify') as unknown,
    });
    // The input side: a setting with a default is there with it, and not required.
    expect(byId.get('idosell')?.settings.properties.pointsOwner).toEqual({
      default: 'lojal',
      type: 'string',
      enum: ['lojal', 'idosell'],
    });
    expect(byId.get('baselinker')).toMatchObject({ pushCodes: false });
    expect(byId.get('dotykacka')?.credentials.required).toEqual(['refreshToken', 'cloudId']);
  });

  it('names the secret fields but never carries a value, also once a shop is connected', async () => {
    const shop = await createTestShop(t);
    const connected = await t.app.inject({
      method: 'POST',
      url: '/v1/connections',
      headers: bearer(shop.apiKey),
      payload: {
        platform: 'shoper',
        credentials: shoper.connection.credentials,
        settings: shoper.connection.settings,
        backfill: { months: 0 },
      },
    });
    expect(connected.statusCode, connected.body).toBe(201);
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/connection-platforms',
      headers: bearer(shop.apiKey),
    });
    const { data } = res.json<{ data: Described[] }>();
    const { user, password } = shoper.connection.credentials as { user: string; password: string };
    expect(res.body).not.toContain(password);
    expect(res.body).not.toContain(user);
    expect(res.body).not.toContain(shoper.url);
    for (const p of data) expect(valuesIn(p.credentials), p.id).toEqual([]);
    expect(Object.keys(data.find((p) => p.id === 'shoper')!.credentials.properties)).toEqual([
      'user',
      'password',
    ]);
  });

  it('lists only the platforms this Lojal has connectors for', async () => {
    const only = await createTestApp({ connectors: { shoper: CONNECTORS.shoper! } });
    try {
      const shop = await createTestShop(only);
      const res = await only.app.inject({
        method: 'GET',
        url: '/v1/connection-platforms',
        headers: bearer(shop.apiKey),
      });
      expect(res.json<{ data: Described[] }>().data.map((p) => p.id)).toEqual(['shoper']);
    } finally {
      await only.close();
    }
  });

  it('answers owners and admins; other roles get 403, no credential 401', async () => {
    const shop = await createTestShop(t);
    const statuses: Record<string, number> = {};
    for (const role of ['owner', 'admin', 'marketer', 'support', 'analyst'] as const) {
      const member = await createMember(t, shop.id, role);
      const cookie = await signIn(t, member.email);
      const res = await t.app.inject({
        method: 'GET',
        url: '/v1/connection-platforms',
        headers: asMember(cookie, shop.id),
      });
      statuses[role] = res.statusCode;
    }
    expect(statuses).toEqual({ owner: 200, admin: 200, marketer: 403, support: 403, analyst: 403 });
    const anonymous = await t.app.inject({ method: 'GET', url: '/v1/connection-platforms' });
    expect(anonymous.statusCode).toBe(401);
  });
});
