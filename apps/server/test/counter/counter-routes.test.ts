import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, orderPaid, send } from '../points/support.ts';
import {
  coffeeCard,
  createCustomer,
  createProgramme,
  qrFor,
  type Shop,
} from '../stamps/support.ts';
import { cardPayload, counter, pairDevice } from './support.ts';

// The staff counter app's API (issue 18): pairing a phone, revoking it, stamping from a QR or a
// search with the daily limit, resends made harmless, a purchase for points, a redemption, a
// sign-up with the consent text kept as proof, and the audit log naming the device.
const clock = fixedClock('2026-11-24T12:00:00Z');
let t: TestApp;
let shop: Shop;
let token: string;
let staffId: string;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Kawiarnia Przy Rynku');
  await createProgramme(t, shop, coffeeCard);
  await send(
    t,
    shop,
    {
      type: 'customer.created',
      id: 'c-ala',
      data: {
        id: 'ala',
        email: 'Ala@Example.com',
        phone: '+48600100200',
        firstName: 'Ala',
        lastName: 'Nowak',
      },
    },
    orderPaid('o-ala', 'ala', '2026-09-01T09:00:00Z', { total: 90_000 }),
  );
  await createCustomer(t, shop, 'bob');
  ({
    token,
    staff: { id: staffId },
  } = await pairDevice(t, shop, 'Telefon przy kasie'));
});
afterAll(() => t.close());

async function audit(action: string) {
  return t.db
    .selectFrom('audit_log')
    .select(['actor_type', 'actor_id', 'actor_name', 'target_id', 'after', 'before'])
    .where('shop_id', '=', shop.id)
    .where('action', '=', action)
    .execute();
}

describe('pairing', () => {
  it('gives the phone its own named token, once, and records it with the device name', async () => {
    const made = await call(t, shop, 'POST', '/v1/staff/pairings', { name: 'Tablet' });
    const { code, url, qrSvg } = made.json() as { code: string; url: string; qrSvg: string };
    expect(url).toBe(`${t.config.publicUrl}/staff/#pair=${code}`);
    expect(qrSvg).toMatch(/^<svg/);
    const first = await t.app.inject({
      method: 'POST',
      url: '/v1/counter/pair',
      payload: { code },
    });
    expect(first.statusCode).toBe(201);
    expect(first.json().staff.name).toBe('Tablet');
    const again = await t.app.inject({
      method: 'POST',
      url: '/v1/counter/pair',
      payload: { code },
    });
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({
      type: '/problems/pairing-used',
      messages: { pl: expect.stringContaining('użyty') },
    });
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/v1/counter/pair',
      payload: { code: `${code}x` },
    });
    expect(wrong.json().type).toBe('/problems/pairing-invalid');
    const staff = await call(t, shop, 'GET', '/v1/staff');
    expect(staff.json().map((s: { name: string }) => s.name)).toEqual([
      'Telefon przy kasie',
      'Tablet',
    ]);
    const paired = await audit('POST /v1/counter/pair');
    expect(paired.map((a) => [a.actor_type, a.actor_name]).sort()).toEqual([
      ['staff', 'Tablet'],
      ['staff', 'Telefon przy kasie'],
    ]);
    expect(JSON.stringify(paired)).not.toContain(first.json().token);
    expect((await audit('POST /v1/staff/pairings')).length).toBe(2);
  });

  it('refuses a code after its 10 minutes', async () => {
    const made = await call(t, shop, 'POST', '/v1/staff/pairings', { name: 'Stary kod' });
    const later = await createTestAppAt(t, made.json().code);
    expect(later).toBe('/problems/pairing-expired');
  });

  it('a revoked device stops at once, and the revocation names it', async () => {
    const { token: gone, staff } = await pairDevice(t, shop, 'Zgubiony telefon');
    expect((await counter(t, gone, 'GET', '/v1/counter/me')).statusCode).toBe(200);
    expect((await call(t, shop, 'DELETE', `/v1/staff/${staff.id}`)).statusCode).toBe(204);
    const after = await counter(t, gone, 'GET', '/v1/counter/me');
    expect(after.statusCode).toBe(401);
    const [revoked] = await audit('DELETE /v1/staff/:staffId');
    expect(revoked!.target_id).toBe(staff.id);
    expect(revoked!.before).toMatchObject({ name: 'Zgubiony telefon' });
  });
});

