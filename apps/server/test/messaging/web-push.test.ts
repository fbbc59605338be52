import { createECDH, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateVapidKeys, webPushSender } from '../../src/messaging/web-push-sender.ts';
import { localServer } from './local-server.ts';

// A browser's subscription: its P-256 public key and auth secret.
function browserSubscription(endpoint: string) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    endpoint,
    keys: {
      p256dh: ecdh.getPublicKey().toString('base64url'),
      auth: randomBytes(16).toString('base64url'),
    },
  };
}

describe('webPushSender', () => {
  let server: Awaited<ReturnType<typeof localServer>>;
  beforeAll(async () => {
    server = await localServer((req) => {
      if (req.url.startsWith('/gone')) return { status: 410 };
      if (req.url.startsWith('/missing')) return { status: 404 };
      if (req.url.startsWith('/busy')) return { status: 429 };
      if (req.url.startsWith('/bad')) return { status: 400 };
      return { status: 201, headers: { location: `${server.url}/m/abc` } };
    });
  });
  afterAll(() => server.close());

  const vapid = { ...generateVapidKeys(), subject: 'mailto:ops@lojal.example' };
  const payload = {
    title: 'Punkty niedługo wygasną',
    body: 'Masz 120 punktów',
    url: 'https://ziarno.example',
  };

  it('posts an encrypted payload signed with VAPID, with TTL and topic', async () => {
    const sender = webPushSender(vapid);
    const result = await sender.send(browserSubscription(`${server.url}/push/sub-1`), payload, {
      ttlSeconds: 3600,
      topic: 'points-expiring',
    });
    expect(result.providerId).toBe(`${server.url}/m/abc`);
    const req = server.seen.at(-1)!;
    expect(req.url).toBe('/push/sub-1');
    expect(req.headers['content-encoding']).toBe('aes128gcm');
    expect(req.headers.ttl).toBe('3600');
    expect(req.headers.topic).toBe('points-expiring');
    expect(req.headers.authorization).toMatch(
      new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${vapid.publicKey}$`),
    );
    const jwt = (req.headers.authorization as string).split(/t=|,/)[1]!;
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ aud: server.url, sub: 'mailto:ops@lojal.example' });
    // Encrypted: the text of the payload does not appear.
    expect(req.body).not.toContain('Punkty');
  });

  it.each([
    ['/gone', 'gone'],
    ['/missing', 'gone'],
    ['/busy', 'transient'],
    ['/bad', 'permanent'],
  ])('treats %s as %s', async (path, kind) => {
    const sender = webPushSender(vapid);
    await expect(
      sender.send(browserSubscription(`${server.url}${path}`), payload),
    ).rejects.toMatchObject({ kind });
  });

  it('treats no answer as transient', async () => {
    const sender = webPushSender(vapid);
    await expect(
      sender.send(browserSubscription('http://127.0.0.1:1/push'), payload),
    ).rejects.toMatchObject({
      kind: 'transient',
    });
  });
});
