import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  type TestApp,
} from '../support/app.ts';
import type { ConsentPurpose } from '../../src/db/schema.ts';
import { messageToken, readMessageToken } from '../../src/automations/message-links.ts';
import { addCustomer, call, type Shop } from './support.ts';

// Audit H1: a consent stamped in the future (year 9999) outranked every later withdrawal.
const clock = fixedClock('2026-11-30T12:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock, config: { publicUrl: 'https://lojal.example' } });
});
afterAll(() => t.close());

type Consent = { channel: string; purpose: string; granted: boolean; changedAt: string | null };

async function consentOf(shop: Shop, customer: string, channel: string, purpose: string) {
  const res = await call(t, shop, 'GET', `/v1/customers/${customer}/consents`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().consents as Consent[]).find(
    (c) => c.channel === channel && c.purpose === purpose,
  )!;
}

async function grant(shop: Shop, customer: string, at?: string) {
  return call(t, shop, 'POST', `/v1/customers/${customer}/consents`, {
    changes: [
      {
        channel: 'email',
        purpose: 'marketing',
        granted: true,
        textShown: 'Chcę dostawać newsletter',
        ...(at && { at }),
      },
    ],
  });
}

async function preferencesToken(shop: Shop, customer: string) {
  const res = await call(t, shop, 'GET', `/v1/customers/${customer}/preferences-link`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().url as string).split('/m/p/')[1]!;
}

/** The customer's one-click unsubscribe, with the unsubscribe token of the same message links. */
async function oneClickUnsubscribe(preferences: string) {
  const payload = readMessageToken(t.box, 'preferences', preferences, clock.now());
  expect(payload).not.toBeNull();
  const token = messageToken(t.box, 'unsubscribe', payload!, clock.now());
  const res = await t.app.inject({
    method: 'POST',
    url: `/m/u/${token}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'List-Unsubscribe=One-Click',
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** A grant written before the fix, when `at` had no upper bound. */
async function storedGrantFromTheFuture(shop: Shop, customer: string, purpose: ConsentPurpose) {
  const { id } = await t.db
    .selectFrom('customers')
    .select('id')
    .where('shop_id', '=', shop.id)
    .where('external_id', '=', customer)
    .executeTakeFirstOrThrow();
  const at = new Date('9999-12-31T23:59:59Z');
  const row = { shop_id: shop.id, customer_id: id, channel: 'email' as const, purpose } as const;
  await t.db
    .insertInto('consent_events')
    .values({ ...row, id: `cns_future${purpose}`, granted: true, source: 'api', occurred_at: at })
    .execute();
  await t.db
    .insertInto('consents')
    .values({ ...row, granted: true, changed_at: at, event_id: `cns_future${purpose}` })
    .execute();
}

describe('a consent dated in the future', () => {
  it('is refused with a 400 that names the field, and nothing is recorded', async () => {
    const shop = await createTestShop(t);
    await addCustomer(t, shop, { id: 'ala' });

    const res = await grant(shop, 'ala', '9999-12-31T23:59:59Z');

    expectProblem(res, 400);
    expect(res.json().errors).toEqual([{ path: 'changes.0.at', message: expect.any(String) }]);
    expect(await consentOf(shop, 'ala', 'email', 'marketing')).toMatchObject({
      granted: false,
      changedAt: null,
    });
  });

  it('up to five minutes ahead is clock skew: it counts as now, and the unsubscribe a minute later wins', async () => {
    const shop = await createTestShop(t);
    await addCustomer(t, shop, { id: 'bartek' });
    clock.set('2026-11-30T12:00:00Z');
    expect((await grant(shop, 'bartek', '2026-11-30T12:04:00Z')).statusCode).toBe(201);
    expect(await consentOf(shop, 'bartek', 'email', 'marketing')).toMatchObject({
      granted: true,
      changedAt: '2026-11-30T12:00:00.000Z',
    });

    clock.set('2026-11-30T12:01:00Z');
    await oneClickUnsubscribe(await preferencesToken(shop, 'bartek'));

    expect(await consentOf(shop, 'bartek', 'email', 'marketing')).toMatchObject({
      granted: false,
      changedAt: '2026-11-30T12:01:00.000Z',
    });
    clock.set('2026-11-30T12:00:00Z');
  });

  it('stored before the fix is still withdrawn by one-click unsubscribe, the preferences page and the API', async () => {
    const shop = await createTestShop(t);
    await addCustomer(t, shop, { id: 'celina' });
    for (const purpose of ['marketing', 'loyalty', 'feedback'] as const)
      await storedGrantFromTheFuture(shop, 'celina', purpose);
    const token = await preferencesToken(shop, 'celina');

    // the customer's own one-click unsubscribe (e-mail marketing)
    await oneClickUnsubscribe(token);
    expect(await consentOf(shop, 'celina', 'email', 'marketing')).toMatchObject({
      granted: false,
    });

    // the preferences page with only "loyalty" ticked: feedback is withdrawn
    const page = await t.app.inject({
      method: 'POST',
      url: `/m/p/${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'form=preferences&email%3Aloyalty=1',
    });
    expect(page.statusCode, page.body).toBe(200);
    expect(await consentOf(shop, 'celina', 'email', 'feedback')).toMatchObject({
      granted: false,
    });

    // the shop reports a withdrawal through the API
    const api = await call(t, shop, 'POST', '/v1/customers/celina/consents', {
      changes: [{ channel: 'email', purpose: 'loyalty', granted: false, textShown: 'withdraw' }],
    });
    expect(api.statusCode, api.body).toBe(201);
    expect(await consentOf(shop, 'celina', 'email', 'loyalty')).toMatchObject({
      granted: false,
      changedAt: clock.now().toISOString(),
    });
  });

  it('answers with the same time keep the one Lojal received last', async () => {
    const shop = await createTestShop(t);
    await addCustomer(t, shop, { id: 'darek' });
    const at = '2026-11-30T11:00:00Z';
    const answer = (granted: boolean) =>
      call(t, shop, 'POST', '/v1/customers/darek/consents', {
        changes: [{ channel: 'email', purpose: 'marketing', granted, textShown: 'x', at }],
      });

    expect((await answer(true)).statusCode).toBe(201);
    expect((await answer(false)).statusCode).toBe(201);
    expect((await consentOf(shop, 'darek', 'email', 'marketing')).granted).toBe(false);
    expect((await answer(true)).statusCode).toBe(201);
    expect((await consentOf(shop, 'darek', 'email', 'marketing')).granted).toBe(true);
  });
});

describe('a delivery report dated in the future', () => {
  it('is refused with a 400 that names the field', async () => {
    const shop = await createTestShop(t);
    const res = await call(t, shop, 'POST', '/v1/messages/msg_whatever/events', {
      kind: 'complained',
      at: '9999-12-31T23:59:59Z',
    });

    expectProblem(res, 400);
    expect(res.json().errors).toEqual([{ path: 'at', message: expect.any(String) }]);
  });
});