/** The pairing code tried 11 minutes later, by a second app on the same database. */
async function createTestAppAt(base: TestApp, code: string) {
  const { buildApp } = await import('../../src/app/build-app.ts');
  const { createMetrics } = await import('../../src/shared/metrics.ts');
  const app = await buildApp({
    db: base.db,
    clock: fixedClock('2026-11-24T12:11:00Z'),
    config: base.config,
    box: base.box,
    metrics: createMetrics(),
  });
  try {
    const res = await app.inject({ method: 'POST', url: '/v1/counter/pair', payload: { code } });
    return res.json().type as string;
  } finally {
    await app.close();
  }
}

describe('at the counter', () => {
  it('finds a customer by exact phone, e-mail or card number only, with a masked contact', async () => {
    const byPhone = await counter(t, token, 'GET', '/v1/counter/customers?q=600%20100%20200');
    expect(byPhone.json()).toEqual([{ id: 'ala', name: 'Ala N.', contact: 'a***@example.com' }]);
    const byEmail = await counter(t, token, 'GET', '/v1/counter/customers?q=ALA%40example.com');
    expect(byEmail.json()).toHaveLength(1);
    const payload = await cardPayload(t, shop, 'ala');
    const number = payload.split('.')[2]!.replace(/^cus_/, 'cus_ ');
    const byCard = await counter(
      t,
      token,
      'GET',
      `/v1/counter/customers?q=${encodeURIComponent(number)}`,
    );
    expect(byCard.json()).toHaveLength(1);
    const byName = await counter(t, token, 'GET', '/v1/counter/customers?q=Ala');
    expect(byName.json()).toEqual([]);
  });

  it('stamps from a phone QR once, and says so the second time', async () => {
    const payload = await qrFor(t, shop, 'bob');
    const first = await counter(t, token, 'POST', '/v1/counter/stamps', { payload }, 'k-bob-1');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      customerId: 'bob',
      stampsToday: 1,
      staffMember: { name: 'Telefon przy kasie' },
    });
    // The same action resent (same key): the same answer, no second stamp.
    const resent = await counter(t, token, 'POST', '/v1/counter/stamps', { payload }, 'k-bob-1');
    expect(resent.json().stampId).toBe(first.json().stampId);
    const twice = await counter(t, token, 'POST', '/v1/counter/stamps', { payload }, 'k-bob-2');
    expect(twice.statusCode).toBe(422);
    expect(twice.json()).toMatchObject({
      type: '/problems/qr-used',
      messages: { pl: expect.any(String), en: expect.any(String) },
    });
  });

  it('stamps a printed card up to the daily limit, each resend harmless', async () => {
    const payload = await cardPayload(t, shop, 'ala');
    for (const key of ['k-ala-1', 'k-ala-1', 'k-ala-2', 'k-ala-2']) {
      const res = await counter(t, token, 'POST', '/v1/counter/stamps', { payload }, key);
      expect(res.statusCode, res.body).toBe(201);
    }
    const limit = await counter(
      t,
      token,
      'POST',
      '/v1/counter/stamps',
      { customerId: 'ala' },
      'k-ala-3',
    );
    expect(limit.statusCode).toBe(422);
    expect(limit.json().type).toBe('/problems/daily-limit-reached');
    const card = (await counter(t, token, 'GET', '/v1/counter/customers/ala')).json();
    expect(card.stampCards[0]).toMatchObject({
      stamps: 2,
      stampsToday: 2,
      dailyLimit: 2,
      stampedToday: true,
      limitReached: true,
    });
    const stamps = await audit('POST /v1/counter/stamps');
    expect(stamps.length).toBe(3); // bob once, ala twice: resends and refusals are not writes
    expect(new Set(stamps.map((a) => `${a.actor_type}:${a.actor_id}`))).toEqual(
      new Set([`staff:${staffId}`]),
    );
  });

  it('rings up a purchase for points once, however often it is resent', async () => {
    for (const key of ['p-1', 'p-1', 'p-1-again']) {
      const res = await counter(
        t,
        token,
        'POST',
        '/v1/counter/purchases',
        { customerId: 'bob', amount: 2500, reference: 'purchase-0001' },
        key,
      );
      expect(res.statusCode, res.body).toBe(201);
    }
    await t.processor.drain();
    const orders = await t.db
      .selectFrom('orders')
      .select(['external_id', 'total'])
      .where('shop_id', '=', shop.id)
      .where('external_id', 'like', 'counter-%')
      .execute();
    expect(orders).toEqual([{ external_id: 'counter-purchase-0001', total: 2500 }]);
    const card = (await counter(t, token, 'GET', '/v1/counter/customers/bob')).json();
    expect(card.points.available + card.points.pending).toBe(25);
  });

  it('redeems a reward for points, with the device as the actor', async () => {
    const before = (await counter(t, token, 'GET', '/v1/counter/customers/ala')).json();
    const reward = before.rewards.find((r: { affordable: boolean }) => r.affordable);
    expect(reward).toBeDefined();
    const res = await counter(
      t,
      token,
      'POST',
      '/v1/counter/customers/ala/redemptions',
      { rewardId: reward.id },
      'r-1',
    );
    expect(res.statusCode, res.body).toBe(201);
    const after = (await counter(t, token, 'GET', '/v1/counter/customers/ala')).json();
    expect(after.points.available).toBe(before.points.available - reward.pointsCost);
    const [entry] = await audit('POST /v1/counter/customers/:customerId/redemptions');
    expect(entry).toMatchObject({
      actor_type: 'staff',
      actor_name: 'Telefon przy kasie',
      target_id: 'ala',
    });
  });

  it('signs a customer up with the consent text shown kept as proof', async () => {
    const me = (await counter(t, token, 'GET', '/v1/counter/me')).json();
    const text = me.consentTexts.find(
      (c: { channel: string; purpose: string }) =>
        c.channel === 'email' && c.purpose === 'marketing',
    ).text.pl as string;
    const body = {
      firstName: 'Celina',
      email: 'celina@example.com',
      locale: 'pl',
      consents: [{ channel: 'email', purpose: 'marketing', granted: true, text }],
      reference: 'signup-0001',
    };
    const wrong = await counter(
      t,
      token,
      'POST',
      '/v1/counter/customers',
      { ...body, consents: [{ ...body.consents[0], text: 'Zgoda' }] },
      's-0',
    );
    expect(wrong.statusCode).toBe(400);
    const res = await counter(t, token, 'POST', '/v1/counter/customers', body, 's-1');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ customerId: 'counter-signup-0001', status: 'joining' });
    await counter(t, token, 'POST', '/v1/counter/customers', body, 's-1-again');
    await t.processor.drain();
    const customer = await t.db
      .selectFrom('customers')
      .select('id')
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', 'counter-signup-0001')
      .executeTakeFirstOrThrow();
    const proof = await t.db
      .selectFrom('consent_events')
      .select(['channel', 'purpose', 'granted', 'source', 'text_shown'])
      .where('shop_id', '=', shop.id)
      .where('customer_id', '=', customer.id)
      .execute();
    expect(proof).toEqual([
      { channel: 'email', purpose: 'marketing', granted: true, source: 'staff', text_shown: text },
    ]);
    const exists = await counter(
      t,
      token,
      'POST',
      '/v1/counter/customers',
      { ...body, reference: 'signup-0002' },
      's-2',
    );
    expect(exists.statusCode).toBe(409);
    expect(exists.json().type).toBe('/problems/customer-exists');
  });

  it('refuses without a staff token, and with the API key', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/v1/counter/me' })).statusCode).toBe(401);
    expect((await counter(t, shop.apiKey, 'GET', '/v1/counter/me')).statusCode).toBe(401);
  });
});
