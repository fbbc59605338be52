import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAutomationRound } from '../../src/automations/run-automation-round.ts';
import type { EmailTransport } from '../../src/messaging/email-transport.ts';
import type { SmsProvider } from '../../src/messaging/sms-provider.ts';
import { bearer, createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { orderPaid, send } from '../points/support.ts';
import { deliveryDeps, PUBLIC_URL, smtpTo, startSmtpSink, type SmtpSink } from './support.ts';

// A customer stored before phones were read into E.164 ("600 100 200") gets the SMS at
// +48600100200: the gateway (Twilio) refuses anything else, for good.
const clock = fixedClock('2026-01-12T11:00:00Z'); // 12:00 in Warsaw, outside quiet hours
let t: TestApp;
let sink: SmtpSink;
let email: EmailTransport;
const sent: Array<Parameters<SmsProvider['send']>[0]> = [];
const provider: SmsProvider = {
  name: 'twilio-like',
  async send(input) {
    if (!/^\+[1-9]\d{6,14}$/.test(input.to)) throw new Error(`not E.164: ${input.to}`);
    sent.push(input);
    return { providerId: `SM${sent.length}`, segments: 1 };
  },
};

beforeAll(async () => {
  t = await createTestApp({ clock, config: { publicUrl: PUBLIC_URL } });
  sink = await startSmtpSink();
  email = smtpTo(sink);
});
afterAll(async () => {
  await email.close();
  await sink.close();
  await t.close();
});

const deps = () =>
  deliveryDeps(t, email, { channels: { email, sms: async () => ({ provider, sender: 'Sklep' }) } });

describe('SMS to a phone stored before E.164', () => {
  it('goes to the provider as +48600100200', async () => {
    const shop = await createTestShop(t);
    const flow = await t.app.inject({
      method: 'POST',
      url: '/v1/flows',
      headers: bearer(shop.apiKey),
      payload: {
        name: 'SMS',
        definition: {
          trigger: { type: 'order.paid' },
          steps: [
            {
              id: 'sms',
              type: 'send',
              channel: 'sms',
              template: 'points_expiring',
              purpose: 'loyalty',
            },
          ],
        },
      },
    });
    expect(flow.statusCode, flow.body).toBe(201);
    await send(
      t,
      shop,
      orderPaid('o-1', { id: 'ola', phone: '+48600100200' }, '2026-01-12T11:00:00Z', {
        total: 5_000,
      }),
    );
    // as a row written before ingestion read phones into E.164
    await t.db
      .updateTable('customers')
      .set({ phone: '600 100 200' })
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', 'ola')
      .execute();
    for (const at of ['2026-01-12T11:00:30Z', '2026-01-12T11:01:00Z', '2026-01-12T11:02:00Z']) {
      clock.set(at);
      await runAutomationRound(t.db, clock, deps());
    }
    const message = await t.db
      .selectFrom('messages')
      .select(['status', 'to_address'])
      .where('shop_id', '=', shop.id)
      .where('channel', '=', 'sms')
      .executeTakeFirstOrThrow();
    expect(message.to_address).toBe('600 100 200');
    expect(message).toMatchObject({ status: 'sent' });
    expect(sent.map((s) => s.to)).toEqual(['+48600100200']);
  });
});
