import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedFetch } from '../../src/messaging/guarded-fetch.ts';
import { outboundUrlRefusal, publicOutbound } from '../../src/messaging/outbound-url.ts';
import { postWebhook } from '../../src/messaging/post-webhook.ts';
import {
  addressRefusal,
  isPublicAddress,
  publicOnlyLookup,
} from '../../src/messaging/public-address.ts';
import { localServer } from './local-server.ts';

describe('which addresses a merchant URL may reach', () => {
  it.each([
    ['127.0.0.1', 'loopback', undefined],
    ['10.1.2.3', 'private', undefined],
    ['100.64.0.1', 'carrierGradeNat', undefined],
    ['169.254.169.254', 'linkLocal', undefined],
    ['224.0.0.1', 'multicast', undefined],
    ['255.255.255.255', 'broadcast', undefined],
    ['192.0.2.1', 'reserved', undefined],
    ['198.51.100.7', 'reserved', undefined],
    ['0.0.0.0', 'unspecified', undefined],
    ['::', 'unspecified', undefined],
    ['::1', 'loopback', undefined],
    ['::7f00:1', 'ipv4Compatible', '127.0.0.1'],
    ['::8.8.8.8', 'ipv4Compatible', '8.8.8.8'],
    ['::ffff:127.0.0.1', 'ipv4Mapped', '127.0.0.1'],
    ['::ffff:169.254.169.254', 'ipv4Mapped', '169.254.169.254'],
    ['64:ff9b::a9fe:a9fe', 'rfc6052', '169.254.169.254'],
    ['64:ff9b::808:808', 'rfc6052', '8.8.8.8'],
    ['64:ff9b:1::a9fe:a9fe', 'rfc6052', undefined],
    ['2002:a9fe:a9fe::', '6to4', '169.254.169.254'],
    ['::ffff:0:a9fe:a9fe', 'rfc6145', '169.254.169.254'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'teredo', '192.0.2.45'],
    ['fec0::1', 'deprecatedSiteLocal', undefined],
    ['fc00::1', 'uniqueLocal', undefined],
    ['fd00::1', 'uniqueLocal', undefined],
    ['fe80::1', 'linkLocal', undefined],
    ['ff02::1', 'multicast', undefined],
    ['2001:db8::1', 'reserved', undefined],
    ['3fff::1', 'reserved', undefined],
    ['100::1', 'discard', undefined],
    ['4000::1', 'reserved', undefined],
    ['not-an-ip', 'notAnAddress', undefined],
  ])('refuse %s (%s)', (address, range, embedded) => {
    const refusal = addressRefusal(address);
    expect(refusal).toMatchObject({ range });
    if (embedded) expect(refusal?.embedded).toBe(embedded);
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '93.184.215.14', '172.32.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])(
    'allow the public address %s',
    (address) => expect(addressRefusal(address)).toBeNull(),
  );

  it.each([
    ['https://93.184.215.14/', null],
    ['http://93.184.215.14/', null],
    ['http://93.184.215.14:80/', null],
    ['https://93.184.215.14:443/', null],
    ['https://93.184.215.14:6379/', 'port 6379 is not allowed (allowed: 80, 443)'],
    ['http://93.184.215.14:8080/', 'port 8080 is not allowed (allowed: 80, 443)'],
    ['https://[2001:4860:4860::8888]:22/', 'port 22 is not allowed (allowed: 80, 443)'],
  ])('judge the port of %s', (url, refusal) =>
    expect(outboundUrlRefusal(new URL(url), publicOutbound())?.en ?? null).toBe(refusal),
  );

  it('allow the ports a setting names', () => {
    const policy = publicOutbound([8443]);
    expect(outboundUrlRefusal(new URL('https://93.184.215.14:8443/'), policy)).toBeNull();
    expect(outboundUrlRefusal(new URL('https://93.184.215.14/'), policy)?.en).toBe(
      'port 443 is not allowed (allowed: 8443)',
    );
  });

  it('check every address a name resolves to when connecting (DNS rebinding)', async () => {
    const error = await new Promise((resolve) =>
      publicOnlyLookup('localhost', { all: true }, (e) => resolve(e)),
    );
    expect(error).toMatchObject({ code: 'ENOTPUBLIC' });
  });
});

describe('sending to a merchant URL', () => {
  let server: Awaited<ReturnType<typeof localServer>>;
  beforeAll(async () => {
    server = await localServer(() => ({ status: 200, body: 'internal-secret' }));
  });
  afterAll(() => server.close());

  const anyPort = { ports: 'any', privateNetworks: false } as const;

  it('guardedFetch refuses IP literals that are not public, which Node never looks up', async () => {
    const port = new URL(server.url).port;
    for (const url of [
      `http://127.0.0.1:${port}/x`,
      `http://[::ffff:127.0.0.1]:${port}/x`,
      `http://[::127.0.0.1]:${port}/x`,
    ]) {
      await expect(guardedFetch(anyPort)(url)).rejects.toMatchObject({ code: 'EOUTBOUND' });
    }
    await expect(guardedFetch(publicOutbound())('https://93.184.215.14:6379/')).rejects.toThrow(
      /port 6379 is not allowed/,
    );
    expect(server.seen).toHaveLength(0);
    // Only a test that says so reaches its own listener.
    const res = await guardedFetch({ ports: 'any', privateNetworks: true })(`${server.url}/x`);
    expect(res.status).toBe(200);
  });

  it('postWebhook refuses a port not allowed, before connecting', async () => {
    await expect(
      postWebhook({
        url: 'https://93.184.215.14:6379/',
        secret: 's',
        body: '{}',
        deliveryId: 'd',
        timeoutMs: 500,
        outbound: publicOutbound(),
      }),
    ).rejects.toMatchObject({ kind: 'permanent', providerCode: 'EOUTBOUND' });
  });
});
