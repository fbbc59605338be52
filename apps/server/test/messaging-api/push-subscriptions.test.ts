import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, expectProblem, type TestApp } from '../support/app.ts';
import { addCustomer, call } from './support.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const ENDPOINT = 'https://fcm.googleapis.com/fcm/send/dXNlci0xMjM6QVBBOTFi';
const keys = (seed: number) => ({
  p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, seed)]).toString('base64url'),
  auth: Buffer.alloc(16, seed).toString('base64url'),
});

async function rows(shopId: string) {
  return t.db
    .selectFrom('push_subscriptions')
    .select(['customer_id', 'endpoint', 'p256dh', 'user_agent', 'revoked_at'])
    .where('shop_id', '=', shopId)
    .execute();
}

describe('push subscriptions', () => {
  it('subscribe, resubscribe the same endpoint (one row, live again) and unsubscribe', async () => {
    const shop = await createTestShop(t);
    const anna = await addCustomer(t, shop, { id: 'anna', email: 'anna@example.pl' });
    const url = '/v1/customers/anna/push-subscriptions';

    const first = await call(t, shop, 'POST', url, {
      endpoint: ENDPOINT,
      keys: keys(1),
      userAgent: 'Firefox',
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      id: expect.stringMatching(/^psh_/),
      customerId: 'anna',
      endpoint: ENDPOINT,
    });

    const off = await t.app.inject({
      method: 'DELETE',
      url: `${url}?endpoint=${encodeURIComponent(ENDPOINT)}`,
      headers: { authorization: `Bearer ${shop.apiKey}` },
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().revokedAt).toEqual(expect.any(String));
    expect((await rows(shop.id))[0]!.revoked_at).not.toBeNull();

    const again = await call(t, shop, 'POST', url, {
      endpoint: ENDPOINT,
      keys: keys(2),
      userAgent: 'Firefox 2',
    });
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    expect(await rows(shop.id)).toEqual([
      {
        customer_id: anna.id,
        endpoint: ENDPOINT,
        p256dh: keys(2).p256dh,
        user_agent: 'Firefox 2',
        revoked_at: null,
      },
    ]);
  });

  it('refuse keys that are not a P-256 key and a 16-byte secret, and a plain-http endpoint', async () => {
    const shop = await createTestShop(t);
    await addCustomer(t, shop, { id: 'bartek' });
    const res = await call(t, shop, 'POST', '/v1/customers/bartek/push-subscriptions', {
      endpoint: 'http://push.example.com/x',
      keys: { p256dh: 'abc', auth: 'not base64!' },
    });
    expectProblem(res, 400);
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['endpoint', 'keys.p256dh', 'keys.auth']));
  });

  it('refuse with 422 an endpoint on a local name or a port not allowed, and store nothing', async () => {
    const shop = await createTestShop(t);
    await addCustomer(t, shop, { id: 'dorota' });
    const cases: Array<[string, string]> = [
      ['https://a.localhost/x', 'a.localhost is a local name, not reachable from the internet'],
      [
        'https://localhost.localdomain/x',
        'localhost.localdomain is a local name, not reachable from the internet',
      ],
      ['https://push.example.com:6379/x', 'port 6379 is not allowed (allowed: 80, 443)'],
    ];
    for (const [endpoint, message] of cases) {
      const res = await call(t, shop, 'POST', '/v1/customers/dorota/push-subscriptions', {
        endpoint,
        keys: keys(4),
      });
      expectProblem(res, 422);
      expect(res.json().errors).toEqual([{ path: 'endpoint', message }]);
      expect(res.json().messages.pl).toBeTruthy();
    }
    expect(await rows(shop.id)).toEqual([]);
  });

  it('answer 404 for an unknown customer or an endpoint they never subscribed', async () => {
    const shop = await createTestShop(t);
    await addCustomer(t, shop, { id: 'celina' });
    expectProblem(
      await call(t, shop, 'POST', '/v1/customers/nobody/push-subscriptions', {
        endpoint: ENDPOINT,
        keys: keys(1),
      }),
      404,
    );
    expectProblem(
      await call(
        t,
        shop,
        'DELETE',
        `/v1/customers/celina/push-subscriptions?endpoint=${encodeURIComponent(ENDPOINT)}`,
      ),
      404,
    );
  });
});
