import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, orderPaid, send } from '../points/support.ts';
import { addressKey } from '../../src/referrals/delivery-address.ts';
import { attribute, campaign, codeOf, referralOf, signUp } from './support.ts';

/** An order.paid event carrying a delivery address. */
function paidTo(
  id: string,
  customer: string,
  at: string,
  amounts: { total: number; discountCodes?: string[]; shippingAddress?: object },
) {
  const { shippingAddress, ...rest } = amounts;
  const event = orderPaid(id, customer, at, rest);
  return { ...event, data: { ...event.data, shippingAddress } };
}

const home = {
  line1: 'ul. Długa 12 m. 3',
  city: 'Łódź',
  postalCode: '90-001',
  country: 'PL',
};

describe('addressKey', () => {
  it('treats case, spaces, diacritics, street words and flat markers as the same place', () => {
    const same = [
      { ...home, line1: 'DLUGA 12/3', city: 'lodz', postalCode: '90001' },
      { ...home, line1: 'Ulica  Długa 12 lok. 3' },
      { ...home, line1: 'ul.Długa', line2: '12 / 3' },
      { ...home, line1: 'Długa 12 m3', city: ' ŁÓDŹ ' },
      // The flat in the platform's separate "apartment" field, and written out.
      { ...home, line1: 'ul. Długa 12', line2: '3' },
      { ...home, line1: 'ul. Długa 12', line2: 'nr 3' },
      { ...home, line1: 'ul. Długa 12 mieszkanie nr 3' },
    ];
    for (const address of same) expect(addressKey(address), address.line1).toBe(addressKey(home));
  });

  it('tells apart another flat, house, postal code or country', () => {
    for (const other of [
      { ...home, line1: 'ul. Długa 12 m. 4' },
      { ...home, line1: 'ul. Długa 14 m. 3' },
      { ...home, postalCode: '90-002' },
      { ...home, country: 'DE' },
      { ...home, line1: 'al. Długa 12a m. 3' },
      { ...home, line1: 'ul. Długa 12', line2: '4' },
    ]) {
      expect(addressKey(other), JSON.stringify(other)).not.toBe(addressKey(home));
    }
  });
});

describe('same delivery address check', () => {
  const clock = fixedClock('2026-05-04T10:00:00Z');
  let t: TestApp;
  let shop: Awaited<ReturnType<typeof createTestShop>>;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    shop = await createTestShop(t, 'Sklep z Adresami');
    await campaign(t, shop, {
      lead: { referrer: { kind: 'points', points: 10 } },
      main: { referrer: { kind: 'points', points: 100 } },
    });
    await signUp(t, shop, 'anna', { firstName: 'Anna' });
    await send(
      t,
      shop,
      paidTo('o-anna', 'anna', '2026-04-01T10:00:00Z', { total: 5000, shippingAddress: home }),
    );
  });
  afterAll(() => t.close());

  it('flags a friend whose first order goes to the referrer’s address, with the reason', async () => {
    await signUp(t, shop, 'basia', { firstName: 'Basia' });
    const signup = await attribute(t, shop, {
      customerId: 'basia',
      code: await codeOf(t, shop, 'anna'),
    });
    expect(signup).toMatchObject({ attributed: true, status: 'signed_up' });
    await send(
      t,
      shop,
      paidTo('o-basia', 'basia', '2026-05-05T10:00:00Z', {
        total: 6000,
        shippingAddress: { line1: 'DŁUGA 12/3', city: 'lodz', postalCode: '90001', country: 'PL' },
      }),
    );
    const referral = await referralOf(t, shop, 'anna', 'basia');
    expect(referral).toMatchObject({
      status: 'flagged',
      reasons: [{ reason: 'same_address', weight: 60 }],
      riskScore: 60,
      waitingAt: 'purchased',
    });
    const queue = await call(t, shop, 'GET', '/v1/referrals?status=flagged');
    expect(queue.json().data.map((r: { id: string }) => r.id)).toEqual([referral.id]);
  });

  it('judges a code on an order with its delivery address at once', async () => {
    await signUp(t, shop, 'celina', { firstName: 'Celina', phone: '600100200' });
    await send(
      t,
      shop,
      paidTo('o-celina', 'celina', '2026-05-06T10:00:00Z', {
        total: 6000,
        discountCodes: [await codeOf(t, shop, 'anna')],
        shippingAddress: { ...home, line1: 'Ulica Długa 12 lok. 3' },
      }),
    );
    const referral = await referralOf(t, shop, 'anna', 'celina');
    expect(referral.status).toBe('flagged');
    expect(referral.reasons).toEqual([{ reason: 'same_address', weight: 60 }]);
    expect(referral.rewards).toEqual([]); // nothing while it waits for review
  });

  it('lets a friend at another address through, and an order without an address too', async () => {
    await signUp(t, shop, 'dorota');
    await signUp(t, shop, 'ewa');
    const code = await codeOf(t, shop, 'anna');
    await attribute(t, shop, { customerId: 'dorota', code });
    await attribute(t, shop, { customerId: 'ewa', code });
    await send(
      t,
      shop,
      paidTo('o-dorota', 'dorota', '2026-05-07T10:00:00Z', {
        total: 6000,
        shippingAddress: { ...home, line1: 'ul. Długa 12 m. 4' },
      }),
      orderPaid('o-ewa', 'ewa', '2026-05-07T10:00:00Z', { total: 6000 }),
    );
    expect((await referralOf(t, shop, 'anna', 'dorota')).status).toBe('purchased');
    expect((await referralOf(t, shop, 'anna', 'ewa')).status).toBe('purchased');
  });

  it('refuses a malformed delivery address on order.paid with the field path', async () => {
    const res = await call(t, shop, 'POST', '/v1/events', {
      type: 'order.paid',
      data: {
        id: 'o-bad',
        customer: { id: 'anna' },
        currency: 'PLN',
        total: 100,
        createdAt: '2026-05-07T10:00:00Z',
        shippingAddress: {
          line1: 'Długa 1',
          city: 'Łódź',
          postalCode: '90-001',
          country: 'Polska',
        },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().errors)).toContain('shippingAddress');
  });
});
