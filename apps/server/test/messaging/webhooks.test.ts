import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook } from '../../src/messaging/post-webhook.ts';
import { isPublicAddress } from '../../src/messaging/public-address.ts';
import { publicOutbound } from '../../src/messaging/outbound-url.ts';
import { signWebhook, verifyWebhookSignature } from '../../src/messaging/webhook-signature.ts';
import { localServer } from './local-server.ts';

describe('webhook signatures', () => {
  const body = JSON.stringify({ type: 'points.earned', amount: 120, name: 'Zofia Żółć' });
  const now = 1_767_225_600;

  it('round-trips: a signature verifies for the same secret and body', () => {
    const header = signWebhook('whsec_1', now, body);
    expect(header).toMatch(/^t=1767225600,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('whsec_1', header, body, now)).toBe(true);
  });

  it('fails for another secret, another body or a mangled header', () => {
    const header = signWebhook('whsec_1', now, body);
    expect(verifyWebhookSignature('whsec_2', header, body, now)).toBe(false);
    expect(verifyWebhookSignature('whsec_1', header, body + ' ', now)).toBe(false);
    expect(verifyWebhookSignature('whsec_1', header.replace('v1=', 'v0='), body, now)).toBe(false);
    expect(verifyWebhookSignature('whsec_1', 'garbage', body, now)).toBe(false);
    expect(verifyWebhookSignature('whsec_1', header.replace(/.$/, 'x'), body, now)).toBe(false);
  });

  it('accepts exactly the tolerance and refuses one second more, either way', () => {
    const header = signWebhook('whsec_1', now, body);
    expect(verifyWebhookSignature('whsec_1', header, body, now + 300)).toBe(true);
    expect(verifyWebhookSignature('whsec_1', header, body, now + 301)).toBe(false);
    expect(verifyWebhookSignature('whsec_1', header, body, now - 300)).toBe(true);
    expect(verifyWebhookSignature('whsec_1', header, body, now - 301)).toBe(false);
    expect(verifyWebhookSignature('whsec_1', header, body, now + 10, 5)).toBe(false);
  });

  it('accepts any of several v1 signatures, as during a secret rotation', () => {
    const old = signWebhook('whsec_old', now, body).split(',')[1];
    const header = `${signWebhook('whsec_new', now, body)},${old}`;
    expect(verifyWebhookSignature('whsec_old', header, body, now)).toBe(true);
    expect(verifyWebhookSignature('whsec_new', header, body, now)).toBe(true);
  });
});

describe('postWebhook', () => {
  let server: Awaited<ReturnType<typeof localServer>>;
  beforeAll(async () => {
    server = await localServer((req) => {
      const status = Number(new URL(req.url, 'http://x').searchParams.get('status') ?? 200);
      return { status, delayMs: req.url.includes('slow') ? 500 : 0 };
    });
  });
  afterAll(() => server.close());

  const post = (path: string, extra: Partial<Parameters<typeof postWebhook>[0]> = {}) =>
    postWebhook({
      url: `${server.url}${path}`,
      secret: 'whsec_1',
      body: '{"type":"tier.changed"}',
      deliveryId: 'whd_01',
      timeoutMs: 2000,
      outbound: { ports: 'any', privateNetworks: true },
      ...extra,
    });

  it('sends the signed body with its delivery id and timestamp', async () => {
    expect(await post('/hook', { nowSeconds: 1_767_225_600 })).toEqual({ status: 200 });
    const req = server.seen.at(-1)!;
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['lojal-delivery-id']).toBe('whd_01');
    expect(req.headers['lojal-timestamp']).toBe('1767225600');
    expect(req.body).toBe('{"type":"tier.changed"}');
    const signature = req.headers['lojal-signature'] as string;
    expect(verifyWebhookSignature('whsec_1', signature, req.body, 1_767_225_600)).toBe(true);
  });

  it.each([
    [204, null],
    [410, 'gone'],
    [400, 'permanent'],
    [404, 'permanent'],
    [408, 'transient'],
    [429, 'transient'],
    [500, 'transient'],
    [503, 'transient'],
  ])('treats %s as %s', async (status, kind) => {
    const attempt = post(`/hook?status=${status}`);
    if (kind === null) await expect(attempt).resolves.toEqual({ status });
    else
      await expect(attempt).rejects.toMatchObject({
        name: 'DeliveryError',
        kind,
        providerCode: String(status),
      });
  });

  it('gives up after the timeout as a transient failure', async () => {
    await expect(post('/slow', { timeoutMs: 100 })).rejects.toMatchObject({
      kind: 'transient',
      providerCode: 'ETIMEDOUT',
    });
  });

  it('refuses loopback and private targets unless allowed', async () => {
    await expect(
      post('/hook', { outbound: { ports: 'any', privateNetworks: false } }),
    ).rejects.toMatchObject({
      kind: 'permanent',
    });
    await expect(
      postWebhook({
        url: 'http://localhost/hook',
        secret: 's',
        body: '{}',
        deliveryId: 'd',
        timeoutMs: 500,
        outbound: publicOutbound(),
      }),
    ).rejects.toMatchObject({ kind: 'permanent', providerCode: 'EOUTBOUND' });
    await expect(
      postWebhook({
        url: 'http://169.254.169.254/latest',
        secret: 's',
        body: '{}',
        deliveryId: 'd',
        timeoutMs: 500,
        outbound: publicOutbound(),
      }),
    ).rejects.toMatchObject({ kind: 'permanent' });
  });

  it('refuses schemes other than http(s)', async () => {
    await expect(post('', { url: 'ftp://example.com/x' })).rejects.toMatchObject({
      kind: 'permanent',
    });
  });
});

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    'not-an-ip',
  ])('refuses %s', (address) => expect(isPublicAddress(address)).toBe(false));

  it.each(['8.8.8.8', '1.1.1.1', '2001:4860:4860::8888', '172.32.0.1'])('accepts %s', (address) =>
    expect(isPublicAddress(address)).toBe(true),
  );
});
