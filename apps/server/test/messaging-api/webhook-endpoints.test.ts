import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOutboundUrl, type LookupAll } from '../../src/automations/check-outbound-url.ts';
import { publicOutbound } from '../../src/messaging/outbound-url.ts';
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

  it('refuse a private, loopback or metadata address, an IPv6 form of one, a port, or a URL that is not http(s), with 422 saying why', async () => {
    const shop = await createTestShop(t);
    const cases: Array<[string, RegExp]> = [
      ['http://127.0.0.1:80/hook', /^127\.0\.0\.1 is not a public address \(loopback\)$/],
      ['https://10.1.2.3/hook', /^10\.1\.2\.3 is not a public address \(private network\)$/],
      ['http://169.254.169.254/latest/meta-data', /169\.254\.169\.254 is not a public address/],
      ['http://[::1]/hook', /^::1 is not a public address/],
      [
        'http://[::127.0.0.1]/',
        /^::7f00:1 is not a public address \(IPv4-compatible of 127\.0\.0\.1\)$/,
      ],
      ['http://[64:ff9b::a9fe:a9fe]/', /\(NAT64 of 169\.254\.169\.254\)$/],
      ['http://[2002:a9fe:a9fe::]/', /\(6to4 of 169\.254\.169\.254\)$/],
      ['http://[::ffff:0:a9fe:a9fe]/', /\(SIIT translation of 169\.254\.169\.254\)$/],
      ['http://[::ffff:127.0.0.1]/', /\(IPv4-mapped of 127\.0\.0\.1\)$/],
      ['http://[fec0::1]/', /\(site-local\)$/],
      ['http://[2001:db8::1]/', /\(reserved or documentation range\)$/],
      ['https://93.184.215.14:6379/', /^port 6379 is not allowed \(allowed: 80, 443\)$/],
      ['http://localhost/hook', /localhost is a local name/],
      ['https://a.localhost/x', /a\.localhost is a local name/],
      ['https://localhost.localdomain/x', /localhost\.localdomain is a local name/],
      ['ftp://93.184.215.14/hook', /http or https, not ftp/],
      ['https://user:pw@93.184.215.14/hook', /user name or password/],
      ['not a url', /is not a URL/],
    ];
    for (const [url, message] of cases) {
      const res = await call(t, shop, 'POST', '/v1/webhook-endpoints', { url });
      expectProblem(res, 422);
      expect(res.json().errors, url).toEqual([
        { path: 'url', message: expect.stringMatching(message) },
      ]);
    }
    expect((await call(t, shop, 'GET', '/v1/webhook-endpoints')).json().data).toEqual([]);
  });

  it('say why in Polish too', async () => {
    const shop = await createTestShop(t);
    const res = await call(t, shop, 'POST', '/v1/webhook-endpoints', {
      url: 'http://[64:ff9b::a9fe:a9fe]/',
    });
    expectProblem(res, 422);
    expect(res.json().messages).toEqual({
      en: '64:ff9b::a9fe:a9fe is not a public address (NAT64 of 169.254.169.254)',
      pl: '64:ff9b::a9fe:a9fe nie jest adresem publicznym (NAT64 dla 169.254.169.254)',
    });
  });

  it('accept a public IPv4 or IPv6 address on 80 or 443, and other ports when configured', async () => {
    const shop = await createTestShop(t);
    for (const url of ['http://93.184.215.14/h', 'https://[2606:4700:4700::1111]:443/h']) {
      const res = await call(t, shop, 'POST', '/v1/webhook-endpoints', { url });
      expect(res.statusCode, res.body).toBe(201);
    }
    const policy = publicOutbound([443, 8443]);
    expect(
      (await checkOutboundUrl('https://93.184.215.14:8443/h', { path: 'url', policy })).port,
    ).toBe('8443');
  });

  it('refuse a name that resolves to a private address (checked with the given resolver)', async () => {
    const lookup: LookupAll = async (host: string) =>
      host === 'hooks.example.com'
        ? [{ address: '93.184.215.14' }, { address: '64:ff9b::a00:1' }]
        : [];
    const check = (url: string, l: LookupAll) =>
      checkOutboundUrl(url, { path: 'url', policy: publicOutbound(), lookup: l });
    await expect(check('https://hooks.example.com/x', lookup)).rejects.toMatchObject({
      status: 422,
      errors: [
        {
          path: 'url',
          message:
            'hooks.example.com resolves to 64:ff9b::a00:1, which is not a public address (NAT64 of 10.0.0.1)',
        },
      ],
    });
    await expect(check('https://nowhere.example.com/x', lookup)).rejects.toMatchObject({
      errors: [{ path: 'url', message: 'nowhere.example.com does not resolve' }],
    });
    const ok = async () => [{ address: '93.184.215.14' }];
    expect((await check('https://hooks.example.com/x', ok)).href).toBe(
      'https://hooks.example.com/x',
    );
  });
});
