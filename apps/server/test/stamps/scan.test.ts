import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  type TestApp,
} from '../support/app.ts';
import { call } from '../points/support.ts';
import {
  cards,
  coffeeCard,
  createCustomer,
  createProgramme,
  createStaff,
  qrFor,
  scan,
  type Shop,
} from './support.ts';

// 10:00 in Warsaw (UTC+1 in November).
const clock = fixedClock('2026-11-24T09:00:00Z');
let t: TestApp;
let shop: Shop;
let staff: { id: string; token: string };
let programme: { id: string };

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Kawiarnia');
  programme = await createProgramme(t, shop, coffeeCard);
  staff = await createStaff(t, shop, 'Ola');
  for (const c of ['anna', 'bartek', 'celina', 'darek', 'ewa', 'filip', 'gosia']) {
    await createCustomer(t, shop, c);
  }
});
afterAll(() => t.close());

describe('scanning a customer QR code', () => {
  it('stamps the card and records the staff member who scanned', async () => {
    clock.set('2026-11-24T09:00:00Z');
    const res = await scan(t, staff.token, await qrFor(t, shop, 'anna'));
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      programmeId: programme.id,
      customerId: 'anna',
      staffMember: { id: staff.id, name: 'Ola' },
      stampsToday: 1,
      dailyLimit: 2,
      card: { number: 1, stamps: 1, stampsRequired: 3 },
      completedCards: 0,
      rewards: [],
    });
    const row = await t.db
      .selectFrom('stamps')
      .selectAll()
      .where('shop_id', '=', shop.id)
      .where('id', '=', body.stampId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      source: 'scan',
      staff_member_id: staff.id,
      local_day: '2026-11-24',
    });
    expect(await cards(t, shop, 'anna')).toEqual([
      expect.objectContaining({
        programmeId: programme.id,
        stamps: 1,
        stampsRequired: 3,
        stampsToday: 1,
      }),
    ]);
  });

  it('refuses a replayed payload as already used, in Polish and English', async () => {
    const payload = await qrFor(t, shop, 'bartek');
    expect((await scan(t, staff.token, payload)).statusCode).toBe(201);
    const replay = await scan(t, staff.token, payload);
    expectProblem(replay, 422);
    expect(replay.json()).toMatchObject({
      type: '/problems/qr-used',
      messages: { pl: expect.stringContaining('zeskanowany'), en: expect.any(String) },
    });
    expect((await cards(t, shop, 'bartek'))[0]!.stamps).toBe(1);
  });

  it('gives exactly one stamp when two devices scan the same payload at once', async () => {
    const other = await createStaff(t, shop, 'Kuba');
    const payload = await qrFor(t, shop, 'celina');
    const answers = await Promise.all([
      scan(t, staff.token, payload),
      scan(t, other.token, payload),
      scan(t, staff.token, payload),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 422, 422]);
    for (const a of answers.filter((a) => a.statusCode === 422)) {
      expect(a.json().type).toBe('/problems/qr-used');
    }
    expect((await cards(t, shop, 'celina'))[0]!.stamps).toBe(1);
  });

  it('answers a retried request with the same Idempotency-Key with the first answer', async () => {
    const payload = await qrFor(t, shop, 'darek');
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/v1/stamps/scan',
        headers: { authorization: `Bearer ${staff.token}`, 'idempotency-key': 'scan-darek-1' },
        payload: { payload },
      });
    const first = await send();
    expect(first.statusCode, first.body).toBe(201);
    const retry = await send();
    expect(retry.statusCode).toBe(201);
    expect(retry.json().stampId).toBe(first.json().stampId);
    expect((await cards(t, shop, 'darek'))[0]!.stamps).toBe(1);
  });

  it('refuses an expired payload', async () => {
    clock.set('2026-11-24T09:00:00Z');
    const payload = await qrFor(t, shop, 'darek');
    clock.set('2026-11-24T09:03:00Z');
    const res = await scan(t, staff.token, payload);
    expectProblem(res, 422);
    expect(res.json().type).toBe('/problems/qr-expired');
    clock.set('2026-11-24T09:00:00Z');
  });

  it('refuses a tampered payload: another customer, a later expiry or a changed signature', async () => {
    const payload = await qrFor(t, shop, 'darek');
    const parts = payload.split('.');
    const bartekId = (
      await t.db
        .selectFrom('customers')
        .select('id')
        .where('shop_id', '=', shop.id)
        .where('external_id', '=', 'bartek')
        .executeTakeFirstOrThrow()
    ).id;
    const forged = [
      [parts[0], parts[1], bartekId, ...parts.slice(3)].join('.'),
      [
        ...parts.slice(0, 3),
        (Number.parseInt(parts[3]!, 36) + 3600).toString(36),
        ...parts.slice(4),
      ].join('.'),
      [
        ...parts.slice(0, 5),
        parts[5]!.slice(0, -2) + (parts[5]!.endsWith('AA') ? 'BB' : 'AA'),
      ].join('.'),
      'not a payload',
    ];
    for (const p of forged) {
      const res = await scan(t, staff.token, p);
      expectProblem(res, 422);
      expect(res.json().type, p).toBe('/problems/qr-invalid');
    }
    expect((await cards(t, shop, 'darek'))[0]!.stamps).toBe(1);
  });

  it('needs a valid staff token: an API key or a revoked device cannot stamp', async () => {
    const noKey = await scan(t, shop.apiKey, await qrFor(t, shop, 'ewa'));
    expectProblem(noKey, 401);
    const temp = await createStaff(t, shop, 'Na chwilę');
    expect((await call(t, shop, 'DELETE', `/v1/staff/${temp.id}`)).statusCode).toBe(204);
    expectProblem(await scan(t, temp.token, await qrFor(t, shop, 'ewa')), 401);
    const list = (await call(t, shop, 'GET', '/v1/staff')).json();
    expect(list.find((s: { id: string }) => s.id === temp.id).revokedAt).not.toBeNull();
    expect(JSON.stringify(list)).not.toContain(temp.token);
  });
});

