import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAutomationRound } from '../../src/automations/run-automation-round.ts';
import type { EmailTransport } from '../../src/messaging/email-transport.ts';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { orderPaid, send } from '../points/support.ts';
import { deliveryDeps, PUBLIC_URL, smtpTo, startSmtpSink, type SmtpSink } from './support.ts';

const clock = fixedClock('2026-03-02T10:00:00Z');
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

const customer = (id: string, accepts = true) => ({
  id,
  email: `${id}@example.pl`,
  firstName: 'Zofia',
  acceptsMarketing: { email: accepts },
});

/** Moves the fake clock to `day` days after `start` and lets the engine do its round. */
async function dayAfter(start: number, day: number) {
  clock.set(new Date(start + day * DAY + 60_000));
  return runAutomationRound(t.db, clock, deliveryDeps(t, email));
}

const mailsTo = (address: string) => sink.mails.filter((m) => m.envelopeTo.includes(address));

describe('the welcome series after a first order (on by default for a new shop)', () => {
  it('sends four e-mails, on days 0, 2, 7 and 14, over real SMTP', async () => {
    const shop = await createTestShop(t);
    const start = Date.parse('2026-03-02T10:00:00Z');
    clock.set(new Date(start));
    await send(
      t,
      shop,
      orderPaid('o-1', customer('anna'), '2026-03-02T10:00:00Z', { total: 12_000 }),
    );

    const seen: Array<{ day: number; subject: string }> = [];
    for (const day of [0, 1, 2, 3, 6, 7, 8, 13, 14, 15, 30]) {
      await dayAfter(start, day);
      for (const mail of mailsTo('anna@example.pl').slice(seen.length))
        seen.push({ day, subject: mail.subject ?? '' });
    }
    expect(seen.map((s) => s.day)).toEqual([0, 2, 7, 14]);

    const [thanks, tip, coupon, review] = mailsTo('anna@example.pl');
    // Each carries one-click unsubscribe (RFC 8058), a plain-text part and its Message-ID.
    for (const mail of [thanks!, tip!, coupon!, review!]) {
      const header = (name: string) => mail.headerLines.find((h) => h.key === name)?.line ?? '';
      expect(header('list-unsubscribe-post')).toBe(
        'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
      );
      expect(header('list-unsubscribe')).toContain(`<${PUBLIC_URL}/m/u/`);
      expect(mail.text?.length).toBeGreaterThan(20);
      expect(mail.html).toBeTruthy();
      expect(mail.messageId).toMatch(/^<flow\./);
    }
    // Day 7 carries the second-order coupon the flow issued, with its minimum basket.
    const issued = await t.db
      .selectFrom('coupons')
      .select(['code', 'min_basket', 'expires_at'])
      .where('shop_id', '=', shop.id)
      .where('source', '=', 'flow')
      .execute();
    expect(issued).toHaveLength(1);
    expect(issued[0]!.min_basket).toBe(10_000);
    expect(coupon!.text).toContain(issued[0]!.code);
    // Day 14 asks for an NPS score with one-click links.
    expect(review!.text).toContain(`${PUBLIC_URL}/s/`);

    const run = await t.db
      .selectFrom('flow_runs')
      .select(['status', 'end_reason'])
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(run).toEqual({ status: 'completed', end_reason: 'done' });
  });

  it('stops when a second order comes before day 7', async () => {
    const shop = await createTestShop(t, 'Drugi sklep');
    const start = Date.parse('2026-04-01T09:00:00Z');
    clock.set(new Date(start));
    await send(
      t,
      shop,
      orderPaid('o-1', customer('bartek'), '2026-04-01T09:00:00Z', { total: 8_000 }),
    );
    await dayAfter(start, 0);
    await dayAfter(start, 2);
    clock.set(new Date(start + 5 * DAY));
    await send(
      t,
      shop,
      orderPaid('o-2', customer('bartek'), new Date(start + 5 * DAY).toISOString(), {
        total: 9_000,
      }),
    );
    for (const day of [5, 7, 14, 21]) await dayAfter(start, day);

    expect(mailsTo('bartek@example.pl')).toHaveLength(2);
    const runs = await t.db
      .selectFrom('flow_runs')
      .select(['status', 'end_reason'])
      .where('shop_id', '=', shop.id)
      .execute();
    // The second order ends the run and, not being a first order, starts none.
    expect(runs).toEqual([{ status: 'exited', end_reason: 'exit:order.paid' }]);
    const coupons = await t.db
      .selectFrom('coupons')
      .select('id')
      .where('shop_id', '=', shop.id)
      .where('source', '=', 'flow')
      .execute();
    expect(coupons).toHaveLength(0);
  });

  it('sends nothing to a customer without e-mail marketing consent, and says why', async () => {
    const shop = await createTestShop(t, 'Trzeci sklep');
    const start = Date.parse('2026-05-04T08:00:00Z');
    clock.set(new Date(start));
    await send(
      t,
      shop,
      orderPaid('o-1', customer('celina', false), '2026-05-04T08:00:00Z', { total: 5_000 }),
    );
    for (const day of [0, 2, 7, 14]) await dayAfter(start, day);
    expect(mailsTo('celina@example.pl')).toHaveLength(0);
    const log = await t.db
      .selectFrom('messages')
      .select(['template_key', 'status', 'status_reason'])
      .where('shop_id', '=', shop.id)
      .orderBy('created_at')
      .execute();
    expect(log.map((m) => [m.template_key, m.status, m.status_reason])).toEqual([
      ['welcome.thank_you', 'suppressed', 'no_consent'],
      ['welcome.tip', 'suppressed', 'no_consent'],
      ['welcome.second_order_coupon', 'suppressed', 'no_consent'],
      ['welcome.review_request', 'suppressed', 'no_consent'],
    ]);
  });
});
