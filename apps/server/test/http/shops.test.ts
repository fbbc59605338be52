import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  bearer,
  createTestApp,
  createTestShop,
  fixedClock,
  shopifyHeaders,
  type TestApp,
  expectProblem,
} from '../support/app.ts';

const START = '2026-11-20T10:00:00.000Z';
const clock = fixedClock(START);
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

const newShop = {
  name: 'Sklep Ziutki',
  currency: 'PLN',
  timezone: 'Europe/Warsaw',
  locale: 'pl',
};

function createShopRequest(payload: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/v1/shops',
    headers: { ...bearer(ADMIN_TOKEN), ...headers },
    payload: payload as Record<string, unknown>,
  });
}

async function shopCount(): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM shops`.execute(t.db);
  return rows[0]!.n;
}

describe('POST /v1/shops', () => {
  it('creates a shop for the operator and shows its api key and webhook secret once', async () => {
    const res = await createShopRequest(newShop);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      id: expect.stringMatching(/^shp_[0-9a-z]{26}$/),
      name: 'Sklep Ziutki',
      currency: 'PLN',
      timezone: 'Europe/Warsaw',
      locale: 'pl',
      apiKey: expect.any(String),
      webhookSecret: expect.any(String),
    });
  });

  it('refuses a request without the operator token with 401 problem+json', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/shops', payload: newShop });
    expectProblem(res, 401);
    expect(res.json()).toMatchObject({ status: 401, title: expect.any(String) });
  });

  it('refuses a wrong operator token with 401 problem+json', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/shops',
      headers: bearer('not-the-operator-token'),
      payload: newShop,
    });
    expectProblem(res, 401);
  });

  it('refuses a shop api key on the operator route', async () => {
    const shop = await createTestShop(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/shops',
      headers: bearer(shop.apiKey),
      payload: newShop,
    });
    expectProblem(res, 401);
  });

  it('names the currency field when it is not an ISO 4217 code', async () => {
    const res = await createShopRequest({ ...newShop, currency: 'ZLOTY' });
    expectProblem(res, 400);
    expect(res.json().errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'currency' })]),
    );
  });

  it('names the timezone field when it is not an IANA time zone', async () => {
    const res = await createShopRequest({ ...newShop, timezone: 'Europe/Nowhere' });
    expectProblem(res, 400);
    expect(res.json().errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'timezone' })]),
    );
  });

  it('gives an api key that works on GET /v1/shop', async () => {
    const created = (await createShopRequest({ ...newShop, name: 'Sklep z kluczem' })).json();
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/shop',
      headers: bearer(created.apiKey),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: created.id, name: 'Sklep z kluczem', currency: 'PLN' });
  });

  it('stores api keys only hashed', async () => {
    const created = (await createShopRequest(newShop)).json();
    const plain = created.apiKey as string;
    const keys = await t.db
      .selectFrom('api_keys')
      .select(['token_hash'])
      .where('shop_id', '=', created.id)
      .execute();
    expect(keys).toHaveLength(1);
    expect(keys[0]!.token_hash.equals(Buffer.from(plain))).toBe(false);
    const { rows } = await sql<{
      json: string;
    }>`SELECT row_to_json(k)::text AS json FROM api_keys k`.execute(t.db);
    const everything = rows.map((r) => r.json).join('\n');
    expect(everything).not.toContain(plain);
    // A bytea column shows as hex in JSON: the plain key's bytes must not hide there either.
    expect(everything).not.toContain(Buffer.from(plain).toString('hex'));
  });
});

describe('Idempotency-Key on POST /v1/shops', () => {
  it('answers the same key and body with the first response, creating one shop', async () => {
    const before = await shopCount();
    const headers = { 'idempotency-key': 'create-shop-1' };
    const first = await createShopRequest({ ...newShop, name: 'Raz' }, headers);
    const again = await createShopRequest({ ...newShop, name: 'Raz' }, headers);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect(again.json().id).toBe(first.json().id);
    expect(await shopCount()).toBe(before + 1);
  });

  it('refuses the same key with another body with 409 and creates nothing more', async () => {
    const before = await shopCount();
    const headers = { 'idempotency-key': 'create-shop-2' };
    const first = await createShopRequest({ ...newShop, name: 'Dwa' }, headers);
    const other = await createShopRequest({ ...newShop, name: 'Inny' }, headers);
    expect(first.statusCode).toBe(201);
    expectProblem(other, 409);
    expect(await shopCount()).toBe(before + 1);
  });

  it('creates one shop when the same key and body arrive at once', async () => {
    const before = await shopCount();
    const headers = { 'idempotency-key': 'create-shop-3' };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => createShopRequest({ ...newShop, name: 'Trzy' }, headers)),
    );
    expect(await shopCount()).toBe(before + 1);
    const created = answers.filter((r) => r.statusCode === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.json().id)).size).toBe(1);
    // The rest were refused while the first was still running.
    for (const r of answers) expect([201, 409]).toContain(r.statusCode);
  });
});

describe('API keys', () => {
  it('creates a second key that works, revokes it, and refuses to revoke the last one', async () => {
    const shop = (await createShopRequest(newShop)).json();

    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: bearer(shop.apiKey),
      payload: { label: 'druga' },
    });
    expect(created.statusCode).toBe(201);
    const second = created.json();
    expect(second).toMatchObject({ id: expect.any(String), apiKey: expect.any(String) });
    expect(second.apiKey).not.toBe(shop.apiKey);
    const withSecond = await t.app.inject({
      method: 'GET',
      url: '/v1/shop',
      headers: bearer(second.apiKey),
    });
    expect(withSecond.statusCode).toBe(200);
    expect(withSecond.json().id).toBe(shop.id);

    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/v1/api-keys/${second.id}`,
      headers: bearer(shop.apiKey),
    });
    expect(revoked.statusCode).toBe(204);
    const afterRevoke = await t.app.inject({
      method: 'GET',
      url: '/v1/shop',
      headers: bearer(second.apiKey),
    });
    expectProblem(afterRevoke, 401);

    const last = await t.app.inject({
      method: 'DELETE',
      url: `/v1/api-keys/${shop.apiKeyId}`,
      headers: bearer(shop.apiKey),
    });
    expectProblem(last, 409);
    const stillWorks = await t.app.inject({
      method: 'GET',
      url: '/v1/shop',
      headers: bearer(shop.apiKey),
    });
    expect(stillWorks.statusCode).toBe(200);
  });

  it('lists keys with hints and never their tokens', async () => {
    const shop = (await createShopRequest(newShop)).json();
    const second = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/api-keys',
        headers: bearer(shop.apiKey),
        payload: {},
      })
    ).json();
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/api-keys',
      headers: bearer(shop.apiKey),
    });
    expect(res.statusCode).toBe(200);
    const { data } = res.json() as { data: Array<Record<string, unknown>> };
    expect(data.map((k) => k.id).sort()).toEqual([shop.apiKeyId, second.id].sort());
    for (const key of data) {
      expect(key).not.toHaveProperty('apiKey');
      expect(key).not.toHaveProperty('token');
      expect(key.hint).toEqual(expect.any(String));
    }
    expect(res.body).not.toContain(shop.apiKey);
    expect(res.body).not.toContain(second.apiKey);
  });
});