describe('the daily limit', () => {
  it('holds, and resets at midnight in Warsaw', async () => {
    clock.set('2026-11-24T09:00:00Z');
    expect((await scan(t, staff.token, await qrFor(t, shop, 'ewa'))).statusCode).toBe(201);
    expect((await scan(t, staff.token, await qrFor(t, shop, 'ewa'))).statusCode).toBe(201);
    const third = await scan(t, staff.token, await qrFor(t, shop, 'ewa'));
    expectProblem(third, 422);
    expect(third.json()).toMatchObject({
      type: '/problems/daily-limit-reached',
      messages: { pl: expect.stringContaining('dziś') },
    });
    // 23:30 UTC is already 00:30 on the 25th in Warsaw.
    clock.set('2026-11-24T23:30:00Z');
    const next = await scan(t, staff.token, await qrFor(t, shop, 'ewa'));
    expect(next.statusCode, next.body).toBe(201);
    expect(next.json().stampsToday).toBe(1);
    clock.set('2026-11-24T09:00:00Z');
  });

  it('holds when many devices scan fresh payloads of one customer at the same time', async () => {
    const payloads = await Promise.all(Array.from({ length: 6 }, () => qrFor(t, shop, 'filip')));
    const answers = await Promise.all(payloads.map((p) => scan(t, staff.token, p)));
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(2);
    for (const a of answers.filter((a) => a.statusCode !== 201)) {
      expect(a.json().type).toBe('/problems/daily-limit-reached');
    }
    expect((await cards(t, shop, 'filip'))[0]).toMatchObject({ stamps: 2, stampsToday: 2 });
  });
});

describe('a full card', () => {
  it('issues exactly one reward coupon and opens a new card', async () => {
    const stampAt = async (at: string) => {
      clock.set(at);
      const res = await scan(t, staff.token, await qrFor(t, shop, 'gosia'));
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    };
    await stampAt('2026-11-20T09:00:00Z');
    await stampAt('2026-11-21T09:00:00Z');
    const third = await stampAt('2026-11-22T09:00:00Z');
    expect(third.rewards).toEqual([
      expect.objectContaining({
        cardNumber: 1,
        name: { pl: 'Darmowa kawa', en: 'Free coffee' },
        coupon: expect.objectContaining({
          code: expect.stringMatching(/^LJ-/),
          discount: { kind: 'free_product', productId: 'kawa' },
          expiresAt: '2026-12-22T09:00:00.000Z',
        }),
      }),
    ]);
    expect(third.card).toMatchObject({ number: 2, stamps: 0 });
    expect(third.completedCards).toBe(1);
    const fourth = await stampAt('2026-11-23T09:00:00Z');
    expect(fourth.rewards).toEqual([]);
    expect(fourth.card).toMatchObject({ number: 2, stamps: 1 });

    const coupons = await t.db
      .selectFrom('coupons')
      .innerJoin('customers', (j) =>
        j
          .onRef('customers.shop_id', '=', 'coupons.shop_id')
          .onRef('customers.id', '=', 'coupons.customer_id'),
      )
      .select(['coupons.code', 'coupons.source', 'coupons.usage_limit'])
      .where('coupons.shop_id', '=', shop.id)
      .where('customers.external_id', '=', 'gosia')
      .execute();
    expect(coupons).toEqual([
      { code: third.rewards[0].coupon.code, source: 'reward', usage_limit: 1 },
    ]);
    const valid = await call(t, shop, 'POST', '/v1/coupons/validate', {
      code: third.rewards[0].coupon.code,
      customerId: 'gosia',
      cart: {
        currency: 'PLN',
        total: 1500,
        lines: [{ productId: 'kawa', quantity: 1, price: 1500 }],
      },
    });
    expect(valid.json(), valid.body).toMatchObject({ valid: true });
    expect(await cards(t, shop, 'gosia')).toEqual([
      expect.objectContaining({ cardNumber: 2, stamps: 1, completedCards: 1 }),
    ]);
    clock.set('2026-11-24T09:00:00Z');
  });
});

