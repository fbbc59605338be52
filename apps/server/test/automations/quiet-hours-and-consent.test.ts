import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAutomationRound } from '../../src/automations/run-automation-round.ts';
import { smsapiProvider } from '../../src/messaging/smsapi-provider.ts';
import type { EmailTransport } from '../../src/messaging/email-transport.ts';
import { bearer, createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { orderPaid, send } from '../points/support.ts';
import {
  deliveryDeps,
  PUBLIC_URL,
  smtpTo,
  startSmsapiSink,
  startSmtpSink,
  type SmtpSink,
} from './support.ts';

const clock = fixedClock('2026-01-12T12:00:00Z');
let t: TestApp;
let sink: SmtpSink;
let email: EmailTransport;
let sms: Awaited<ReturnType<typeof startSmsapiSink>>;

beforeAll(async () => {
  t = await createTestApp({ clock, config: { publicUrl: PUBLIC_URL } });
  sink = await startSmtpSink();
  email = smtpTo(sink);
  sms = await startSmsapiSink();
});
afterAll(async () => {
  await email.close();
  await sink.close();
  await sms.close();
  await t.close();
});

const deps = () =>
  deliveryDeps(t, email, {
    channels: {
      email,
      sms: async () => ({
        provider: smsapiProvider({ token: 'test', baseUrl: sms.baseUrl }),
        sender: 'SklepTest',
      }),
    },
  });

async function flow(shop: { apiKey: string }, definition: object) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/flows',
    headers: bearer(shop.apiKey),
    payload: { name: 'Test', definition },
  });
  expect(res.statusCode, res.body).toBe(201);
}

async function at(iso: string) {
  clock.set(iso);
  return runAutomationRound(t.db, clock, deps());
}

describe('quiet hours', () => {
  it('holds an SMS due at 23:00 shop time until 08:00, then sends it once', async () => {
    const shop = await createTestShop(t);
    await flow(shop, {
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
    });
    // 22:00 UTC is 23:00 in Warsaw in January.
    clock.set('2026-01-12T22:00:00Z');
    await send(
      t,
      shop,
      orderPaid('o-1', { id: 'ola', phone: '+48600100200' }, '2026-01-12T22:00:00Z', {
        total: 5_000,
      }),
    );
    for (const when of ['2026-01-12T22:00:30Z', '2026-01-13T01:00:00Z', '2026-01-13T06:59:00Z'])
      await at(when);
    expect(sms.sent).toHaveLength(0);
    const sms1 = () =>
      t.db.selectFrom('messages').where('shop_id', '=', shop.id).where('channel', '=', 'sms');
    const queued = await sms1().select(['status', 'not_before']).executeTakeFirstOrThrow();
    expect(queued.status).toBe('queued');
    expect(queued.not_before.toISOString()).toBe('2026-01-13T07:00:00.000Z'); // 08:00 in Warsaw

    await at('2026-01-13T07:00:00Z');
    await at('2026-01-13T07:05:00Z');
    expect(sms.sent).toHaveLength(1);
    expect(sms.sent[0]).toMatchObject({ to: '48600100200', from: 'SklepTest' });
    const sent = await sms1().select(['status', 'sent_at', 'segments']).executeTakeFirstOrThrow();
    expect(sent.status).toBe('sent');
    expect(sent.sent_at!.toISOString()).toBe('2026-01-13T07:00:00.000Z');
    expect(sent.segments).toBe(1);
  });

  it('does not hold e-mail: quiet hours are for SMS and push', async () => {
    const shop = await createTestShop(t, 'Sklep Nocny');
    clock.set('2026-01-14T22:30:00Z');
    await send(
      t,
      shop,
      orderPaid(
        'o-1',
        { id: 'nocny', email: 'nocny@example.pl', acceptsMarketing: { email: true } },
        '2026-01-14T22:30:00Z',
        { total: 5_000 },
      ),
    );
    await at('2026-01-14T22:31:00Z');
    expect(sink.mails.filter((m) => m.envelopeTo.includes('nocny@example.pl'))).toHaveLength(1);
  });
});

