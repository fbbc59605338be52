import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, send } from '../points/support.ts';
import { campaign, codeOf, signUp } from '../referrals/support.ts';
import { messageToken, readMessageToken } from '../../src/automations/message-links.ts';
import { redactUrl } from '../../src/http/redact-url.ts';

// Audit M3: the customers' link tokens, referral and gift-card codes never reach the log, on
// request lines and on error reports alike; the log shows where they were, redacted.
const clock = fixedClock('2026-05-04T10:00:00.000Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
const lines: string[] = [];
const secrets: string[] = [];
const visits: { method: 'GET' | 'POST'; url: string; payload?: string; redacted: string }[] = [];
const form = { 'content-type': 'application/x-www-form-urlencoded' };

const pathOf = (url: string) => new URL(url).pathname;
const keep = (secret: string) => {
  expect(secret.length).toBeGreaterThan(5);
  secrets.push(secret);
  return secret;
};

beforeAll(async () => {
  const logger = pino(
    { level: 'trace', redact: ['req.headers.authorization'] },
    { write: (line: string) => void lines.push(line) },
  );
  t = await createTestApp({ clock, logger });
  // An error whose message and PostgreSQL-style detail quote the code of its URL.
  t.app.get<{ Params: { code: string } }>(
    '/v1/gift-cards/:code/explode',
    { config: { auth: 'none', rateClass: 'none' }, schema: { hide: true } },
    async (request) => {
      const error = new Error(`could not spend gift card ${request.params.code}`);
      Object.assign(error, { detail: `Key (code)=(${request.params.code}) already exists.` });
      throw error;
    },
  );
  shop = await createTestShop(t, 'Sklep Ziutki');
  await campaign(t, shop, { lead: { referrer: { kind: 'points', points: 10 } } });
  await signUp(t, shop, 'ziutka', { firstName: 'Ziutka', email: 'ziutka@example.com' });
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

  const survey = await call(t, shop, 'POST', '/v1/survey-requests', {
    customerId: 'ziutka',
    kind: 'nps',
  });
  const surveyPath = pathOf(survey.json().answerUrls[9]);
  keep(surveyPath.slice('/s/'.length));
  visits.push({ method: 'GET', url: surveyPath, redacted: '/s/[redacted]' });
  visits.push({ method: 'POST', url: surveyPath, payload: 'answer=1', redacted: '/s/[redacted]' });

  const review = await call(t, shop, 'POST', '/v1/review-requests', {
    customerId: 'ziutka',
    orderId: 'o-1',
  });
  const reviewPath = pathOf(review.json().url);
  keep(reviewPath.slice('/rv/'.length));
  visits.push({ method: 'GET', url: reviewPath, redacted: '/rv/[redacted]' });
  visits.push({ method: 'POST', url: reviewPath, payload: 'rating=x', redacted: '/rv/[redacted]' });

  const preferencesPath = pathOf(
    (await call(t, shop, 'GET', '/v1/customers/ziutka/preferences-link')).json().url,
  );
  const preferences = keep(preferencesPath.slice('/m/p/'.length));
  const payload = readMessageToken(t.box, 'preferences', preferences, clock.now())!;
  visits.push({ method: 'GET', url: preferencesPath, redacted: '/m/p/[redacted]' });
  visits.push({
    method: 'POST',
    url: preferencesPath,
    payload: 'form=preferences',
    redacted: '/m/p/[redacted]',
  });
  for (const kind of ['unsubscribe', 'click', 'open'] as const) {
    const token = keep(messageToken(t.box, kind, { ...payload, u: 'https://x.pl/' }, clock.now()));
    const letter = kind[0];
    visits.push({
      method: 'GET',
      url: `/m/${letter}/${token}`,
      redacted: `/m/${letter}/[redacted]`,
    });
  }
  visits.push({
    method: 'POST',
    url: `/m/u/${secrets.at(-3)}`,
    payload: 'List-Unsubscribe=One-Click',
    redacted: '/m/u/[redacted]',
  });

  const referral = keep(await codeOf(t, shop, 'ziutka'));
  visits.push({ method: 'GET', url: `/r/${referral}`, redacted: '/r/[redacted]' });
  visits.push({
    method: 'GET',
    url: `/r/${shop.id}/${referral}?utm_source=mail`,
    redacted: `/r/${shop.id}/[redacted]?utm_source=mail`,
  });
  const typo = keep('ZIUTKA-NO-SUCH-CODE');
  visits.push({ method: 'GET', url: `/r/${typo}`, redacted: '/r/[redacted]' });

  const gift = await call(t, shop, 'POST', '/v1/gift-cards', {
    currency: 'PLN',
    amount: 10000,
  });
  expect(gift.statusCode, gift.body).toBe(201);
  const giftCode = keep(gift.json().code);
  for (const suffix of ['', '/transactions'])
    visits.push({
      method: 'GET',
      url: `/v1/gift-cards/${giftCode}${suffix}`,
      redacted: `/v1/gift-cards/[redacted]${suffix}`,
    });
  visits.push({
    method: 'GET',
    url: `/v1/gift-cards/${giftCode}/explode`,
    redacted: '/v1/gift-cards/[redacted]/explode',
  });
  const endpoint = keep('https://push.example.com/send/ab12cd34ef56');
  visits.push({
    method: 'GET',
    url: `/v1/customers/ziutka/push-subscriptions?endpoint=${encodeURIComponent(endpoint)}`,
    redacted: '/v1/customers/ziutka/push-subscriptions?endpoint=[redacted]',
  });
});
afterAll(() => t?.close());

describe('the request log (audit M3)', () => {
  it('shows every public link and code redacted, never the secret, on requests and errors', async () => {
    lines.length = 0;
    const statuses: number[] = [];
    for (const visit of visits) {
      const res = await t.app.inject({
        method: visit.method,
        url: visit.url,
        headers: { ...(visit.payload ? form : {}), authorization: `Bearer ${shop.apiKey}` },
        ...(visit.payload ? { payload: visit.payload } : {}),
      });
      statuses.push(res.statusCode);
    }
    // The routes ran (pages, redirects, the gift card, the error), not just a 404 for all.
    expect(statuses).toContain(200);
    expect(statuses).toContain(302);
    expect(statuses).toContain(500);
    const log = lines.join('');
    for (const secret of new Set(secrets)) {
      expect(log).not.toContain(secret);
      expect(log).not.toContain(encodeURIComponent(secret));
    }
    expect(log).not.toContain(shop.apiKey);
    const urls = lines.map((line) => JSON.parse(line)).flatMap((entry) => entry.req?.url ?? []);
    for (const visit of visits) expect(urls).toContain(visit.redacted);
    const failure = lines.map((line) => JSON.parse(line)).find((e) => e.msg === 'request failed');
    expect(failure.err).toMatchObject({
      type: 'Error',
      message: 'could not spend gift card [redacted]',
      detail: 'Key (code)=([redacted]) already exists.',
    });
  });

  it('keeps what is not a secret: route shape, ids, paging', () => {
    expect(redactUrl('/v1/customers/c-1/ledger?limit=5&before=L1')).toBe(
      '/v1/customers/c-1/ledger?limit=5&before=L1',
    );
    expect(redactUrl('/v1/gift-cards?x=1')).toBe('/v1/gift-cards?x=1');
    // A customer search may be a person's e-mail or phone.
    expect(redactUrl('/v1/customers?q=ewa%40example.pl&limit=25')).toBe(
      '/v1/customers?q=[redacted]&limit=25',
    );
    expect(redactUrl('/r/sklep/KOD-1?lojal_ref=KOD-1&utm=a')).toBe(
      '/r/sklep/[redacted]?lojal_ref=[redacted]&utm=a',
    );
  });
});
