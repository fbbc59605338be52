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

async function message(shopId: string, id: string) {
  return t.db
    .selectFrom('messages')
    .select(['status', 'delivered_at'])
    .where('shop_id', '=', shopId)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}
async function events(shopId: string, id: string) {
  return t.db
    .selectFrom('message_events')
    .select('kind')
    .where('shop_id', '=', shopId)
    .where('message_id', '=', id)
    .execute();
}
async function suppressions(shopId: string) {
  return t.db
    .selectFrom('suppressions')
    .select(['channel', 'address', 'reason', 'message_id'])
    .where('shop_id', '=', shopId)
    .execute();
}

describe("delivery reports from the shop's provider", () => {
  it('delivered stamps the time and moves a sent message to delivered, once', async () => {
    const shop = await createTestShop(t);
    const c = await addCustomer(t, shop, { id: 'ala', email: 'ala@example.pl' });
    const id = await sentMessage(t, shop, c.id, {
      channel: 'email',
      purpose: 'loyalty',
      to: 'ala@example.pl',
    });
    const at = '2026-03-02T10:00:05.000Z';
    const first = await call(t, shop, 'POST', `/v1/messages/${id}/events`, {
      kind: 'delivered',
      at,
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({
      messageId: id,
      kind: 'delivered',
      recorded: true,
      status: 'delivered',
    });
    const again = await call(t, shop, 'POST', `/v1/messages/${id}/events`, { kind: 'delivered' });
    expect(again.json()).toMatchObject({ recorded: false, status: 'delivered' });
    expect(await message(shop.id, id)).toEqual({ status: 'delivered', delivered_at: new Date(at) });
    expect(await events(shop.id, id)).toEqual([{ kind: 'delivered' }]);
  });

  it('a bounce marks the message bounced and suppresses its address', async () => {
    const shop = await createTestShop(t);
    const c = await addCustomer(t, shop, { id: 'bogna', email: 'Bogna@example.pl' });
    const id = await sentMessage(t, shop, c.id, {
      channel: 'email',
      purpose: 'marketing',
      to: 'bogna@example.pl',
    });
    for (let i = 0; i < 2; i++) {
      const res = await call(t, shop, 'POST', `/v1/messages/${id}/events`, { kind: 'bounced' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().status).toBe('bounced');
    }
    expect((await message(shop.id, id)).status).toBe('bounced');
    expect(await suppressions(shop.id)).toEqual([
      { channel: 'email', address: 'bogna@example.pl', reason: 'bounced', message_id: id },
    ]);
    expect(await events(shop.id, id)).toEqual([{ kind: 'bounced' }]);
  });

  it("a complaint suppresses the address and withdraws consent for the message's purpose on its channel", async () => {
    const shop = await createTestShop(t);
    const c = await addCustomer(t, shop, {
      id: 'celina',
      phone: '+48600700800',
      acceptsMarketing: { sms: true },
    });
    const id = await sentMessage(t, shop, c.id, {
      channel: 'sms',
      purpose: 'marketing',
      to: '+48600700800',
    });
    for (let i = 0; i < 2; i++)
      await call(t, shop, 'POST', `/v1/messages/${id}/events`, { kind: 'complained' });
    expect(await suppressions(shop.id)).toEqual([
      { channel: 'sms', address: '+48600700800', reason: 'complained', message_id: id },
    ]);
    const consents = (await call(t, shop, 'GET', '/v1/customers/celina/consents')).json();
    expect(
      consents.consents.filter(
        (x: { channel: string; source: string }) => x.channel === 'sms' && x.source === 'recorded',
      ),
    ).toEqual([
      {
        channel: 'sms',
        purpose: 'marketing',
        granted: false,
        source: 'recorded',
        changedAt: expect.any(String),
      },
    ]);
    expect(consents.history).toHaveLength(1);
    expect(consents.history[0]).toMatchObject({ source: 'api', messageId: id, granted: false });
    // A later bounce outranks the complaint.
    await call(t, shop, 'POST', `/v1/messages/${id}/events`, { kind: 'bounced' });
    expect((await suppressions(shop.id))[0]!.reason).toBe('bounced');
  });

  it('answer 404 for an unknown message and 422 for a webhook message', async () => {
    const shop = await createTestShop(t);
    expectProblem(
      await call(t, shop, 'POST', '/v1/messages/msg_nope/events', { kind: 'delivered' }),
      404,
    );
    const c = await addCustomer(t, shop, { id: 'dawid' });
    const id = await sentMessage(t, shop, c.id, {
      channel: 'webhook',
      purpose: 'loyalty',
      to: 'whe_1',
    });
    const res = await call(t, shop, 'POST', `/v1/messages/${id}/events`, { kind: 'bounced' });
    expectProblem(res, 422);
    expect(await suppressions(shop.id)).toEqual([]);
  });
});
