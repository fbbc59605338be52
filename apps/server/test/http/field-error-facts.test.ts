import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestShop, type TestApp } from '../support/app.ts';

// A field error says what is wrong as facts (the issue and its bounds) beside the English
// message, so the dashboard words it in Polish or English; never with the input itself.
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp();
  shop = await createTestShop(t, 'Sklep z Błędami');
});
afterAll(() => t.close());

async function errorsOf(method: 'POST' | 'GET', url: string, payload?: object) {
  const res = await t.app.inject({ method, url, headers: bearer(shop.apiKey), payload });
  expect(res.statusCode, res.body).toBe(400);
  return res.json().errors as Array<Record<string, unknown>>;
}

describe('field errors', () => {
  it('carry the issue, its bound and what the bound is on', async () => {
    const errors = await errorsOf('POST', '/v1/team/invitations', {
      email: 'nie-adres',
      role: 'boss',
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'email', code: 'invalid_format', format: 'email' }),
        expect.objectContaining({
          path: 'role',
          code: 'invalid_value',
          values: ['owner', 'admin', 'marketer', 'support', 'analyst'],
        }),
      ]),
    );
  });

  it('say a number bound, inclusive or not, and a range in the query', async () => {
    const errors = await errorsOf('GET', '/v1/audit-log?limit=0');
    expect(errors).toEqual([
      expect.objectContaining({
        path: 'query.limit',
        code: 'too_small',
        minimum: 1,
        origin: 'number',
      }),
    ]);
    expect(errors[0]).not.toHaveProperty('exclusive');
  });

  it('never echo the input', async () => {
    const secret = 'x'.repeat(300) + '-tajne';
    const errors = await errorsOf('POST', '/v1/team/invitations', { email: secret, role: 'admin' });
    expect(JSON.stringify(errors)).not.toContain('tajne');
  });
});