describe('GET /v1/events/{id} across shops', () => {
  it("answers 404 for another shop's event", async () => {
    const owner = await createTestShop(t, 'Właściciel');
    const stranger = await createTestShop(t, 'Obcy');
    const posted = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: bearer(owner.apiKey),
      payload: {
        type: 'customer.created',
        id: 'c-cross-1',
        data: { id: 'c-cross-1', email: 'ala@example.pl' },
      },
    });
    expect(posted.statusCode).toBe(202);
    const eventId = posted.json().eventId as string;

    const mine = await t.app.inject({
      method: 'GET',
      url: `/v1/events/${eventId}`,
      headers: bearer(owner.apiKey),
    });
    expect(mine.statusCode).toBe(200);
    const theirs = await t.app.inject({
      method: 'GET',
      url: `/v1/events/${eventId}`,
      headers: bearer(stranger.apiKey),
    });
    expectProblem(theirs, 404);
  });
});

describe('operations routes', () => {
  it('GET /health answers ok', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /openapi.json is OpenAPI 3.1 and lists the ingestion routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/events', '/v1/webhooks/shopify/{shopId}']),
    );
  });

  it('GET /metrics serves Prometheus text with the request duration histogram', async () => {
    await t.app.inject({ method: 'GET', url: '/health' });
    const res = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('lojal_http_request_duration_seconds');
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/no-such-thing' });
    expectProblem(res, 404);
    expect(res.json()).toMatchObject({ status: 404 });
  });
});

// Last in the file: it moves the shared clock.
describe('POST /v1/webhook-secret/rotate', () => {
  it('keeps the old secret verifying for one hour, then only the new one', async () => {
    clock.set(START);
    const shop = (await createShopRequest(newShop)).json();
    const oldSecret = shop.webhookSecret as string;
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/webhook-secret/rotate',
      headers: bearer(shop.apiKey),
    });
    expect(res.statusCode).toBe(201);
    const rotated = res.json();
    expect(rotated.webhookSecret).toEqual(expect.any(String));
    expect(rotated.webhookSecret).not.toBe(oldSecret);

    let n = 0;
    const deliver = (secret: string) => {
      const body = JSON.stringify({ id: 1, title: 'Kawa' });
      n += 1;
      return t.app.inject({
        method: 'POST',
        url: `/v1/webhooks/shopify/${shop.id}`,
        headers: shopifyHeaders(secret, body, 'products/update', `rot-${n}`),
        payload: body,
      });
    };
    expect((await deliver(oldSecret)).statusCode).toBe(200);
    expect((await deliver(rotated.webhookSecret)).statusCode).toBe(200);

    clock.set(new Date(Date.parse(START) + 59 * 60_000));
    expect((await deliver(oldSecret)).statusCode).toBe(200);

    clock.set(new Date(Date.parse(START) + 60 * 60_000 + 1_000));
    const late = await deliver(oldSecret);
    expectProblem(late, 401);
    expect((await deliver(rotated.webhookSecret)).statusCode).toBe(200);
  });
});
