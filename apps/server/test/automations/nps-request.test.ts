import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAutomationRound } from '../../src/automations/run-automation-round.ts';
import type { EmailTransport } from '../../src/messaging/email-transport.ts';
import { bearer, createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { orderPaid, refunded, send } from '../points/support.ts';
import { deliveryDeps, PUBLIC_URL, smtpTo, startSmtpSink, type SmtpSink } from './support.ts';

// The ready-made NPS request: a week after delivery, at 10:00 shop time, the one-click question;
// a refunded order takes the customer out before it is sent.
const clock = fixedClock('2026-05-04T08:00:00Z');
const DAY = 86_400_000;
let t: TestApp;
let sink: SmtpSink;
let email: EmailTransport;

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

describe('the NPS request after delivery (ready-made)', () => {
  it('asks a week after delivery at 10:00, and not after a refund', async () => {
    const shop = await createTestShop(t, 'Sklep NPS');
    const on = await t.app.inject({
      method: 'POST',
      url: '/v1/flows/ready/nps_request',
      headers: bearer(shop.apiKey),
    });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json()).toMatchObject({ readyKey: 'nps_request', status: 'active', version: 1 });
    const round = () => runAutomationRound(t.db, clock, deliveryDeps(t, email));
    const at = '2026-05-04T08:00:00Z';
    const buyer = (id: string) => ({
      id,
      email: `${id}@example.pl`,
      acceptsMarketing: { email: true },
    });
    await send(
      t,
      shop,
      orderPaid('o-jan', buyer('jan'), at, { total: 10_000 }),
      orderPaid('o-ewa', buyer('ewa'), at, { total: 10_000 }),
      { type: 'order.fulfilled', id: 'f-jan', data: { orderId: 'o-jan', fulfilledAt: at } },
      { type: 'order.fulfilled', id: 'f-ewa', data: { orderId: 'o-ewa', fulfilledAt: at } },
    );
    await round();
    const nps = (to: string) =>
      sink.mails.filter(
        (m) => m.envelopeTo.includes(to) && /pytanie|question/i.test(m.subject ?? ''),
      );
    // Ewa returns her order two days later: she leaves the flow.
    clock.set(new Date(Date.parse(at) + 2 * DAY));
    await send(t, shop, refunded('o-ewa', 'r-ewa', 10_000, clock.now().toISOString()));
    await round();
    // Day 7, 09:00 Warsaw time: not yet; 10:00: Jan is asked.
    clock.set('2026-05-11T07:00:00Z');
    await round();
    expect(nps('jan@example.pl')).toHaveLength(0);
    clock.set('2026-05-11T08:00:30Z');
    await round();
    expect(nps('jan@example.pl')).toHaveLength(1);
    expect(nps('ewa@example.pl')).toHaveLength(0);
    const runs = await t.db
      .selectFrom('flow_runs')
      .select(['status', 'end_reason'])
      .where('shop_id', '=', shop.id)
      .where('flow_id', '=', on.json().id)
      .execute();
    expect(runs.map((r) => r.end_reason).sort()).toEqual(['done', 'exit:order.refunded']);
  }, 60_000);
});
