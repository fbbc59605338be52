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
    pool: base.pool,
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

describe('rewards ready to use', () => {
  let bakery: Shop;
  let till: string;
  let roll: string;
  let off: string;
  const stamp = (customerId: string, programmeId: string, key: string) =>
    counter(t, till, 'POST', '/v1/counter/stamps', { customerId, programmeId }, key);
  const use = (customer: string, body: object, key: string) =>
    counter(t, till, 'POST', `/v1/counter/customers/${customer}/reward-uses`, body, key);
  const couponOf = (id: string) =>
    t.db
      .selectFrom('coupons')
      .select(['used_count', 'code'])
      .where('shop_id', '=', bakery.id)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    bakery = await createTestShop(t, 'Piekarnia Pod Lipą');
    roll = (
      await createProgramme(t, bakery, {
        name: { pl: 'Karta rogalowa', en: 'Croissant card' },
        stampsRequired: 2,
        earnBy: 'visit',
        reward: {
          type: 'coupon',
          name: { pl: 'Darmowy rogal', en: 'Free croissant' },
          discount: { kind: 'free_product', productId: 'rogal' },
        },
      })
    ).id;
    off = (
      await createProgramme(t, bakery, {
        name: { pl: 'Karta chlebowa', en: 'Bread card' },
        stampsRequired: 1,
        earnBy: 'visit',
        reward: {
          type: 'coupon',
          name: { pl: '5 zł taniej', en: 'PLN 5 off' },
          discount: { kind: 'fixed', amount: 500 },
          minBasket: 2000,
        },
      })
    ).id;
    await createCustomer(t, bakery, 'ewa');
    await createCustomer(t, bakery, 'filip');
    ({ token: till } = await pairDevice(t, bakery, 'Kasa'));
  });

  it('lists a full card’s reward and uses it once through a 0 zł counter order, resends harmless', async () => {
    for (const key of ['e-1', 'e-2']) expect((await stamp('ewa', roll, key)).statusCode).toBe(201);
    const card = (await counter(t, till, 'GET', '/v1/counter/customers/ewa')).json();
    expect(card.readyRewards).toEqual([
      {
        couponId: expect.stringMatching(/^cpn_/),
        name: { pl: 'Darmowy rogal', en: 'Free croissant' },
        from: 'stamps',
        fromName: { pl: 'Karta rogalowa', en: 'Croissant card' },
        minBasket: null,
        expiresAt: '2026-12-24T12:00:00.000Z',
      },
    ]);
    const { couponId } = card.readyRewards[0];
    const body = { couponId, reference: 'use-0001' };
    const first = await use('ewa', body, 'u-1');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      orderId: 'counter-use-0001',
      couponId,
      amount: { amount: 0, currency: 'PLN' },
      status: 'accepted',
    });
    // Waiting in the event log: taken already, neither listed nor usable a second time.
    const meanwhile = (await counter(t, till, 'GET', '/v1/counter/customers/ewa')).json();
    expect(meanwhile.readyRewards).toEqual([]);
    const other = await use('ewa', { couponId, reference: 'use-0002' }, 'u-2');
    expect(other.statusCode).toBe(409);
    expect((await use('ewa', body, 'u-1')).json()).toEqual(first.json()); // the saved answer
    await t.processor.drain();
    expect((await couponOf(couponId)).used_count).toBe(1);
    // After the saved answers are gone the device's reference still names the same order.
    const late = await use('ewa', body, 'u-1-after-48h');
    expect(late.statusCode, late.body).toBe(201);
    expect(late.json().status).toBe('duplicate');
    await t.processor.drain();
    const uses = await t.db
      .selectFrom('coupon_uses as u')
      .innerJoin('orders as o', (j) =>
        j.onRef('o.shop_id', '=', 'u.shop_id').onRef('o.id', '=', 'u.order_id'),
      )
      .select(['o.external_id', 'o.total', 'u.discount_amount'])
      .where('u.shop_id', '=', bakery.id)
      .where('u.coupon_id', '=', couponId)
      .execute();
    expect(uses).toEqual([{ external_id: 'counter-use-0001', total: 0, discount_amount: 0 }]);
    expect((await couponOf(couponId)).used_count).toBe(1);
    const again = await use('ewa', { couponId, reference: 'use-0003' }, 'u-3');
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      type: '/problems/reward-used',
      messages: { pl: 'Ta nagroda została już wykorzystana.', en: expect.any(String) },
    });
    const after = (await counter(t, till, 'GET', '/v1/counter/customers/ewa')).json();
    expect(after.readyRewards).toEqual([]);
    expect(after.stampCards[0].stamps).toBe(0); // the free croissant stamps nothing
    const entry = await t.db
      .selectFrom('audit_log')
      .select(['actor_type', 'actor_name', 'target_id'])
      .where('shop_id', '=', bakery.id)
      .where('action', '=', 'POST /v1/counter/customers/:customerId/reward-uses')
      .executeTakeFirst();
    expect(entry).toMatchObject({ actor_type: 'staff', actor_name: 'Kasa', target_id: 'ewa' });
  });

  it("refuses another customer's reward, another shop's, and a purchase below the minimum", async () => {
    expect((await stamp('filip', off, 'f-1')).statusCode).toBe(201);
    const card = (await counter(t, till, 'GET', '/v1/counter/customers/filip')).json();
    const reward = card.readyRewards[0];
    expect(reward).toMatchObject({ name: { pl: '5 zł taniej' }, minBasket: 2000 });
    const foreign = await use('ewa', { couponId: reward.couponId, reference: 'use-0101' }, 'x-1');
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json()).toMatchObject({
      type: '/problems/reward-other-customer',
      messages: { pl: 'Ta nagroda należy do innego klienta.' },
    });
    const otherShop = await counter(
      t,
      token,
      'POST',
      '/v1/counter/customers/ala/reward-uses',
      { couponId: reward.couponId, reference: 'use-0102' },
      'x-2',
    );
    expect(otherShop.statusCode).toBe(404);
    const small = await use(
      'filip',
      { couponId: reward.couponId, amount: 1500, reference: 'use-0103' },
      'x-3',
    );
    expect(small.statusCode).toBe(422);
    expect(small.json()).toMatchObject({ type: '/problems/reward-min-basket' });
    expect(small.json().messages.pl).toContain('20,00');
    const enough = await use(
      'filip',
      { couponId: reward.couponId, amount: 2500, reference: 'use-0104' },
      'x-4',
    );
    expect(enough.statusCode, enough.body).toBe(201);
    await t.processor.drain();
    expect((await couponOf(reward.couponId)).used_count).toBe(1);
    const order = await t.db
      .selectFrom('orders')
      .select(['total', 'discount_codes'])
      .where('shop_id', '=', bakery.id)
      .where('external_id', '=', 'counter-use-0104')
      .executeTakeFirstOrThrow();
    expect(order).toEqual({
      total: 2500,
      discount_codes: [(await couponOf(reward.couponId)).code],
    });
  });

  it('lists a reward bought with points under its catalogue name', async () => {
    const card = (await counter(t, token, 'GET', '/v1/counter/customers/ala')).json();
    const redeemed = await t.db
      .selectFrom('redemptions')
      .select(['coupon_id'])
      .where('shop_id', '=', shop.id)
      .where('coupon_id', 'is not', null)
      .execute();
    expect(card.readyRewards.map((r: { couponId: string }) => r.couponId)).toEqual(
      redeemed.map((r) => r.coupon_id),
    );
    expect(card.readyRewards.length).toBeGreaterThan(0);
    for (const r of card.readyRewards) expect(r.from).toBe('points');
  });
});
