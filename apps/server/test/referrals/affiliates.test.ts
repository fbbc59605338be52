import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, orderPaid, refunded, send } from '../points/support.ts';
import { codeOf, signUp } from './support.ts';

const clock = fixedClock('2026-05-04T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let other: Awaited<ReturnType<typeof createTestShop>>;
let affiliateId: string;
let visitId: string;

const pln = (amount: number) => ({ amount, currency: 'PLN' });

beforeAll(async () => {
  t = await createTestApp({ clock, config: { publicUrl: 'https://lojal.sklep.pl' } });
  shop = await createTestShop(t, 'Sklep Partnerski');
  other = await createTestShop(t, 'Inny Sklep');
  await call(t, shop, 'PUT', '/v1/referrals/storefront', {
    storefrontUrl: 'https://sklep-partnerski.pl/',
  });
  await signUp(t, shop, 'anna', { firstName: 'Anna' });
});
afterAll(() => t.close());

describe('affiliates', () => {
  it('gives a partner a code and link with a commission rate', async () => {
    const res = await call(t, shop, 'POST', '/v1/affiliates', {
      name: 'Blog Kasi',
      email: 'kasia@blog.pl',
      code: 'kasia10',
      commissionPercent: 10,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      code: 'KASIA10',
      link: 'https://lojal.sklep.pl/r/sklep-partnerski/KASIA10',
      commissionPercent: 10,
      attributionWindowDays: 30,
    });
    affiliateId = res.json().id;
    expect(affiliateId).toMatch(/^aff_/);
  });

  it('refuses a code a customer or another affiliate already has', async () => {
    const body = { name: 'X', commissionPercent: 5 };
    const customers = await call(t, shop, 'POST', '/v1/affiliates', {
      ...body,
      code: await codeOf(t, shop, 'anna'),
    });
    expect(customers.statusCode).toBe(409);
    const twice = await call(t, shop, 'POST', '/v1/affiliates', { ...body, code: 'KASIA-10' });
    expect(twice.statusCode).toBe(409);
    const bad = await call(t, shop, 'POST', '/v1/affiliates', {
      ...body,
      code: 'a b',
      commissionPercent: 0,
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['code', 'commissionPercent']);
  });

  it('redirects the affiliate link to the shop and records the visit', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/r/kasia10' });
    expect(res.statusCode).toBe(302);
    const location = new URL(res.headers.location as string);
    expect(location.origin).toBe('https://sklep-partnerski.pl');
    expect(location.searchParams.get('lojal_ref')).toBe('KASIA10');
    visitId = location.searchParams.get('lojal_visit')!;
    expect(visitId).toMatch(/^afv_/);
  });

  it('counts orders with the code and orders through the link, at the rate of the moment', async () => {
    await send(
      t,
      shop,
      orderPaid('o1', 'anna', '2026-05-05T10:00:00Z', { total: 10000, discountCodes: ['kasia10'] }),
      orderPaid('o2', 'basia', '2026-05-06T10:00:00Z', { total: 20000 }),
      orderPaid('o-none', 'celina', '2026-05-06T10:00:00Z', { total: 99900 }),
      refunded('o1', 'r1', 3000, '2026-05-10T10:00:00Z'),
    );
    const link = await call(t, shop, 'POST', '/v1/affiliates/attributions', {
      orderId: 'o2',
      visitId,
    });
    expect(link.json()).toEqual({ attributed: true, affiliateId });
    const again = await call(t, shop, 'POST', '/v1/affiliates/attributions', {
      orderId: 'o1',
      visitId,
    });
    expect(again.json()).toEqual({ attributed: false, reason: 'already_attributed' });

    const rate = await call(t, shop, 'PUT', `/v1/affiliates/${affiliateId}`, {
      name: 'Blog Kasi',
      commissionPercent: 20,
    });
    expect(rate.statusCode, rate.body).toBe(200);
    await send(
      t,
      shop,
      orderPaid('o3', 'dorota', '2026-05-20T10:00:00Z', {
        total: 5000,
        discountCodes: ['KASIA10'],
      }),
      // after o2's return window (20 May): still deducted from its month
      refunded('o2', 'r2', 5000, '2026-05-25T10:00:00Z'),
    );
  });

  it('reports each month by when the return windows end, commission on the net', async () => {
    clock.set('2026-06-02T10:00:00Z');
    const res = await call(t, shop, 'GET', '/v1/affiliates/payouts');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toEqual([
      {
        affiliateId,
        affiliateName: 'Blog Kasi',
        period: '2026-06', // o3's window ends on 3 June
        closed: false,
        orders: 1,
        revenue: pln(5000),
        refunds: pln(0),
        netRevenue: pln(5000),
        commission: pln(1000), // 20%
        paid: null,
        difference: null,
      },
      {
        affiliateId,
        affiliateName: 'Blog Kasi',
        period: '2026-05',
        closed: true,
        orders: 2,
        revenue: pln(30000),
        refunds: pln(8000),
        netRevenue: pln(22000),
        commission: pln(2200), // 10% of 7,000 + 10% of 15,000
        paid: null,
        difference: null,
      },
    ]);
  });

  it('marks a closed month paid once, with what was paid, and shows later refunds', async () => {
    const open = await call(
      t,
      shop,
      'POST',
      `/v1/affiliates/${affiliateId}/payouts/2026-06/paid`,
      {},
    );
    expect(open.statusCode).toBe(409);
    const paid = await call(t, shop, 'POST', `/v1/affiliates/${affiliateId}/payouts/2026-05/paid`, {
      reference: 'Przelew 05/2026',
    });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({
      period: '2026-05',
      paid: { at: clock.now().toISOString(), commission: pln(2200), reference: 'Przelew 05/2026' },
      difference: pln(0),
    });
    const twice = await call(
      t,
      shop,
      'POST',
      `/v1/affiliates/${affiliateId}/payouts/2026-05/paid`,
      {},
    );
    expect(twice.statusCode).toBe(409);

    await send(t, shop, refunded('o1', 'r1b', 1000, '2026-06-05T10:00:00Z'));
    const may = (
      await call(t, shop, 'GET', '/v1/affiliates/payouts?from=2026-05&to=2026-05')
    ).json().data;
    expect(may).toHaveLength(1);
    expect(may[0]).toMatchObject({ commission: pln(2100), difference: pln(-100) });
  });

  it('exports the report as CSV', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/affiliates/payouts?affiliateId=${affiliateId}`,
      headers: { authorization: `Bearer ${shop.apiKey}`, accept: 'text/csv' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.body.replace(/^\uFEFF/, '').split('\r\n')).toEqual([
      'affiliate_id,affiliate,period,closed,orders,revenue,refunds,net_revenue,commission,paid_at,paid_commission,reference,currency',
      `${affiliateId},Blog Kasi,2026-06,no,1,5000,0,5000,1000,,,,PLN`,
      `${affiliateId},Blog Kasi,2026-05,yes,2,30000,9000,21000,2100,2026-06-02T10:00:00.000Z,2200,Przelew 05/2026,PLN`,
      '',
    ]);
  });

  it('keeps other shops out of every affiliate route', async () => {
    expect((await call(t, other, 'GET', '/v1/affiliates')).json().data).toEqual([]);
    expect((await call(t, other, 'GET', '/v1/affiliates/payouts')).json().data).toEqual([]);
    const put = await call(t, other, 'PUT', `/v1/affiliates/${affiliateId}`, {
      name: 'Przejęty',
      commissionPercent: 90,
    });
    expect(put.statusCode).toBe(404);
    const pay = await call(
      t,
      other,
      'POST',
      `/v1/affiliates/${affiliateId}/payouts/2026-05/paid`,
      {},
    );
    expect(pay.statusCode).toBe(404);
    await send(t, other, orderPaid('x1', 'x', '2026-06-02T10:00:00Z', { total: 100 }));
    const link = await call(t, other, 'POST', '/v1/affiliates/attributions', {
      orderId: 'x1',
      visitId,
    });
    expect(link.statusCode).toBe(404);
    // the code on another shop's order is not this affiliate's
    await send(
      t,
      other,
      orderPaid('x2', 'x', '2026-06-02T10:00:00Z', { total: 100, discountCodes: ['KASIA10'] }),
    );
    const rows = await t.db
      .selectFrom('affiliate_orders')
      .select('shop_id')
      .where('shop_id', '=', other.id)
      .execute();
    expect(rows).toEqual([]);
  });
});
