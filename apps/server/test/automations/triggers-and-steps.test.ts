import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAutomationRound } from '../../src/automations/run-automation-round.ts';
import { scanTimeTriggers } from '../../src/automations/scan-time-triggers.ts';
import { messageChannels } from '../../src/automations/message-channels.ts';
import { verifyWebhookSignature } from '../../src/messaging/webhook-signature.ts';
import type { EmailTransport } from '../../src/messaging/email-transport.ts';
import { bearer, createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { orderPaid, send } from '../points/support.ts';
import { deliveryDeps, PUBLIC_URL, smtpTo, startSmtpSink, type SmtpSink } from './support.ts';

const clock = fixedClock('2026-06-01T10:00:00Z');
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

type Shop = Awaited<ReturnType<typeof createTestShop>>;
const round = () => runAutomationRound(t.db, clock, deliveryDeps(t, email));
const mailsTo = (address: string) => sink.mails.filter((m) => m.envelopeTo.includes(address));

async function api(shop: Shop, method: 'POST' | 'GET' | 'PUT', url: string, payload?: object) {
  return t.app.inject({
    method,
    url,
    headers: bearer(shop.apiKey),
    ...(payload ? { payload } : {}),
  });
}

describe('flows through the API', () => {
  it('refuses a flow whose jump goes backwards, naming the field', async () => {
    const shop = await createTestShop(t);
    const res = await api(shop, 'POST', '/v1/flows', {
      name: 'Zła pętla',
      definition: {
        trigger: { type: 'order.paid' },
        steps: [
          { id: 'a', type: 'send', channel: 'email', template: 'birthday', purpose: 'marketing' },
          {
            id: 'b',
            type: 'condition',
            rule: { fact: 'orders_count', op: 'gte', value: 2 },
            else: 'a',
          },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().errors)).toContain('definition.steps.1.else');
    expect(
      await t.db.selectFrom('flows').select('id').where('shop_id', '=', shop.id).execute(),
    ).toHaveLength(1); // the welcome series only
  });

  it('has no transactional sends: a flow cannot step around consent', async () => {
    const shop = await createTestShop(t, 'Sklep Transakcyjny');
    const res = await api(shop, 'POST', '/v1/flows', {
      name: 'Obejście',
      definition: {
        trigger: { type: 'order.paid' },
        steps: [
          {
            id: 'a',
            type: 'send',
            channel: 'email',
            template: 'win_back',
            purpose: 'transactional',
          },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().errors)).toContain('definition.steps.0.purpose');
  });

  it('parks a trigger that breaks (a flow without its version) and goes on with the others', async () => {
    const broken = await createTestShop(t, 'Sklep Zepsuty');
    const healthy = await createTestShop(t, 'Sklep Zdrowy');
    // A flow row without a version, as a crash between the two inserts once could leave it.
    await t.db
      .insertInto('flows')
      .values({
        shop_id: broken.id,
        id: 'flw_broken',
        name: 'Zepsuty',
        status: 'active',
        version: 1,
        definition: JSON.stringify({
          trigger: { type: 'customer.created' },
          steps: [{ id: 'x', type: 'task', title: 'x' }],
          exitOn: [],
          reentry: { mode: 'always' },
        }),
        created_at: clock.now(),
        updated_at: clock.now(),
      })
      .execute();
    await api(healthy, 'POST', '/v1/flows', {
      name: 'Powitanie',
      definition: {
        trigger: { type: 'customer.created' },
        steps: [{ id: 'hello', type: 'task', title: 'Zadzwoń' }],
      },
    });
    clock.set('2026-06-01T12:00:00Z');
    await send(t, broken, {
      type: 'customer.created',
      id: 'x1',
      occurredAt: '2026-06-01T12:00:00Z',
      data: { id: 'x1' },
    });
    await send(t, healthy, {
      type: 'customer.created',
      id: 'y1',
      occurredAt: '2026-06-01T12:00:00Z',
      data: { id: 'y1' },
    });
    await round();
    const parked = await t.db
      .selectFrom('automation_triggers')
      .select(['processed_at', 'error'])
      .where('shop_id', '=', broken.id)
      .executeTakeFirstOrThrow();
    expect(parked.processed_at).not.toBeNull();
    expect(parked.error).toMatch(/foreign key/);
    const tasks = await t.db
      .selectFrom('customer_tasks')
      .select('title')
      .where('shop_id', '=', healthy.id)
      .execute();
    expect(tasks).toEqual([{ title: 'Zadzwoń' }]);
  });

  it('switches on a ready-made flow once, and lists the catalogue in both languages', async () => {
    const shop = await createTestShop(t, 'Sklep Gotowy');
    const ready = (await api(shop, 'GET', '/v1/flows/ready')).json();
    expect(ready.flows.map((f: { key: string }) => f.key)).toEqual(
      expect.arrayContaining([
        'welcome',
        'birthday',
        'name_day',
        'win_back',
        'abandoned_cart',
        'points_expiring',
        'tier_upgrade',
        'referral_invite',
      ]),
    );
    const first = await api(shop, 'POST', '/v1/flows/ready/birthday');
    const again = await api(shop, 'POST', '/v1/flows/ready/birthday');
    expect(first.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    expect((await api(shop, 'POST', '/v1/flows/ready/nope')).statusCode).toBe(404);
  });
});

describe('triggers', () => {
  it('abandoned cart: a reminder an hour after the cart changed, none if the order came', async () => {
    const shop = await createTestShop(t, 'Sklep Koszyk');
    await api(shop, 'POST', '/v1/flows/ready/abandoned_cart');
    clock.set('2026-06-01T10:00:00Z');
    const cart = (customerId: string, cartId: string) => ({
      type: 'cart.updated',
      id: `cart-${cartId}`,
      occurredAt: '2026-06-01T10:00:00Z',
      data: {
        customerId,
        cartId,
        currency: 'PLN',
        total: 15900,
        url: 'https://sklep.example/koszyk/abc',
        lines: [{ productId: 'kubek', name: 'Kubek', quantity: 2, price: 7950 }],
      },
    });
    await send(
      t,
      shop,
      {
        type: 'customer.created',
        id: 'c1',
        data: { id: 'kasia', email: 'kasia@example.pl', acceptsMarketing: { email: true } },
      },
      {
        type: 'customer.created',
        id: 'c2',
        data: { id: 'tomek', email: 'tomek@example.pl', acceptsMarketing: { email: true } },
      },
      cart('kasia', 'k1'),
      cart('tomek', 't1'),
    );
    await round();
    clock.set('2026-06-01T10:30:00Z');
    await send(t, shop, orderPaid('o-t', 'tomek', '2026-06-01T10:30:00Z', { total: 15_900 }));
    await round();
    clock.set('2026-06-01T11:00:30Z');
    await round();
    const reminders = (address: string) =>
      mailsTo(address).filter((m) => m.subject?.includes('koszyk'));
    expect(reminders('kasia@example.pl')).toHaveLength(1);
    expect(reminders('kasia@example.pl')[0]!.text).toContain('159,00');
    expect(reminders('tomek@example.pl')).toHaveLength(0);
  });

  it('points milestone: once, when lifetime points reach it', async () => {
    const shop = await createTestShop(t, 'Sklep Kamień Milowy');
    await api(shop, 'POST', '/v1/flows', {
      name: '500 punktów',
      definition: {
        trigger: { type: 'points.milestone', points: 500 },
        steps: [{ id: 'hi', type: 'grant', grant: { kind: 'points', points: 50 } }],
      },
    });
    clock.set('2026-06-02T10:00:00Z');
    await send(t, shop, orderPaid('o-1', 'mila', '2026-06-02T10:00:00Z', { total: 30_000 })); // 300 points
    await round();
    clock.set('2026-06-02T10:05:00Z');
    await send(t, shop, orderPaid('o-2', 'mila', '2026-06-02T10:05:00Z', { total: 30_000 })); // 600
    await round();
    clock.set('2026-06-02T10:10:00Z');
    await send(t, shop, orderPaid('o-3', 'mila', '2026-06-02T10:10:00Z', { total: 30_000 })); // 900
    await round();
    const runs = await t.db
      .selectFrom('flow_runs as r')
      .innerJoin('flows as f', (j) =>
        j.onRef('f.shop_id', '=', 'r.shop_id').onRef('f.id', '=', 'r.flow_id'),
      )
      .select(['r.trigger_key', 'r.status'])
      .where('f.shop_id', '=', shop.id)
      .where('f.name', '=', '500 punktów')
      .execute();
    expect(runs).toEqual([{ trigger_key: 'milestone:500', status: 'completed' }]);
    const bonus = await t.db
      .selectFrom('point_entries')
      .select('points')
      .where('shop_id', '=', shop.id)
      .where('kind', '=', 'adjust')
      .execute();
    expect(bonus).toEqual([{ points: 50 }]);
  });

  it('birthday: the daily scan starts the flow once, and it waits for 9:00 shop time', async () => {
    const shop = await createTestShop(t, 'Sklep Urodzinowy');
    await api(shop, 'POST', '/v1/flows/ready/birthday');
    clock.set('2026-06-03T03:00:00Z'); // 05:00 in Warsaw
    await send(t, shop, {
      type: 'customer.created',
      id: 'b1',
      data: {
        id: 'ula',
        email: 'ula@example.pl',
        birthday: '1990-06-03',
        acceptsMarketing: { email: true },
      },
    });
    expect(await scanTimeTriggers(t.db, clock, shop.id)).toBe(1);
    expect(await scanTimeTriggers(t.db, clock, shop.id)).toBe(1); // a second scan the same day…
    await round();
    expect(mailsTo('ula@example.pl')).toHaveLength(0);
    clock.set('2026-06-03T07:00:10Z'); // 09:00:10 in Warsaw
    await round();
    expect(mailsTo('ula@example.pl')).toHaveLength(1); // …starts no second run
    const runs = await t.db
      .selectFrom('flow_runs')
      .select('trigger_key')
      .where('shop_id', '=', shop.id)
      .where('trigger_key', 'like', 'birthday%')
      .execute();
    expect(runs).toEqual([{ trigger_key: 'birthday:2026' }]);
  });
});

describe('steps', () => {
  // 300 customers and 100 orders through the processor and rounds: seconds alone, more when busy.
  it('A/B split with a holdout: stable variants by weight, holdout gets nothing, results compare them', async () => {
    const shop = await createTestShop(t, 'Sklep AB');
    const res = await api(shop, 'POST', '/v1/flows', {
      name: 'Test AB',
      definition: {
        trigger: { type: 'customer.created' },
        steps: [
          {
            id: 'split',
            type: 'split',
            variants: [
              { key: 'a', weight: 1 },
              { key: 'b', weight: 1, goto: 'send-b' },
            ],
            holdoutWeight: 1,
          },
          {
            id: 'send-a',
            type: 'send',
            channel: 'email',
            template: 'birthday',
            purpose: 'loyalty',
          },
          {
            id: 'end-a',
            type: 'condition',
            rule: { fact: 'orders_count', op: 'lt', value: 0 },
            else: 'exit',
          },
          {
            id: 'send-b',
            type: 'send',
            channel: 'email',
            template: 'name_day',
            purpose: 'loyalty',
          },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const flowId = res.json().id as string;
    clock.set('2026-06-05T10:00:00Z');
    const n = 300;
    await send(
      t,
      shop,
      ...Array.from({ length: n }, (_, i) => ({
        type: 'customer.created',
        id: `ab${i}`,
        occurredAt: '2026-06-05T10:00:00Z',
        data: { id: `ab${i}`, email: `ab${i}@example.pl` },
      })),
    );
    await round();
    // A third of them buy within the week.
    for (let i = 0; i < n; i += 3)
      await send(
        t,
        shop,
        orderPaid(`ab-o${i}`, `ab${i}`, '2026-06-06T10:00:00Z', { total: 5_000 }),
      );

    const results = (await api(shop, 'GET', `/v1/flows/${flowId}/results`)).json();
    expect(results.variants, JSON.stringify(results)).toHaveLength(3);
    const variants = Object.fromEntries(
      results.variants.map((v: { variant: string; runs: number }) => [v.variant, v]),
    );
    expect(variants.a.runs + variants.b.runs + variants.holdout.runs).toBe(n);
    for (const key of ['a', 'b', 'holdout']) expect(variants[key].runs).toBeGreaterThan(60); // ~100 each
    const sentA = results.messages.find((m: { stepId: string }) => m.stepId === 'send-a');
    const sentB = results.messages.find((m: { stepId: string }) => m.stepId === 'send-b');
    expect(sentA.total).toBe(variants.a.runs);
    expect(sentB.total).toBe(variants.b.runs);
    expect(results.messages.some((m: { variant: string }) => m.variant === 'holdout')).toBe(false);
    // Converted runs equal a direct count, and the comparison is against the holdout.
    const converted = variants.a.converted + variants.b.converted + variants.holdout.converted;
    expect(converted).toBe(n / 3);
    expect(variants.a.againstControl.control).toBe('holdout');
    expect(variants.a.againstControl.ci95).toHaveLength(2);
  }, 120_000);

  it('webhook step: a signed POST the receiver can verify', async () => {
    const shop = await createTestShop(t, 'Sklep Webhook');
    const received: Array<{
      headers: Record<string, string | string[] | undefined>;
      body: string;
    }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const secret = 'whsec_test_secret';
    await t.db
      .insertInto('webhook_endpoints')
      .values({
        shop_id: shop.id,
        id: 'whe_test',
        url,
        secret: t.box.seal(secret),
        created_at: clock.now(),
      })
      .execute();
    await api(shop, 'POST', '/v1/flows', {
      name: 'Do CRM',
      definition: {
        trigger: { type: 'customer.created' },
        steps: [{ id: 'crm', type: 'webhook', endpointId: 'whe_test' }],
      },
    });
    clock.set('2026-06-07T10:00:00Z');
    await send(t, shop, {
      type: 'customer.created',
      id: 'w1',
      data: { id: 'wera', email: 'wera@example.pl' },
    });
    const channels = messageChannels(t.db, clock, t.box, {
      publicUrl: PUBLIC_URL,
      // The test's own listener on 127.0.0.1 and a random port: allowed here, explicitly.
      outbound: { ports: 'any', privateNetworks: true },
    });
    await runAutomationRound(
      t.db,
      clock,
      deliveryDeps(t, email, { channels: { ...channels, email } }),
    );
    server.close();
    expect(received).toHaveLength(1);
    const { headers, body } = received[0]!;
    expect(
      verifyWebhookSignature(
        secret,
        String(headers['lojal-signature']),
        body,
        Math.floor(clock.now().getTime() / 1000),
      ),
    ).toBe(true);
    expect(JSON.parse(body)).toMatchObject({
      type: 'flow.step',
      shopId: shop.id,
      customer: { id: 'wera' },
    });
    expect(headers['lojal-delivery-id']).toMatch(/^msg_/);
  });
});
