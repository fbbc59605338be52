import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, orderPaid, send } from '../points/support.ts';
import { messageToken, readMessageToken } from '../../src/automations/message-links.ts';

// Audit L8: the public pages (their addresses carry a customer's token) load nothing from
// elsewhere, run only their own inline scripts, cannot be framed and send no Referer.
const clock = fixedClock('2026-05-04T10:00:00.000Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
const pages: { name: string; method: 'GET' | 'POST'; url: string; payload?: string }[] = [];
const form = { 'content-type': 'application/x-www-form-urlencoded' };

const pathOf = (url: string) => new URL(url).pathname;
const directives = (policy: string) =>
  new Map(
    policy.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name!, values] as const;
    }),
  );
const hashOf = (text: string) =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const inline = (html: string, tag: 'script' | 'style') =>
  [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Sklep Ziutki');
  await send(
    t,
    shop,
    orderPaid('o-1', 'ziutka', '2026-05-01T10:00:00Z', {
      total: 5000,
      lines: [{ productId: 'kubek', quantity: 1, price: 5000 }],
    }),
  );
  const survey = await call(t, shop, 'POST', '/v1/survey-requests', {
    customerId: 'ziutka',
    kind: 'nps',
  });
  const surveyPath = pathOf(survey.json().answerUrls[9]);
  pages.push({ name: 'survey', method: 'GET', url: surveyPath });
  pages.push({ name: 'survey answered', method: 'POST', url: surveyPath, payload: 'answer=1' });
  const review = await call(t, shop, 'POST', '/v1/review-requests', {
    customerId: 'ziutka',
    orderId: 'o-1',
  });
  pages.push({ name: 'review', method: 'GET', url: pathOf(review.json().url) });
  const preferencesPath = pathOf(
    (await call(t, shop, 'GET', '/v1/customers/ziutka/preferences-link')).json().url,
  );
  pages.push({ name: 'preferences', method: 'GET', url: preferencesPath });
  pages.push({
    name: 'preferences saved',
    method: 'POST',
    url: preferencesPath,
    payload: 'form=preferences',
  });
  const payload = readMessageToken(
    t.box,
    'preferences',
    preferencesPath.slice('/m/p/'.length),
    clock.now(),
  )!;
  const unsubscribe = `/m/u/${messageToken(t.box, 'unsubscribe', payload, clock.now())}`;
  pages.push({ name: 'unsubscribe', method: 'GET', url: unsubscribe });
  pages.push({ name: 'unsubscribed', method: 'POST', url: unsubscribe, payload: 'x=1' });
  pages.push({ name: 'survey not found', method: 'GET', url: '/s/not-a-token' });
  pages.push({ name: 'message link not found', method: 'GET', url: '/m/p/not-a-token' });
});
afterAll(() => t?.close());

describe('public pages', () => {
  it('each carries the strict policy, and it allows exactly their inline script and style', async () => {
    let scriptsSeen = 0;
    for (const page of pages) {
      const res = await t.app.inject({
        method: page.method,
        url: page.url,
        headers: page.payload ? form : {},
        ...(page.payload ? { payload: page.payload } : {}),
      });
      expect(res.headers['content-type'], page.name).toContain('text/html');
      expect(res.headers['x-content-type-options'], page.name).toBe('nosniff');
      expect(res.headers['referrer-policy'], page.name).toBe('no-referrer');
      expect(res.headers['x-frame-options'], page.name).toBe('DENY');
      expect(res.headers['cache-control'], page.name).toBe('no-store');
      const policy = directives(String(res.headers['content-security-policy']));
      expect(policy.get('default-src'), page.name).toEqual(["'none'"]);
      expect(policy.get('frame-ancestors'), page.name).toEqual(["'none'"]);
      expect(policy.get('base-uri'), page.name).toEqual(["'none'"]);
      expect(policy.get('form-action'), page.name).toEqual(["'self'"]);
      const scripts = policy.get('script-src') ?? [];
      expect(
        scripts.every((source) => source.startsWith("'sha256-")),
        page.name,
      ).toBe(true);
      scriptsSeen += inline(res.body, 'script').length;
      for (const script of inline(res.body, 'script'))
        expect(scripts, `${page.name}: a script the policy would refuse`).toContain(hashOf(script));
      for (const style of inline(res.body, 'style'))
        expect(policy.get('style-src'), page.name).toContain(hashOf(style));
    }
    // The survey and review pages do have scripts: the check above was not empty.
    expect(scriptsSeen).toBeGreaterThanOrEqual(2);
  });

  it('JSON answers get nosniff, no Referer and a policy that renders nothing', async () => {
    for (const url of ['/v1/shop', '/v1/no-such-route']) {
      const res = await call(t, shop, 'GET', url);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['content-security-policy']).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
    }
  });
});