describe('two scans at once on the last free square', () => {
  it('complete the card once, issue one reward and put the other stamp on the new card', async () => {
    await createCustomer(t, shop, 'hania');
    clock.set('2026-11-20T09:00:00Z');
    expect((await scan(t, staff.token, await qrFor(t, shop, 'hania'))).statusCode).toBe(201);
    clock.set('2026-11-21T09:00:00Z');
    expect((await scan(t, staff.token, await qrFor(t, shop, 'hania'))).statusCode).toBe(201);
    clock.set('2026-11-22T09:00:00Z');
    const both = await Promise.all([
      scan(t, staff.token, await qrFor(t, shop, 'hania')),
      scan(t, staff.token, await qrFor(t, shop, 'hania')),
    ]);
    expect(both.map((r) => r.statusCode)).toEqual([201, 201]);
    expect(both.flatMap((r) => r.json().rewards)).toHaveLength(1);
    const rows = await t.db
      .selectFrom('stamp_cards')
      .innerJoin('customers', (j) =>
        j
          .onRef('customers.shop_id', '=', 'stamp_cards.shop_id')
          .onRef('customers.id', '=', 'stamp_cards.customer_id'),
      )
      .select(['number', 'stamps', 'completed_at', 'reward_coupon_id'])
      .where('stamp_cards.shop_id', '=', shop.id)
      .where('customers.external_id', '=', 'hania')
      .orderBy('number')
      .execute();
    expect(rows).toEqual([
      {
        number: 1,
        stamps: 3,
        completed_at: expect.any(Date),
        reward_coupon_id: expect.any(String),
      },
      { number: 2, stamps: 1, completed_at: null, reward_coupon_id: null },
    ]);
    clock.set('2026-11-24T09:00:00Z');
  });
});

describe('tenant isolation', () => {
  it("another shop's staff cannot stamp this shop's customer", async () => {
    const other = await createTestShop(t, 'Konkurencja');
    await createProgramme(t, other, coffeeCard);
    const otherStaff = await createStaff(t, other, 'Obcy');
    const res = await scan(t, otherStaff.token, await qrFor(t, shop, 'anna'));
    expectProblem(res, 422);
    expect(res.json().type).toBe('/problems/qr-invalid');
    const foreign = await call(t, other, 'GET', '/v1/customers/anna/stamp-cards');
    expect(foreign.statusCode).toBe(404);
  });
});

// Audit L8: the role `manager` used to change nothing. A manager's device may stamp past the
// daily limit; a plain staff device may not, and asking changes nothing.
describe('staff roles', () => {
  const scanPastLimit = async (token: string, customerId: string) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/stamps/scan',
      headers: { authorization: `Bearer ${token}` },
      payload: { payload: await qrFor(t, shop, customerId), pastDailyLimit: true },
    });

  it('lets a manager stamp past the daily limit, and records the manager as the stamper', async () => {
    clock.set('2026-11-24T09:00:00Z');
    await createCustomer(t, shop, 'irena');
    const created = await call(t, shop, 'POST', '/v1/staff', {
      name: 'Kierowniczka',
      role: 'manager',
    });
    expect(created.statusCode, created.body).toBe(201);
    const manager = created.json() as { id: string; token: string; role: string };
    expect(manager.role).toBe('manager');
    for (let i = 0; i < 2; i++)
      expect((await scan(t, staff.token, await qrFor(t, shop, 'irena'))).statusCode).toBe(201);
    // Without asking, a manager's scan keeps to the limit like anyone's.
    expectProblem(await scan(t, manager.token, await qrFor(t, shop, 'irena')), 422);
    const past = await scanPastLimit(manager.token, 'irena');
    expect(past.statusCode, past.body).toBe(201);
    expect(past.json()).toMatchObject({
      stampsToday: 3,
      dailyLimit: 2,
      staffMember: { id: manager.id, name: 'Kierowniczka' },
    });
    expect((await cards(t, shop, 'irena'))[0]).toMatchObject({ stampsToday: 3 });
  });

  it('refuses the same to a plain staff device with 403, and stamps nothing', async () => {
    clock.set('2026-11-24T09:00:00Z');
    await createCustomer(t, shop, 'jola');
    for (let i = 0; i < 2; i++)
      expect((await scan(t, staff.token, await qrFor(t, shop, 'jola'))).statusCode).toBe(201);
    const refused = await scanPastLimit(staff.token, 'jola');
    expectProblem(refused, 403);
    expect(refused.json()).toMatchObject({
      type: '/problems/manager-only',
      messages: { pl: expect.stringContaining('kierownika'), en: expect.any(String) },
    });
    // Even on a fresh day, asking for what the role may not do stamps nothing.
    clock.set('2026-11-25T09:00:00Z');
    expectProblem(await scanPastLimit(staff.token, 'jola'), 403);
    expect((await cards(t, shop, 'jola'))[0]).toMatchObject({ stamps: 2, stampsToday: 0 });
    clock.set('2026-11-24T09:00:00Z');
  });
});
