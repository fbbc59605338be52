import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/shared/ids.ts';
import { provisionShop } from '../../src/app/provision-shop.ts';
import { bearer, createTestApp, type TestApp } from '../support/app.ts';

// A real online grocer's purchase log: 1,525 customers, 10,483 purchases, 2006–2007 (no amounts).
const LOG = fileURLToPath(new URL('../fixtures/grocery/groceryElog.csv', import.meta.url));

let t: TestApp;
let shop: Awaited<ReturnType<typeof provisionShop>>;
const purchases = readFileSync(LOG, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [cust, date] = line.split(',') as [string, string];
    return { customer: cust.replaceAll('"', ''), date };
  });

beforeAll(async () => {
  t = await createTestApp();
  shop = await provisionShop(t.db, t.clock, t.box, {
    name: 'Grocer',
    currency: 'EUR',
    timezone: 'UTC',
    locale: 'en',
  });
  const ids = new Map<string, string>();
  for (const p of purchases) if (!ids.has(p.customer)) ids.set(p.customer, newId('cus'));
  await t.db
    .insertInto('customers')
    .values([...ids].map(([external, id]) => ({ shop_id: shop.id, id, external_id: external })))
    .execute();
  const orders = purchases.map((p, i) => {
    const at = new Date(`${p.date}T12:00:00Z`);
    return {
      shop_id: shop.id,
      id: newId('ord'),
      external_id: `g-${i}`,
      customer_id: ids.get(p.customer)!,
      currency: 'EUR',
      total: 0,
      placed_at: at,
      paid_at: at,
    };
  });
  for (let i = 0; i < orders.length; i += 2000)
    await t.db
      .insertInto('orders')
      .values(orders.slice(i, i + 2000))
      .execute();
}, 60_000);
afterAll(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: bearer(shop.apiKey) });

describe('analytics on the grocery purchase log', () => {
  it('computes the repeat purchase rate of 2006 as a direct count does', async () => {
    const res = await get('/v1/analytics/summary?from=2006-01-01&to=2007-01-01');
    const in2006 = purchases.filter((p) => p.date < '2007-01-01');
    const perCustomer = new Map<string, number>();
    for (const p of in2006) perCustomer.set(p.customer, (perCustomer.get(p.customer) ?? 0) + 1);
    const repeaters = [...perCustomer.values()].filter((n) => n >= 2).length;
    const summary = res.json();
    expect(summary.orders).toBe(in2006.length);
    expect(summary.customers).toBe(perCustomer.size);
    expect(summary.repeatPurchaseRate).toBeCloseTo(repeaters / perCustomer.size, 12);
    process.stdout.write(`grocery 2006: ${JSON.stringify(summary)}\n`);
  });

  it('builds the 2006 cohort matrix, each cohort starting at 100 %', async () => {
    const res = await get('/v1/analytics/cohorts?from=2006-01-01&to=2008-01-01');
    const { cohorts } = res.json() as {
      cohorts: Array<{ cohort: string; customers: number; retention: number[] }>;
    };
    expect(cohorts).toHaveLength(24);
    const firstMonth = new Map<string, string>();
    for (const p of [...purchases].sort((a, b) => a.date.localeCompare(b.date))) {
      if (!firstMonth.has(p.customer)) firstMonth.set(p.customer, p.date.slice(0, 7));
    }
    for (const c of cohorts) {
      expect(c.customers).toBe([...firstMonth.values()].filter((m) => m === c.cohort).length);
      if (c.customers > 0) expect(c.retention[0]).toBe(1);
      expect(c.retention).toHaveLength(24 - cohorts.indexOf(c));
    }
    const rows = cohorts.filter((c) => c.customers > 0).slice(0, 6);
    process.stdout.write(
      `grocery cohorts (first 6, retention months 0–6):\n${rows
        .map(
          (c) =>
            `  ${c.cohort} n=${c.customers} ${c.retention
              .slice(0, 7)
              .map((r) => (100 * r).toFixed(0) + '%')
              .join(' ')}`,
        )
        .join('\n')}\n`,
    );
  });

  it('fits BG/NBD on 2006 and compares its 2007 forecast with what the customers did', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/analytics/clv/fit',
      headers: bearer(shop.apiKey),
      payload: { calibrationEnd: '2006-12-31', holdoutEnd: '2007-12-31' },
    });
    expect(res.statusCode).toBe(200);
    const fit = res.json();
    const firstDay = new Map<string, string>();
    for (const p of purchases)
      if (!firstDay.has(p.customer) || p.date < firstDay.get(p.customer)!)
        firstDay.set(p.customer, p.date);
    const calibrated = new Set([...firstDay].filter(([, d]) => d <= '2006-12-31').map(([c]) => c));
    const actual = new Set(
      purchases
        .filter((p) => calibrated.has(p.customer) && p.date > '2006-12-31')
        .map((p) => `${p.customer}|${p.date}`),
    ).size;
    expect(fit.customers).toBe(calibrated.size);
    expect(fit.holdout.actualPurchases).toBe(actual);
    expect(fit.gammaGamma).toBeNull(); // the log has no amounts
    expect(fit.bgnbd.logLikelihood).toBeLessThan(0);
    process.stdout.write(`grocery fit: ${JSON.stringify(fit)}\n`);
  }, 30_000);
});
