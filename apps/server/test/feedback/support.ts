import { expect } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { call, send } from '../points/support.ts';

type Shop = { id: string; apiKey: string };

/**
 * Asks a new customer an NPS question and, unless `score` is null, answers it the way the answer
 * page does (a POST; opening the link records nothing), with a comment if one is given.
 */
export async function answerNps(
  t: TestApp,
  shop: Shop,
  customerId: string,
  score: number | null,
  comment = '',
): Promise<void> {
  await send(t, shop, {
    type: 'customer.created',
    id: `c-${customerId}`,
    data: { id: customerId, firstName: customerId },
  });
  const res = await call(t, shop, 'POST', '/v1/survey-requests', { customerId, kind: 'nps' });
  expect(res.statusCode, res.body).toBe(201);
  if (score === null) return;
  const { answerUrls, scores } = res.json() as { answerUrls: string[]; scores: number[] };
  const url = new URL(answerUrls[scores.indexOf(score)]!).pathname;
  const payload = `answer=1${comment ? `&comment=${encodeURIComponent(comment)}` : ''}`;
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  expect((await t.app.inject({ method: 'POST', url, headers, payload })).statusCode).toBe(200);
}