describe('a run that ends early', () => {
  it('takes back its SMS held by quiet hours (a paid order ends the cart reminder overnight)', async () => {
    const shop = await createTestShop(t, 'Sklep Nocny Koszyk');
    await flow(shop, {
      trigger: { type: 'activity', activityType: 'cart.updated' },
      steps: [
        { id: 'wait', type: 'wait', duration: { minutes: 30 } },
        {
          id: 'sms',
          type: 'send',
          channel: 'sms',
          template: 'points_expiring',
          purpose: 'loyalty',
        },
        { id: 'later', type: 'wait', duration: { days: 1 } },
      ],
      exitOn: [{ type: 'order.paid' }],
    });
    clock.set('2026-01-20T20:00:00Z'); // 21:00 Warsaw
    await send(
      t,
      shop,
      {
        type: 'customer.created',
        id: 'n1',
        occurredAt: '2026-01-20T20:00:00Z',
        data: { id: 'nina', phone: '+48600300400' },
      },
      {
        type: 'cart.updated',
        id: 'cart-n1',
        occurredAt: '2026-01-20T20:00:00Z',
        data: { customerId: 'nina', cartId: 'k1', currency: 'PLN', total: 5000 },
      },
    );
    await at('2026-01-20T20:31:00Z'); // the SMS is queued, held until 08:00
    clock.set('2026-01-20T21:00:00Z');
    await send(t, shop, orderPaid('o-n', 'nina', '2026-01-20T21:00:00Z', { total: 5_000 }));
    await at('2026-01-20T21:01:00Z');
    const before = sms.sent.length;
    await at('2026-01-21T07:00:30Z');
    expect(sms.sent.length).toBe(before);
    const held = await t.db
      .selectFrom('messages')
      .select(['status', 'status_reason'])
      .where('shop_id', '=', shop.id)
      .where('channel', '=', 'sms')
      .executeTakeFirstOrThrow();
    expect(held).toEqual({ status: 'suppressed', status_reason: 'run_exited:order.paid' });
  });
});

