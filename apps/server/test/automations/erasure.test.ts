import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAutomationRound } from '../../src/automations/run-automation-round.ts';
import { databaseOutbox } from '../../src/automations/message-channels.ts';
import {
  createTestApp,
  createTestShop,
  currentWebhookSecret,
  fixedClock,
  shopifyHeaders,
  type TestApp,
} from '../support/app.ts';
import { orderPaid, send } from '../points/support.ts';
import { deliveryDeps, PUBLIC_URL } from './support.ts';

const clock = fixedClock('2026-09-01T10:00:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock, config: { publicUrl: PUBLIC_URL } });
});
afterAll(() => t.close());

describe('erasure (RODO/GDPR)', () => {
  it('a redacted customer leaves the welcome series; queued mail is held back and copies removed', async () => {
    const shop = await createTestShop(t);
    const outbox = databaseOutbox(t.db, clock);
    await send(
      t,
      shop,
      orderPaid(
        'o-1',
        { id: 'ala', email: 'ala@example.pl', acceptsMarketing: { email: true } },
        '2026-09-01T10:00:00Z',
        { total: 9_000 },
      ),
    );
    await runAutomationRound(t.db, clock, deliveryDeps(t, outbox));
    // Without SMTP_URL the day-0 thank-you is kept in the outbox, readable through the API.
    const listed = await t.app.inject({
      method: 'GET',
      url: '/v1/outbox',
      headers: { authorization: `Bearer ${shop.apiKey}` },
    });
    expect(listed.json().mails).toHaveLength(1);
    const raw = await t.app.inject({
      method: 'GET',
      url: `/v1/outbox/${listed.json().mails[0].messageId}`,
      headers: { authorization: `Bearer ${shop.apiKey}` },
    });
    expect(raw.json().raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');

    const secret = await currentWebhookSecret(t, shop.id);
    const body = JSON.stringify({ customer: { id: 'ala', email: 'ala@example.pl' } });
    const redact = await t.app.inject({
      method: 'POST',
      url: `/v1/webhooks/shopify/${shop.id}`,
      headers: shopifyHeaders(secret, body, 'customers/redact', 'wh-redact-1'),
      payload: body,
    });
    expect(redact.statusCode).toBe(200);
    await t.processor.drain();

    clock.set('2026-09-03T10:01:00Z'); // day 2: the tip would be due
    await runAutomationRound(t.db, clock, deliveryDeps(t, outbox));
    const run = await t.db
      .selectFrom('flow_runs')
      .select(['status', 'end_reason'])
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(run).toEqual({ status: 'exited', end_reason: 'customer_redacted' });
    expect(
      await t.db
        .selectFrom('mail_outbox')
        .select('message_id')
        .where('shop_id', '=', shop.id)
        .execute(),
    ).toEqual([]);
    const log = await t.db
      .selectFrom('messages')
      .select(['status', 'to_address', 'body_text'])
      .where('shop_id', '=', shop.id)
      .execute();
    expect(log).toEqual([{ status: 'sent', to_address: null, body_text: null }]);
  });
});
