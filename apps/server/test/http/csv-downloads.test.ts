import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, orderPaid, send } from '../points/support.ts';

// Excel on a Polish Windows reads a CSV without a byte order mark as Windows-1250: "ł" shows
// as "Å‚". Every CSV download starts with the UTF-8 BOM, EF BB BF.
const clock = fixedClock('2026-05-04T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let campaignId: string;

beforeAll(async () => {
  t = await createTestApp({ clock, config: { publicUrl: 'https://lojal.sklep.pl' } });
  shop = await createTestShop(t, 'Sklep CSV');
  const affiliate = await call(t, shop, 'POST', '/v1/affiliates', {
    name: '=Blog Łucji',
    code: 'LUCJA10',
    commissionPercent: 10,
  });
  expect(affiliate.statusCode, affiliate.body).toBe(201);
  const campaign = await call(t, shop, 'POST', '/v1/coupon-campaigns', {
    name: 'Jesień',
    discount: { kind: 'free_shipping' },
  });
  expect(campaign.statusCode, campaign.body).toBe(201);
  campaignId = campaign.json().id;
  const codes = await call(t, shop, 'POST', `/v1/coupon-campaigns/${campaignId}/codes`, {
    count: 2,
    pattern: { prefix: 'ZLOTA', length: 13 },
  });
  expect(codes.statusCode, codes.body).toBe(201);
  await send(
    t,
    shop,
    orderPaid('o1', 'anna', '2026-05-02T10:00:00Z', { total: 10000, discountCodes: ['LUCJA10'] }),
  );
});
afterAll(() => t.close());

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

async function download(url: string) {
  const res = await t.app.inject({
    method: 'GET',
    url,
    headers: { authorization: `Bearer ${shop.apiKey}`, accept: 'text/csv' },
  });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  return res.rawPayload;
}

describe('CSV downloads', () => {
  it.each([
    '/v1/analytics/summary?from=2026-01-01&to=2026-02-01',
    '/v1/analytics/cohorts?from=2026-01-01&to=2026-03-01',
    '/v1/analytics/messages?from=2026-01-01&to=2026-02-01',
    '/v1/affiliates/payouts',
    '/v1/segments/one-time/customers.csv',
    'campaign codes',
  ])('%s starts with the UTF-8 byte order mark, once', async (url) => {
    const body = await download(
      url === 'campaign codes' ? `/v1/coupon-campaigns/${campaignId}/codes.csv` : url,
    );
    expect(body.subarray(0, 3)).toEqual(BOM);
    expect(body.subarray(3, 6)).not.toEqual(BOM);
  });

  it('keeps "ł" as UTF-8 after the mark, and still neutralises a formula', async () => {
    const body = await download('/v1/affiliates/payouts');
    const text = new TextDecoder('utf-8', { ignoreBOM: false }).decode(body);
    expect(text.split('\r\n')[0]).toMatch(/^affiliate_id,affiliate,/);
    expect(body.includes(Buffer.from('Łucji', 'utf8'))).toBe(true);
    expect(text).toContain(`,'=Blog Łucji,`);
  });
});
