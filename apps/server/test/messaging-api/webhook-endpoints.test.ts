import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkWebhookUrl } from '../../src/automations/check-webhook-url.ts';
import { createTestApp, createTestShop, expectProblem, type TestApp } from '../support/app.ts';
import { call } from './support.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

// A public address literal: no DNS needed in the test.
const PUBLIC_URL = 'https://93.184.215.14/lojal-hooks';

async function sealedSecret(shopId: string, id: string) {
  const row = await t.db
    .selectFrom('webhook_endpoints')
    .select('secret')
    .where('shop_id', '=', shopId)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.secret;
}

describe('webhook endpoints', () => {
  it('show the signing secret once, at creation, and keep it sealed', async () => {
    const shop = await createTestShop(t);
    const res = await call(t, shop, 'POST', '/v1/webhook-endpoints', { url: PUBLIC_URL });
    expect(res.statusCode, res.body).toBe(201);
    const endpoint = res.json();
    expect(endpoint).toMatchObject({
      id: expect.stringMatching(/^whe_/),
      url: PUBLIC_URL,
      status: 'active',
    });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);

    const sealed = await sealedSecret(shop.id, endpoint.id);
    expect(sealed.toString('utf8')).not.toContain(endpoint.secret);
    expect(t.box.open(sealed).toString('utf8')).toBe(endpoint.secret);

    const list = await call(t, shop, 'GET', '/v1/webhook-endpoints');
    expect(list.json().data).toEqual([
      { id: endpoint.id, url: PUBLIC_URL, status: 'active', createdAt: endpoint.createdAt },
    ]);
    expect(list.body).not.toContain(endpoint.secret);
  });

  it('rotate to a new secret shown once, and disable', async () => {
    const shop = await createTestShop(t);
    const created = (
      await call(t, shop, 'POST', '/v1/webhook-endpoints', { url: PUBLIC_URL })
    ).json();
    const rotated = await call(
      t,
      shop,
      'POST',
      `/v1/webhook-endpoints/${created.id}/rotate-secret`,
    );
    expect(rotated.statusCode, rotated.body).toBe(200);
    expect(rotated.json().secret).toMatch(/^whsec_/);
    expect(rotated.json().secret).not.toBe(created.secret);
    expect(t.box.open(await sealedSecret(shop.id, created.id)).toString('utf8')).toBe(
      rotated.json().secret,
    );

    const disabled = await call(t, shop, 'POST', `/v1/webhook-endpoints/${created.id}/disable`);
    expect(disabled.json()).toMatchObject({ id: created.id, status: 'disabled' });
    expect(disabled.body).not.toContain('whsec_');
    expect((await call(t, shop, 'GET', '/v1/webhook-endpoints')).json().data[0].status).toBe(
      'disabled',
    );
    expectProblem(await call(t, shop, 'POST', '/v1/webhook-endpoints/whe_nope/disable'), 404);
  });

  it('refuse a private, loopback or metadata address, and a URL that is not http(s), saying why', async () => {
    const shop = await createTestShop(t);
    const cases: Array<[string, RegExp]> = [
      ['http://127.0.0.1:8080/hook', /127\.0\.0\.1 is not a public address/],
      ['https://10.1.2.3/hook', /10\.1\.2\.3 is not a public address/],
      ['http://169.254.169.254/latest/meta-data', /169\.254\.169\.254 is not a public address/],
      ['http://[::1]/hook', /::1 is not a public address/],
      ['http://localhost:3000/hook', /localhost is a local name/],
      ['ftp://93.184.215.14/hook', /http or https, not ftp/],
      ['not a url', /is not a URL/],
    ];
    for (const [url, message] of cases) {
      const res = await call(t, shop, 'POST', '/v1/webhook-endpoints', { url });
      expectProblem(res, 400);
      expect(res.json().errors).toEqual([{ path: 'url', message: expect.stringMatching(message) }]);
    }
    expect((await call(t, shop, 'GET', '/v1/webhook-endpoints')).json().data).toEqual([]);
  });

  it('refuse a name that resolves to a private address (checked with the given resolver)', async () => {
    const lookup = async (host: string) =>
      host === 'hooks.example.com'
        ? [{ address: '93.184.215.14' }, { address: '192.168.1.10' }]
        : [];
    await expect(checkWebhookUrl('https://hooks.example.com/x', lookup)).rejects.toMatchObject({
      errors: [
        {
          path: 'url',
          message: 'hooks.example.com resolves to 192.168.1.10, which is not a public address',
        },
      ],
    });
    await expect(checkWebhookUrl('https://nowhere.example.com/x', lookup)).rejects.toMatchObject({
      errors: [{ path: 'url', message: 'nowhere.example.com does not resolve' }],
    });
    const ok = async () => [{ address: '93.184.215.14' }];
    expect((await checkWebhookUrl('https://hooks.example.com/x', ok)).href).toBe(
      'https://hooks.example.com/x',
    );
  });
});