describe('consent withdrawn before a send', () => {
  it('sends nothing and records why', async () => {
    const shop = await createTestShop(t, 'Sklep Zgody');
    await flow(shop, {
      trigger: { type: 'order.paid' },
      steps: [
        { id: 'wait', type: 'wait', duration: { days: 1 } },
        { id: 'offer', type: 'send', channel: 'email', template: 'win_back', purpose: 'marketing' },
      ],
    });
    clock.set('2026-02-02T10:00:00Z');
    await send(
      t,
      shop,
      orderPaid(
        'o-9',
        { id: 'ewa', email: 'ewa@example.pl', acceptsMarketing: { email: true } },
        '2026-02-02T10:00:00Z',
        { total: 5_000 },
      ),
    );
    await at('2026-02-02T10:01:00Z');
    const welcome = sink.mails.filter((m) => m.envelopeTo.includes('ewa@example.pl')).length;
    expect(welcome).toBe(1); // the welcome series' thank-you, before she changed her mind

    // She withdraws e-mail marketing consent through the shop (API), with the proof.
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/customers/ewa/consents',
      headers: bearer(shop.apiKey),
      payload: {
        changes: [
          {
            channel: 'email',
            purpose: 'marketing',
            granted: false,
            textShown: 'Nie chcę ofert e-mailem',
            clientAddress: '203.0.113.7',
          },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    await at('2026-02-03T10:05:00Z');
    expect(sink.mails.filter((m) => m.envelopeTo.includes('ewa@example.pl'))).toHaveLength(welcome);
    const offer = await t.db
      .selectFrom('messages')
      .select(['status', 'status_reason'])
      .where('shop_id', '=', shop.id)
      .where('template_key', '=', 'win_back')
      .executeTakeFirstOrThrow();
    expect(offer).toEqual({ status: 'suppressed', status_reason: 'no_consent' });
  });

  it('one-click unsubscribe (RFC 8058 POST) stops the next marketing e-mail', async () => {
    const shop = await createTestShop(t, 'Sklep Wypis');
    clock.set('2026-03-02T10:00:00Z');
    await send(
      t,
      shop,
      orderPaid(
        'o-1',
        { id: 'jan', email: 'jan@example.pl', acceptsMarketing: { email: true } },
        '2026-03-02T10:00:00Z',
        { total: 5_000 },
      ),
    );
    await at('2026-03-02T10:01:00Z');
    const [thanks] = sink.mails.filter((m) => m.envelopeTo.includes('jan@example.pl'));
    const header = thanks!.headerLines.find((h) => h.key === 'list-unsubscribe')!.line;
    const url = new URL(/<(https:[^>]+)>/.exec(header)![1]!);
    const res = await t.app.inject({
      method: 'POST',
      url: url.pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode).toBe(200);
    const proof = await t.db
      .selectFrom('consent_events')
      .select(['source', 'granted', 'channel', 'purpose', 'message_id'])
      .where('shop_id', '=', shop.id)
      .execute();
    expect(proof).toHaveLength(1);
    expect(proof[0]).toMatchObject({
      source: 'list_unsubscribe',
      granted: false,
      channel: 'email',
      purpose: 'marketing',
    });
    await at('2026-03-04T10:01:00Z'); // day 2: the tip is marketing
    expect(sink.mails.filter((m) => m.envelopeTo.includes('jan@example.pl'))).toHaveLength(1);
    // A GET (a link scanner) only shows a confirmation page and changes nothing.
    const scan = await t.app.inject({ method: 'GET', url: url.pathname });
    expect(scan.statusCode).toBe(200);
    expect(
      await t.db.selectFrom('consent_events').select('id').where('shop_id', '=', shop.id).execute(),
    ).toHaveLength(1);
  });

  it('takes the one-click POST as multipart/form-data too (RFC 8058 says clients should)', async () => {
    const shop = await createTestShop(t, 'Sklep Multipart');
    clock.set('2026-03-09T10:00:00Z');
    await send(
      t,
      shop,
      orderPaid(
        'o-1',
        { id: 'ola2', email: 'ola2@example.pl', acceptsMarketing: { email: true } },
        '2026-03-09T10:00:00Z',
        { total: 5_000 },
      ),
    );
    await at('2026-03-09T10:01:00Z');
    const [mail] = sink.mails.filter((m) => m.envelopeTo.includes('ola2@example.pl'));
    const header = mail!.headerLines.find((h) => h.key === 'list-unsubscribe')!.line;
    const url = new URL(/<(https:[^>]+)>/.exec(header)![1]!);
    const boundary = '----lojal1234';
    const res = await t.app.inject({
      method: 'POST',
      url: url.pathname,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
    });
    expect(res.statusCode).toBe(200);
    const proof = await t.db
      .selectFrom('consent_events')
      .select(['source', 'granted'])
      .where('shop_id', '=', shop.id)
      .execute();
    expect(proof).toEqual([{ source: 'list_unsubscribe', granted: false }]);
  });

  it('tracks opens and clicks: the first time of each on the message, every event in the log', async () => {
    const shop = await createTestShop(t, 'Sklep Klik');
    // With a storefront the thank-you has a button to the shop: a tracked link.
    const storefront = await t.app.inject({
      method: 'PUT',
      url: '/v1/referrals/storefront',
      headers: bearer(shop.apiKey),
      payload: { storefrontUrl: 'https://sklep-klik.pl/' },
    });
    expect(storefront.statusCode, storefront.body).toBe(200);
    clock.set('2026-03-16T10:00:00Z');
    await send(
      t,
      shop,
      orderPaid(
        'o-1',
        { id: 'kuba', email: 'kuba@example.pl', acceptsMarketing: { email: true } },
        '2026-03-16T10:00:00Z',
        { total: 5_000 },
      ),
    );
    await at('2026-03-16T10:01:00Z');
    const [mail] = sink.mails.filter((m) => m.envelopeTo.includes('kuba@example.pl'));
    const html = String(mail!.html);
    const tracked = [...html.matchAll(/href="(https:\/\/lojal\.example\/m\/c\/[^"]+)"/g)].map(
      (m) => new URL(m[1]!),
    );
    const pixel = new URL(/src="(https:\/\/lojal\.example\/m\/o\/[^"]+)"/.exec(html)![1]!);
    const message = () =>
      t.db
        .selectFrom('messages')
        .select(['opened_at', 'clicked_at'])
        .where('shop_id', '=', shop.id)
        .executeTakeFirstOrThrow();

    expect(tracked.length).toBeGreaterThan(0);
    clock.set('2026-03-16T11:00:00Z');
    const click = await t.app.inject({ method: 'GET', url: tracked[0]!.pathname });
    expect(click.statusCode).toBe(302);
    expect(click.headers.location).toBe('https://sklep-klik.pl/');
    // A click is an open too, even before the pixel loads.
    expect(await message()).toEqual({
      opened_at: new Date('2026-03-16T11:00:00Z'),
      clicked_at: new Date('2026-03-16T11:00:00Z'),
    });
    clock.set('2026-03-16T12:00:00Z');
    const open = await t.app.inject({ method: 'GET', url: pixel.pathname });
    expect(open.headers['content-type']).toBe('image/gif');
    await t.app.inject({ method: 'GET', url: tracked[0]!.pathname });
    // Later ones are logged, and the first times stay.
    expect(await message()).toEqual({
      opened_at: new Date('2026-03-16T11:00:00Z'),
      clicked_at: new Date('2026-03-16T11:00:00Z'),
    });
    const kinds = await t.db
      .selectFrom('message_events')
      .select('kind')
      .where('shop_id', '=', shop.id)
      .orderBy('id')
      .execute();
    expect(kinds.map((k) => k.kind)).toEqual(['clicked', 'opened', 'clicked']);
  });
});
