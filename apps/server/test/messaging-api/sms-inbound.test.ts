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

async function smsConsents(shopId: string) {
  return t.db
    .selectFrom('consents')
    .innerJoin('consent_events', (j) =>
      j
        .onRef('consent_events.shop_id', '=', 'consents.shop_id')
        .onRef('consent_events.id', '=', 'consents.event_id'),
    )
    .select([
      'consents.customer_id',
      'consents.purpose',
      'consents.granted',
      'consent_events.source',
      'consent_events.text_shown',
    ])
    .where('consents.shop_id', '=', shopId)
    .where('consents.channel', '=', 'sms')
    .orderBy('consents.customer_id')
    .orderBy('consents.purpose')
    .execute();
}

describe('SMS replies', () => {
  it('STOP withdraws SMS consent of every customer with that phone, with the text as proof, and suppresses it', async () => {
    const shop = await createTestShop(t);
    const ela = await addCustomer(t, shop, {
      id: 'ela',
      phone: '+48 600 100 200',
      acceptsMarketing: { sms: true },
    });
    const ela2 = await addCustomer(t, shop, { id: 'ela-old-account', phone: '600-100-200' });
    await addCustomer(t, shop, { id: 'other', phone: '+48600100201' });
    // Both are stored in E.164 now; rows from before keep the forms the shop sent.
    for (const [id, phone] of [
      [ela.id, '+48 600 100 200'],
      [ela2.id, '600-100-200'],
    ] as const) {
      await t.db.updateTable('customers').set({ phone }).where('id', '=', id).execute();
    }

    const res = await call(t, shop, 'POST', '/v1/sms/inbound', {
      from: '+48600100200',
      text: 'Rezygnuję.',
      provider: 'smsapi',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ stopped: true, customers: 2 });

    const consents = await smsConsents(shop.id);
    expect(consents).toHaveLength(6);
    expect(new Set(consents.map((c) => c.customer_id))).toEqual(new Set([ela.id, ela2.id]));
    for (const c of consents)
      expect(c).toMatchObject({ granted: false, source: 'sms_stop', text_shown: 'Rezygnuję.' });
    expect(consents.map((c) => c.purpose).sort()).toEqual([
      'feedback',
      'feedback',
      'loyalty',
      'loyalty',
      'marketing',
      'marketing',
    ]);

    const suppressed = await t.db
      .selectFrom('suppressions')
      .select(['channel', 'address', 'reason'])
      .where('shop_id', '=', shop.id)
      .orderBy('address')
      .execute();
    // The E.164 number and each form the shop stored it in (messages carry the stored form).
    expect(suppressed).toEqual([
      { channel: 'sms', address: '+48 600 100 200', reason: 'stop' },
      { channel: 'sms', address: '+48600100200', reason: 'stop' },
      { channel: 'sms', address: '600-100-200', reason: 'stop' },
    ]);

    // The customer's consent view agrees.
    const view = (await call(t, shop, 'GET', '/v1/customers/ela/consents')).json();
    expect(
      view.consents.find(
        (c: { channel: string; purpose: string }) =>
          c.channel === 'sms' && c.purpose === 'marketing',
      ),
    ).toMatchObject({
      granted: false,
      source: 'recorded',
    });
  });

  it('a repeated STOP records nothing new', async () => {
    const shop = await createTestShop(t);
    await addCustomer(t, shop, { id: 'fryderyk', phone: '+48700800900' });
    for (let i = 0; i < 2; i++) {
      const res = await call(t, shop, 'POST', '/v1/sms/inbound', {
        from: '+48700800900',
        text: 'STOP',
      });
      expect(res.json()).toEqual({ stopped: true, customers: 1 });
    }
    const events = await t.db
      .selectFrom('consent_events')
      .select('id')
      .where('shop_id', '=', shop.id)
      .execute();
    expect(events).toHaveLength(3);
  });

  it('a STOP from a number no customer has still suppresses it', async () => {
    const shop = await createTestShop(t);
    const res = await call(t, shop, 'POST', '/v1/sms/inbound', {
      from: '+48500400300',
      text: 'stop',
    });
    expect(res.json()).toEqual({ stopped: true, customers: 0 });
    const rows = await t.db
      .selectFrom('suppressions')
      .select('address')
      .where('shop_id', '=', shop.id)
      .execute();
    expect(rows).toEqual([{ address: '+48500400300' }]);
  });

  it('any other text changes nothing', async () => {
    const shop = await createTestShop(t);
    await addCustomer(t, shop, { id: 'gosia', phone: '+48601602603' });
    for (const text of [
      'Nie wiem, czy zdążę odebrać',
      'Dziękuję!',
      'stop wysyłania tego w nocy proszę',
    ]) {
      const res = await call(t, shop, 'POST', '/v1/sms/inbound', { from: '+48601602603', text });
      expect(res.json()).toEqual({ stopped: false, customers: 0 });
    }
    expect(await smsConsents(shop.id)).toEqual([]);
    expect(
      await t.db
        .selectFrom('suppressions')
        .select('address')
        .where('shop_id', '=', shop.id)
        .execute(),
    ).toEqual([]);
  });

  it('refuse a sender that is not an E.164 number', async () => {
    const shop = await createTestShop(t);
    const res = await call(t, shop, 'POST', '/v1/sms/inbound', { from: '600100200', text: 'STOP' });
    expectProblem(res, 400);
    expect(res.json().errors[0].path).toBe('from');
  });
});
