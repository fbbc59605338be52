import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, expectProblem, type TestApp } from '../support/app.ts';
import { addCustomer, call, sentMessage } from './support.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe("another shop's key", () => {
  it("gets 404 for this shop's messages, webhook endpoints and customers, and changes nothing", async () => {
    const mine = await createTestShop(t, 'Mój sklep');
    const theirs = await createTestShop(t, 'Cudzy sklep');
    const c = await addCustomer(t, mine, {
      id: 'hania',
      email: 'hania@example.pl',
      phone: '+48600111222',
    });
    const messageId = await sentMessage(t, mine, c.id, {
      channel: 'email',
      purpose: 'marketing',
      to: 'hania@example.pl',
    });
    const endpoint = (
      await call(t, mine, 'POST', '/v1/webhook-endpoints', { url: 'https://93.184.215.14/h' })
    ).json();
    const push = {
      endpoint: 'https://push.example.com/sub/1',
      keys: {
        p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString('base64url'),
        auth: Buffer.alloc(16, 1).toString('base64url'),
      },
    };
    await call(t, mine, 'POST', '/v1/customers/hania/push-subscriptions', push);

    const attempts = [
      call(t, theirs, 'POST', `/v1/messages/${messageId}/events`, { kind: 'bounced' }),
      call(t, theirs, 'POST', `/v1/webhook-endpoints/${endpoint.id}/disable`),
      call(t, theirs, 'POST', `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`),
      call(t, theirs, 'GET', '/v1/customers/hania/consents'),
      call(t, theirs, 'POST', '/v1/customers/hania/consents', {
        changes: [
          { channel: 'email', purpose: 'marketing', granted: false, textShown: 'Nie chcę' },
        ],
      }),
      call(t, theirs, 'GET', '/v1/customers/hania/preferences-link'),
      call(t, theirs, 'POST', '/v1/customers/hania/push-subscriptions', push),
      call(
        t,
        theirs,
        'DELETE',
        `/v1/customers/hania/push-subscriptions?endpoint=${encodeURIComponent(push.endpoint)}`,
      ),
    ];
    for (const res of await Promise.all(attempts)) expectProblem(res, 404);

    expect((await call(t, theirs, 'GET', '/v1/webhook-endpoints')).json().data).toEqual([]);
    // Their STOP from the same number touches only their own customers.
    expect(
      (
        await call(t, theirs, 'POST', '/v1/sms/inbound', { from: '+48600111222', text: 'STOP' })
      ).json(),
    ).toEqual({
      stopped: true,
      customers: 0,
    });

    const message = await t.db
      .selectFrom('messages')
      .select('status')
      .where('id', '=', messageId)
      .executeTakeFirstOrThrow();
    expect(message.status).toBe('sent');
    const mySuppressions = await t.db
      .selectFrom('suppressions')
      .select('address')
      .where('shop_id', '=', mine.id)
      .execute();
    expect(mySuppressions).toEqual([]);
    expect((await call(t, mine, 'GET', '/v1/webhook-endpoints')).json().data[0].status).toBe(
      'active',
    );
    expect((await call(t, mine, 'GET', '/v1/customers/hania/consents')).json().history).toEqual([]);
    const sub = await t.db
      .selectFrom('push_subscriptions')
      .select(['shop_id', 'revoked_at'])
      .execute();
    expect(sub).toEqual([{ shop_id: mine.id, revoked_at: null }]);
  });

  it('sees neither settings nor templates of this shop', async () => {
    const mine = await createTestShop(t, 'Mój sklep 2');
    const theirs = await createTestShop(t, 'Cudzy sklep 2');
    await call(t, mine, 'PUT', '/v1/messaging/settings', { senderName: 'Moja nazwa' });
    await call(t, mine, 'PUT', '/v1/messaging/templates/birthday/sms/pl', {
      text: 'Sto lat od nas',
    });
    expect((await call(t, theirs, 'GET', '/v1/messaging/settings')).json().senderName).toBeNull();
    expect(
      (await call(t, theirs, 'GET', '/v1/messaging/templates/birthday/sms/pl')).json().own,
    ).toBe(false);
  });

  it('a missing key gets 401', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/messaging/settings' });
    expectProblem(res, 401);
  });
});
