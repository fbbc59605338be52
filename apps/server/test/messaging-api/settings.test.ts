import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageChannels } from '../../src/automations/message-channels.ts';
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

const SMSAPI_TOKEN = 'smsapi-secret-token-0123456789';

describe('messaging settings', () => {
  it('start from the defaults before anything is saved', async () => {
    const shop = await createTestShop(t);
    const res = await call(t, shop, 'GET', '/v1/messaging/settings');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      senderName: null,
      fromAddress: null,
      quietHours: { start: '21:00', end: '08:00' },
      weeklyMarketingCap: 3,
      tracking: true,
      conversionDays: 5,
      smsProvider: null,
      brand: { primaryColor: '#1f6f5c', tone: 'friendly' },
    });
  });

  it('round-trip, with the SMS token stored sealed and never shown again', async () => {
    const shop = await createTestShop(t);
    const put = await call(t, shop, 'PUT', '/v1/messaging/settings', {
      senderName: 'Sklep Ziutki',
      fromAddress: 'Sklep@Ziutka.pl',
      replyTo: 'pomoc@ziutka.pl',
      postalAddress: 'ul. Długa 5\n00-001 Warszawa',
      brand: { primaryColor: '#aa3300', tone: 'formal' },
      quietHours: { start: '22:00', end: '07:30' },
      weeklyMarketingCap: 2,
      tracking: false,
      conversionDays: 7,
      smsSender: 'Ziutka',
      smsProvider: { provider: 'smsapi', token: SMSAPI_TOKEN },
    });
    expect(put.statusCode, put.body).toBe(200);
    const get = await call(t, shop, 'GET', '/v1/messaging/settings');
    expect(get.json()).toEqual(put.json());
    expect(get.json()).toMatchObject({
      senderName: 'Sklep Ziutki',
      fromAddress: 'sklep@ziutka.pl',
      brand: { primaryColor: '#aa3300', textColor: '#1d2327', tone: 'formal' },
      quietHours: { start: '22:00', end: '07:30' },
      weeklyMarketingCap: 2,
      tracking: false,
      conversionDays: 7,
      smsSender: 'Ziutka',
      smsProvider: { provider: 'smsapi', configured: true },
    });
    expect(get.body).not.toContain(SMSAPI_TOKEN);

    const row = await t.db
      .selectFrom('messaging_settings')
      .selectAll()
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(row.sms_credentials!.toString('utf8')).not.toContain(SMSAPI_TOKEN);
    expect(JSON.stringify(row)).not.toContain(SMSAPI_TOKEN);
    expect(JSON.parse(t.box.open(row.sms_credentials!).toString('utf8'))).toEqual({
      token: SMSAPI_TOKEN,
    });
    // The delivery side opens what was saved.
    const sms = await messageChannels(t.db, t.clock, t.box, {
      publicUrl: 'https://lojal.example',
      outbound: publicOutbound(),
    }).sms!(shop.id);
    expect(sms?.sender).toBe('Ziutka');
  });

  it('replace what a PUT leaves out with the defaults, but keep the write-only SMS credentials', async () => {
    const shop = await createTestShop(t);
    await call(t, shop, 'PUT', '/v1/messaging/settings', {
      senderName: 'Ziutka',
      weeklyMarketingCap: 1,
      smsProvider: {
        provider: 'twilio',
        accountSid: 'AC' + '0123456789abcdef'.repeat(2),
        authToken: 'twilio-auth-token-123456',
      },
    });
    const res = await call(t, shop, 'PUT', '/v1/messaging/settings', { tracking: false });
    expect(res.json()).toMatchObject({
      senderName: null,
      weeklyMarketingCap: 3,
      tracking: false,
      smsProvider: { provider: 'twilio', configured: true },
    });
    const removed = await call(t, shop, 'PUT', '/v1/messaging/settings', { smsProvider: null });
    expect(removed.json().smsProvider).toBeNull();
  });

  it('refuse a bad colour, a bad e-mail and quiet hours that are not HH:MM, naming each field', async () => {
    const shop = await createTestShop(t);
    const res = await call(t, shop, 'PUT', '/v1/messaging/settings', {
      fromAddress: 'not an address',
      brand: { primaryColor: 'red' },
      quietHours: { start: '25:00', end: '8:00' },
    });
    expectProblem(res, 400);
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'fromAddress',
        'brand.primaryColor',
        'quietHours.start',
        'quietHours.end',
      ]),
    );
    expect(
      res.json().errors.find((e: { path: string }) => e.path === 'brand.primaryColor').message,
    ).toContain('#rrggbb');
    // Nothing was saved.
    expect((await call(t, shop, 'GET', '/v1/messaging/settings')).json().fromAddress).toBeNull();
  });

  it('hold an alphanumeric SMS sender to 11 GSM characters without diacritics', async () => {
    const shop = await createTestShop(t);
    for (const sender of ['SklepZiutki1', 'Łódź', 'Sklep<3']) {
      const res = await call(t, shop, 'PUT', '/v1/messaging/settings', { smsSender: sender });
      expectProblem(res, 400);
      expect(res.json().errors[0].path).toBe('smsSender');
    }
    for (const sender of ['Sklep Ziuta', '+48600100200', 'ZIUTKA.PL']) {
      const res = await call(t, shop, 'PUT', '/v1/messaging/settings', { smsSender: sender });
      expect(res.statusCode, res.body).toBe(200);
    }
  });
});

describe('web push keys', () => {
  it('are made once; the public key is readable and the private key sealed', async () => {
    const shop = await createTestShop(t);
    expectProblem(await call(t, shop, 'GET', '/v1/messaging/push-keys'), 404);
    const first = await call(t, shop, 'POST', '/v1/messaging/push-keys');
    expect(first.statusCode, first.body).toBe(201);
    const { publicKey } = first.json();
    expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);
    const again = await call(t, shop, 'POST', '/v1/messaging/push-keys');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ publicKey });
    expect((await call(t, shop, 'GET', '/v1/messaging/push-keys')).json()).toEqual({ publicKey });

    const row = await t.db
      .selectFrom('messaging_settings')
      .select(['vapid_private_key'])
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(
      Buffer.from(t.box.open(row.vapid_private_key!).toString('utf8'), 'base64url'),
    ).toHaveLength(32);
    // Saving settings afterwards keeps the keys.
    await call(t, shop, 'PUT', '/v1/messaging/settings', {});
    expect((await call(t, shop, 'GET', '/v1/messaging/push-keys')).json()).toEqual({ publicKey });
  });
});

describe('the OpenAPI document', () => {
  it('describes the messaging routes under their tag', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode, res.body).toBe(200);
    const paths = res.json().paths as Record<string, Record<string, { tags?: string[] }>>;
    for (const path of [
      '/v1/messaging/settings',
      '/v1/messaging/templates/{key}/{channel}/{locale}/preview',
      '/v1/webhook-endpoints/{id}/rotate-secret',
      '/v1/sms/inbound',
      '/v1/messages/{messageId}/events',
      '/v1/customers/{customerId}/preferences-link',
    ]) {
      const operations = Object.values(paths[path] ?? {});
      expect(operations.length, path).toBeGreaterThan(0);
      for (const op of operations) expect(op.tags).toEqual(['messaging']);
    }
  });
});
