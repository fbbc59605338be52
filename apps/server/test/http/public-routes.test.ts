import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, send } from '../points/support.ts';
import { campaign, codeOf, signUp } from '../referrals/support.ts';

// Audit M4: the routes anyone may call are limited per client address, check their token
// before reading a body, take small bodies, and count one visit per client a day.
const clock = fixedClock('2026-05-04T10:00:00.000Z');
const LIMIT = 20;
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let code: string;
let surveyUrls: string[];
let reviewUrl: string;

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const get = (url: string, remoteAddress: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, remoteAddress, headers });
const path = (url: string) => new URL(url).pathname;
const nextMinute = () =>
  clock.set(new Date(Math.floor(clock.now().getTime() / 60_000 + 1) * 60_000).toISOString());
const visitsFrom = async (address: string) =>
  t.db
    .selectFrom('referral_visits')
    .select('id')
    .where('shop_id', '=', shop.id)
    .where('client_address', '=', address)
    .execute();

beforeAll(async () => {
  t = await createTestApp({ clock, config: { publicRateLimit: LIMIT } });
  shop = await createTestShop(t, 'Sklep Ziutki');
  await campaign(t, shop, { lead: { referrer: { kind: 'points', points: 10 } } });
  await signUp(t, shop, 'ziutka', { firstName: 'Ziutka' });
  code = await codeOf(t, shop, 'ziutka');
  const survey = await call(t, shop, 'POST', '/v1/survey-requests', {
    customerId: 'ziutka',
    kind: 'nps',
  });
  surveyUrls = survey.json().answerUrls;
  await send(t, shop, {
    type: 'order.paid',
    id: 'o-1',
    data: {
      id: 'o-1',
      customer: { id: 'ziutka' },
      currency: 'PLN',
      total: 5000,
      lines: [{ productId: 'kubek', quantity: 1, price: 5000 }],
      createdAt: '2026-05-01T10:00:00Z',
    },
  });
  const review = await call(t, shop, 'POST', '/v1/review-requests', {
    customerId: 'ziutka',
    orderId: 'o-1',
  });
  reviewUrl = review.json().url;
});
afterAll(() => t.close());

describe('public routes', () => {
  it('limit every public route per client address with 429 and Retry-After, and count other addresses apart', async () => {
    nextMinute();
    const me = '198.51.100.1';
    for (let i = 0; i < LIMIT; i++) {
      expect((await get(`/r/${code}`, me)).statusCode).toBe(302);
    }
    const limited = await get(`/r/${code}`, me);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // One allowance for all public routes; a person's browser gets a page, in both languages.
    const page = await get(path(surveyUrls[9]!), me, { accept: 'text/html' });
    expect(page.statusCode).toBe(429);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Za dużo żądań');
    expect((await get(path(reviewUrl), me)).statusCode).toBe(429);
    // Another client, the health check and the shop's API are not held up by it.
    expect((await get(`/r/${code}`, '198.51.100.2')).statusCode).toBe(302);
    expect((await get('/health', me)).statusCode).toBe(200);
    const api = await t.app.inject({
      method: 'GET',
      url: '/v1/shop',
      remoteAddress: me,
      headers: bearer(shop.apiKey),
    });
    expect(api.statusCode).toBe(200);
    // The next minute the client may go on.
    nextMinute();
    expect((await get(`/r/${code}`, me)).statusCode).toBe(302);
  });

  it('count an IPv6 client by its /64, since it can take any address in it', async () => {
    nextMinute();
    for (let i = 0; i < LIMIT; i++) {
      const res = await get(`/r/${code}`, `2001:db8:1:2::${(i + 1).toString(16)}`);
      expect(res.statusCode).toBe(302);
    }
    expect((await get(`/r/${code}`, '2001:db8:1:2:ffff::1')).statusCode).toBe(429);
    expect((await get(`/r/${code}`, '2001:db8:1:3::1')).statusCode).toBe(302);
  });

  it('count an answer that finds nothing as ten requests, so guessing codes is slow', async () => {
    nextMinute();
    const guesser = '198.51.100.3';
    expect((await get('/r/ZIUTKA-AAAA', guesser)).statusCode).toBe(404);
    expect((await get('/s/not-a-token', guesser)).statusCode).toBe(404);
    // 2 × 10 of 20 used up: the next guess waits for the next minute.
    expect((await get('/r/ZIUTKA-AAAB', guesser)).statusCode).toBe(429);
    // A path no route has (a browser's /favicon.ico) costs one, like any request.
    const browser = '198.51.100.4';
    for (let i = 0; i < 3; i++) expect((await get('/favicon.ico', browser)).statusCode).toBe(404);
    expect((await get(`/r/${code}`, browser)).statusCode).toBe(302);
  });

  it('record one visit per link and client address a day, however often the link is followed', async () => {
    nextMinute();
    const visitor = '203.0.113.7';
    const seen = new Set<string>();
    for (let i = 0; i < 15; i++) {
      const res = await get(`/r/${code}`, visitor);
      expect(res.statusCode).toBe(302);
      seen.add(new URL(res.headers.location as string).searchParams.get('lojal_visit')!);
    }
    // The storefront still gets a visit id to attribute through: the first visit's.
    expect(seen.size).toBe(1);
    expect(await visitsFrom(visitor)).toEqual([{ id: [...seen][0] }]);
    await get(`/r/${code}`, '203.0.113.8');
    expect(await visitsFrom('203.0.113.8')).toHaveLength(1);

    clock.set(new Date(clock.now().getTime() + 25 * 3_600_000).toISOString());
    await get(`/r/${code}`, visitor);
    expect(await visitsFrom(visitor)).toHaveLength(2);
  });

  it('check a survey, review or preferences token before reading the body', async () => {
    nextMinute();
    const big = 'k=v&'.repeat(400_000); // 1.6 MB: over the 1 MB limit of any route
    for (const url of ['/s/not-a-token', '/rv/not-a-token', '/m/p/not-a-token']) {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: form,
        payload: big,
        remoteAddress: `192.0.2.${url.length}`,
      });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toContain('text/html');
    }
    // Nor is the content type looked at.
    const other = await t.app.inject({
      method: 'POST',
      url: '/rv/not-a-token',
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.alloc(1000),
      remoteAddress: '192.0.2.100',
    });
    expect(other.statusCode).toBe(404);
  });

  it('take no more body than the page sends: a 32 KB survey form, 100 form fields', async () => {
    nextMinute();
    const survey = await t.app.inject({
      method: 'POST',
      url: path(surveyUrls[9]!),
      headers: form,
      payload: `answer=1&comment=${'x'.repeat(40_000)}`,
      remoteAddress: '192.0.2.200',
    });
    expect(survey.statusCode).toBe(413);
    const fields = Array.from({ length: 101 }, (_, i) => `f${i}=1`).join('&');
    const review = await t.app.inject({
      method: 'POST',
      url: path(reviewUrl),
      headers: form,
      payload: `target=shop&rating=5&${fields}`,
      remoteAddress: '192.0.2.201',
    });
    expect(review.statusCode).toBe(400);
    expect(review.json().detail).toContain('at most 100 fields');
    const answers = await t.db.selectFrom('survey_answers').selectAll().execute();
    const reviews = await t.db.selectFrom('reviews').selectAll().execute();
    expect([answers, reviews]).toEqual([[], []]);
  });
});
