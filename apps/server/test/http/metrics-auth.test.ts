import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app.ts';

// Audit L8: /metrics shows per-route counts and process details, and HOST is 0.0.0.0 by default.
let t: TestApp;
const scrape = (token?: string) =>
  t.app.inject({
    method: 'GET',
    url: '/metrics',
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('GET /metrics', () => {
  it('answers 401 problem+json without a token or with a wrong one', async () => {
    for (const token of [undefined, 'wrong', `${ADMIN_TOKEN}x`, ADMIN_TOKEN.slice(1)]) {
      const res = await scrape(token);
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).not.toContain('lojal_http_request_duration_seconds');
    }
  });

  it("takes the operator's token while LOJAL_METRICS_TOKEN is unset", async () => {
    const res = await scrape(ADMIN_TOKEN);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('lojal_http_request_duration_seconds');
  });

  it('takes only LOJAL_METRICS_TOKEN once it is set', async () => {
    t.config.metricsToken = 'scrape-token-1';
    try {
      expect((await scrape('scrape-token-1')).statusCode).toBe(200);
      expect((await scrape(ADMIN_TOKEN)).statusCode).toBe(401);
    } finally {
      t.config.metricsToken = undefined;
    }
  });

  it('is closed, saying which setting opens it, when neither token is set', async () => {
    t.config.adminToken = undefined;
    try {
      const res = await scrape('anything');
      expect(res.statusCode).toBe(401);
      expect(res.json().detail).toContain('LOJAL_METRICS_TOKEN');
    } finally {
      t.config.adminToken = ADMIN_TOKEN;
    }
  });
});
