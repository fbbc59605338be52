import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smsapiProvider } from '../../src/messaging/smsapi-provider.ts';
import { twilioProvider } from '../../src/messaging/twilio-provider.ts';
import { localServer } from './local-server.ts';

type Server = Awaited<ReturnType<typeof localServer>>;

describe('smsapiProvider', () => {
  const sentIdx = new Set<string>();
  let server: Server;
  beforeAll(async () => {
    // Plays SMSAPI: checks the token and the form, refuses a repeated idx like check_idx=1 does.
    server = await localServer((req) => {
      const form = new URLSearchParams(req.body);
      if (req.headers.authorization !== 'Bearer tok-123')
        return { status: 401, body: { error: 101, message: 'Authorization failed' } };
      const to = form.get('to')!;
      if (to === '48500000013')
        return {
          status: 200,
          body: { error: 13, message: 'No correct phone numbers', invalid_numbers: [] },
        };
      if (to === '48500000052')
        return { status: 200, body: { error: 52, message: 'Too many messages' } };
      if (to === '48500000014')
        return { status: 200, body: { error: 14, message: 'Wrong sender name' } };
      if (to === '48500000500') return { status: 503, body: 'down' };
      const idx = form.get('idx')!;
      if (form.get('check_idx') === '1' && sentIdx.has(idx))
        return { status: 200, body: { error: 53, message: 'Not unique idx' } };
      sentIdx.add(idx);
      return {
        status: 200,
        body: {
          count: 1,
          list: [
            { id: `msg-${sentIdx.size}`, points: 0.16, number: to, status: 'QUEUE', idx, parts: 2 },
          ],
        },
      };
    });
  });
  afterAll(() => server.close());

  const provider = () => smsapiProvider({ token: 'tok-123', baseUrl: server.url });
  const input = (to: string, idempotencyKey = `snd_${to}`) => ({
    to: `+${to}`,
    from: 'Ziarno',
    text: 'Sto lat! Zażółć gęślą jaźń',
    idempotencyKey,
  });

  it('posts the form SMSAPI expects and returns its id and billed parts', async () => {
    const result = await provider().send(input('48500100200'));
    expect(result).toEqual({ providerId: 'msg-1', segments: 2 });
    const req = server.seen.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/sms.do');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({
      to: '48500100200',
      from: 'Ziarno',
      message: 'Sto lat! Zażółć gęślą jaźń',
      encoding: 'utf-8',
      format: 'json',
      idx: 'snd_48500100200',
      check_idx: '1',
    });
  });

  it('takes a repeated send key as already sent rather than sending twice', async () => {
    await provider().send(input('48500100201', 'snd_retry'));
    const again = await provider().send(input('48500100201', 'snd_retry'));
    expect(again.providerId).toBe('idx:snd_retry');
    expect(again.segments).toBe(1);
  });

  it.each([
    ['48500000013', 'bounce', '13'],
    ['48500000052', 'transient', '52'],
    ['48500000014', 'permanent', '14'],
    ['48500000500', 'transient', '503'],
  ])('maps the answer for %s to %s', async (to, kind, providerCode) => {
    await expect(provider().send(input(to))).rejects.toMatchObject({
      name: 'DeliveryError',
      kind,
      providerCode,
    });
  });

  it('maps a bad token to permanent', async () => {
    const p = smsapiProvider({ token: 'wrong', baseUrl: server.url });
    await expect(p.send(input('48500100200'))).rejects.toMatchObject({
      kind: 'permanent',
      providerCode: '101',
    });
  });

  it('maps no answer to transient', async () => {
    const p = smsapiProvider({ token: 'tok-123', baseUrl: 'http://127.0.0.1:1' });
    await expect(p.send(input('48500100200'))).rejects.toMatchObject({ kind: 'transient' });
  });
});

describe('twilioProvider', () => {
  let server: Server;
  const auth = `Basic ${Buffer.from('AC123:secret').toString('base64')}`;
  beforeAll(async () => {
    server = await localServer((req) => {
      if (req.headers.authorization !== auth)
        return { status: 401, body: { code: 20003, message: 'Authenticate', status: 401 } };
      const form = new URLSearchParams(req.body);
      const to = form.get('To');
      if (to === '+48500021610')
        return {
          status: 400,
          body: { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 },
        };
      if (to === '+48500021211')
        return {
          status: 400,
          body: { code: 21211, message: "The 'To' number is not valid", status: 400 },
        };
      if (to === '+48500000429')
        return { status: 429, body: { code: 20429, message: 'Too Many Requests', status: 429 } };
      if (to === '+48500000500') return { status: 500, body: { message: 'oops' } };
      return {
        status: 201,
        body: { sid: 'SM0001', num_segments: '1', status: 'queued', body: form.get('Body') },
      };
    });
  });
  afterAll(() => server.close());

  const provider = (authToken = 'secret') =>
    twilioProvider({ accountSid: 'AC123', authToken, baseUrl: server.url });
  const input = (to: string) => ({
    to,
    from: '+48700000000',
    text: 'Sto lat!',
    idempotencyKey: 'snd_1',
  });

  it('posts To, From and Body with basic auth to the account’s Messages resource', async () => {
    expect(await provider().send(input('+48500100200'))).toEqual({
      providerId: 'SM0001',
      segments: 1,
    });
    const req = server.seen.at(-1)!;
    expect(req.url).toBe('/2010-04-01/Accounts/AC123/Messages.json');
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({
      To: '+48500100200',
      From: '+48700000000',
      Body: 'Sto lat!',
    });
  });

  it.each([
    ['+48500021610', 'bounce', '21610'],
    ['+48500021211', 'bounce', '21211'],
    ['+48500000429', 'transient', '20429'],
    ['+48500000500', 'transient', '500'],
  ])('maps the answer for %s to %s', async (to, kind, providerCode) => {
    await expect(provider().send(input(to))).rejects.toMatchObject({ kind, providerCode });
  });

  it('maps bad credentials to permanent', async () => {
    await expect(provider('nope').send(input('+48500100200'))).rejects.toMatchObject({
      kind: 'permanent',
      providerCode: '20003',
    });
  });
});
