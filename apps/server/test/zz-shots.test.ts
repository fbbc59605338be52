import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { it, expect } from 'vitest';
import { createTestApp, createTestShop } from './support/app.ts';
import { addCustomer, call } from './messaging-api/support.ts';
import { orderPaid, send } from './points/support.ts';

it('shots', async () => {
  const t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  for (const locale of ['pl', 'en']) {
    const shop = await createTestShop(t, `Sklep ${locale}`);
    await t.db.updateTable('shops').set({ locale }).where('id', '=', shop.id).execute();
    await addCustomer(t, shop, { id: 'ola' });
    await send(t, shop, orderPaid('o-1', 'ola', '2026-03-30T10:00:00Z', { total: 5000, lines: [{ productId: 'kubek', quantity: 1, price: 5000 }] }));
    const s = await call(t, shop, 'POST', '/v1/survey-requests', { customerId: 'ola', kind: 'nps' });
    const r = await call(t, shop, 'POST', '/v1/review-requests', { customerId: 'ola', orderId: 'o-1' });
    const p = await call(t, shop, 'GET', '/v1/customers/ola/preferences-link');
    const urls: Record<string, string> = { survey: s.json().answerUrls[9], review: r.json().url, prefs: p.json().url };
    for (const [name, url] of Object.entries(urls)) {
      for (const [w, h] of [[1280, 800], [390, 844]]) {
        const page = await browser.newPage({ viewport: { width: w!, height: h! } });
        await page.goto(`${base}${new URL(url).pathname}`);
        await page.waitForTimeout(800);
        await page.screenshot({ path: `/tmp/shots/${name}-${locale}-${w}.png`, fullPage: true });
        await page.close();
      }
    }
  }
  await browser.close();
  await t.close();
  expect(1).toBe(1);
}, 120_000);
