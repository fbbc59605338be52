import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMessageToken } from '../../src/automations/message-links.ts';
import { createTestApp, createTestShop, expectProblem, type TestApp } from '../support/app.ts';
import { addCustomer, call } from './support.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { publicUrl: 'https://lojal.example' } });
});
afterAll(async () => {
  await t.close();
});

const CHECKBOX =
  'Chcę dostawać SMS-y o promocjach Sklepu Ziutki. Zgodę mogę wycofać w każdej chwili.';

describe('consent through the API', () => {
  it('a recorded answer shows as granted from "recorded", with its proof in the history', async () => {
    const shop = await createTestShop(t);
    await addCustomer(t, shop, { id: 'dorota', phone: '+48600100200' });
    const before = (await call(t, shop, 'GET', '/v1/customers/dorota/consents')).json();
    expect(
      before.consents.find(
        (c: { channel: string; purpose: string }) =>
          c.channel === 'sms' && c.purpose === 'marketing',
      ),
    ).toMatchObject({
      granted: false,
      source: 'default',
    });

    const res = await call(t, shop, 'POST', '/v1/customers/dorota/consents', {
      changes: [
        {
          channel: 'sms',
          purpose: 'marketing',
          granted: true,
          textShown: CHECKBOX,
          clientAddress: '203.0.113.7',
          userAgent: 'Mozilla/5.0',
          at: '2026-03-01T12:00:00+01:00',
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const after = (await call(t, shop, 'GET', '/v1/customers/dorota/consents')).json();
    expect(res.json()).toEqual(after);
    expect(
      after.consents.find(
        (c: { channel: string; purpose: string }) =>
          c.channel === 'sms' && c.purpose === 'marketing',
      ),
    ).toEqual({
      channel: 'sms',
      purpose: 'marketing',
      granted: true,
      source: 'recorded',
      changedAt: '2026-03-01T11:00:00.000Z',
    });
    expect(after.history).toEqual([
      expect.objectContaining({
        channel: 'sms',
        purpose: 'marketing',
        granted: true,
        source: 'api',
        textShown: CHECKBOX,
        clientAddress: '203.0.113.7',
        userAgent: 'Mozilla/5.0',
        occurredAt: '2026-03-01T11:00:00.000Z',
      }),
    ]);
  });

  it('an answer without the text the person saw is refused', async () => {
    const shop = await createTestShop(t);
    await addCustomer(t, shop, { id: 'edek' });
    const res = await call(t, shop, 'POST', '/v1/customers/edek/consents', {
      changes: [{ channel: 'email', purpose: 'marketing', granted: true }],
    });
    expectProblem(res, 400);
    expect(res.json().errors).toEqual([
      // Missing: said as a fact the dashboard words in the person's language.
      { path: 'changes.0.textShown', message: expect.any(String), code: 'invalid_type' },
    ]);
  });

  it("a preferences link opens the customer's preferences page", async () => {
    const shop = await createTestShop(t);
    const c = await addCustomer(t, shop, { id: 'franek', email: 'franek@example.pl' });
    const res = await call(t, shop, 'GET', '/v1/customers/franek/preferences-link');
    expect(res.statusCode, res.body).toBe(200);
    const { url, expiresAt } = res.json();
    expect(url).toMatch(/^https:\/\/lojal\.example\/m\/p\/.+/);
    const token = url.split('/m/p/')[1];
    expect(readMessageToken(t.box, 'preferences', token, new Date())).toMatchObject({
      s: shop.id,
      c: c.id,
    });
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now() + 300 * 86_400_000);
    const page = await t.app.inject({ method: 'GET', url: `/m/p/${token}` });
    expect(page.statusCode).toBe(200);
    expectProblem(await call(t, shop, 'GET', '/v1/customers/nobody/preferences-link'), 404);
  });
});
