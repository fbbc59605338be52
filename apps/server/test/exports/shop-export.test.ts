import { Writable } from 'node:stream';
import { unzipSync, strFromU8 } from 'fflate';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, orderPaid, refunded, send } from '../points/support.ts';
import { runExportJob } from '../../src/exports/export-jobs.ts';
import { EXPORT_KINDS } from '../../src/exports/export-kinds.ts';
import { writeShopZip } from '../../src/exports/write-shop-zip.ts';

// docs/export.md: the whole shop as a zip of one file per kind, streamed from COPY.
const clock = fixedClock('2026-12-07T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let other: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Palarnia Kawy');
  other = await createTestShop(t, 'Herbaciarnia');
  await send(
    t,
    shop,
    {
      type: 'customer.created',
      id: 'c-ania',
      occurredAt: '2026-11-30T09:00:00Z',
      data: {
        id: 'ania',
        email: 'ania@example.pl',
        phone: '600 100 200',
        firstName: 'Ania',
        lastName: 'Nowak, "Kawa"',
        acceptsMarketing: { email: true },
        tags: ['vip', 'kawa'],
      },
    },
    orderPaid('o-1', { id: 'ania', email: 'ania@example.pl' }, '2026-12-01T10:00:00Z', {
      total: 12_300,
      lines: [
        { productId: 'kawa', sku: 'K-1', quantity: 2, price: 5_000 },
        { productId: 'kubek', quantity: 1, price: 2_300 },
      ],
    }),
    orderPaid('o-2', { id: 'jan', email: 'jan@example.pl' }, '2026-12-01T11:00:00Z', {
      total: 100,
    }),
    refunded('o-1', 'r-1', 2_300, '2026-12-02T10:00:00Z'),
  );
  const consent = await call(t, shop, 'POST', '/v1/customers/ania/consents', {
    changes: [{ channel: 'sms', purpose: 'marketing', granted: true, textShown: 'Zgoda na SMS' }],
  });
  expect(consent.statusCode, consent.body).toBeLessThan(300);
  await send(
    t,
    other,
    orderPaid('o-1', { id: 'ania', email: 'ania@inna.pl' }, '2026-12-01T10:00:00Z', {
      total: 1,
      lines: [{ productId: 'herbata', quantity: 1, price: 1 }],
    }),
  );
  await t.processor.drain();
});
afterAll(() => t.close());

async function exportShop(format: 'jsonl' | 'csv') {
  const started = await call(t, shop, 'POST', '/v1/exports', { format });
  expect(started.statusCode, started.body).toBe(202);
  const { id, status } = started.json() as { id: string; status: string };
  expect(status).toBe('queued');
  const early = await call(t, shop, 'GET', `/v1/exports/${id}/download`);
  expect(early.statusCode).toBe(409);
  await runExportJob(t.pool, t.db, clock, { shopId: shop.id, exportId: id });
  const view = await call(t, shop, 'GET', `/v1/exports/${id}`);
  expect(view.json()).toMatchObject({ status: 'done', downloadUrl: `/v1/exports/${id}/download` });
  const file = await call(t, shop, 'GET', `/v1/exports/${id}/download`);
  expect(file.statusCode, file.body).toBe(200);
  expect(file.headers['content-type']).toBe('application/zip');
  expect(file.headers['content-disposition']).toMatch(/lojal-.*\.zip"$/);
  const files = unzipSync(new Uint8Array(file.rawPayload));
  return { id, files, text: (name: string) => strFromU8(files[name]!) };
}

describe('POST /v1/exports → the zip', () => {
  it('JSON Lines: every kind, the right rows and values, nothing of the other shop', async () => {
    const { files, text, id } = await exportShop('jsonl');
    expect(Object.keys(files).sort()).toEqual(
      [...EXPORT_KINDS.map((k) => `${k.name}.jsonl`), 'manifest.json'].sort(),
    );
    const rows = (name: string) =>
      text(`${name}.jsonl`)
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);

    const customers = rows('customers');
    expect(customers.map((c) => c.customerId).sort()).toEqual(['ania', 'jan']);
    const ania = customers.find((c) => c.customerId === 'ania')!;
    expect(ania).toMatchObject({
      email: 'ania@example.pl',
      phone: '+48600100200',
      lastName: 'Nowak, "Kawa"',
      acceptsEmailMarketing: true,
      tags: ['vip', 'kawa'],
      redactedAt: null,
    });
    expect(ania.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const orders = rows('orders');
    expect(orders).toHaveLength(2);
    expect(orders.find((o) => o.orderId === 'o-1')).toMatchObject({
      customerId: 'ania',
      currency: 'PLN',
      total: 12_300,
      refundedAmount: 2_300,
      placedAt: '2026-12-01T10:00:00.000Z',
      // the lines as docs/import.md reads them, beside order_lines with every column
      lines: [
        { productId: 'kawa', sku: 'K-1', quantity: 2, price: 5_000 },
        { productId: 'kubek', quantity: 1, price: 2_300 },
      ],
    });
    expect(rows('order_lines')).toEqual([
      expect.objectContaining({
        orderId: 'o-1',
        position: 0,
        productId: 'kawa',
        sku: 'K-1',
        quantity: 2,
        unitPrice: 5_000,
        currency: 'PLN',
      }),
      expect.objectContaining({
        orderId: 'o-1',
        position: 1,
        productId: 'kubek',
        quantity: 1,
        unitPrice: 2_300,
      }),
    ]);
    expect(rows('refunds')).toEqual([
      expect.objectContaining({ refundId: 'r-1', orderId: 'o-1', amount: 2_300, currency: 'PLN' }),
    ]);
    const ledger = rows('points_ledger');
    expect(ledger.length).toBeGreaterThan(0);
    expect(ledger.every((e) => e.customerId === 'ania' || e.customerId === 'jan')).toBe(true);
    expect(rows('consents')).toEqual([
      expect.objectContaining({
        customerId: 'ania',
        channel: 'sms',
        purpose: 'marketing',
        granted: true,
      }),
    ]);
    expect(rows('consent_events')).toEqual([
      expect.objectContaining({ customerId: 'ania', textShown: 'Zgoda na SMS', source: 'api' }),
    ]);

    // the other tenant's customer, of the same external id, is nowhere
    for (const [name, content] of Object.entries(files)) {
      expect(strFromU8(content), name).not.toContain('ania@inna.pl');
      expect(strFromU8(content), name).not.toContain('herbata');
      expect(strFromU8(content), name).not.toContain(other.id);
    }
    const manifest = JSON.parse(text('manifest.json')) as {
      shop: { id: string };
      files: Array<{ name: string; rows: number }>;
    };
    expect(manifest.shop.id).toBe(shop.id);
    for (const f of manifest.files) {
      expect(f.rows, f.name).toBe(rows(f.name.replace('.jsonl', '')).length);
    }

    // another shop's key sees no such export
    const theirs = await call(t, other, 'GET', `/v1/exports/${id}/download`);
    expect(theirs.statusCode).toBe(404);
    // the download is in the audit log
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('shop_id', '=', shop.id)
      .where('target_id', '=', id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['GET /v1/exports/:exportId/download']),
    );
  });

  it('CSV: a header of the documented columns, RFC 4180 quoting, empty for null', async () => {
    const { text } = await exportShop('csv');
    const customers = text('customers.csv').trimEnd().split('\n');
    expect(customers[0]).toBe(EXPORT_KINDS[0]!.columns.map((c) => c.name).join(','));
    expect(customers).toHaveLength(3);
    const ania = customers.find((line) => line.startsWith('ania,'))!;
    expect(ania).toContain('"Nowak, ""Kawa"""');
    expect(ania).toContain(',vip|kawa,');
    expect(ania).toContain(',true,'); // booleans as true/false
    const lines = text('order_lines.csv').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('o-1,0,,kawa,,K-1,,"",2,5000,PLN'); // "" an empty list, nothing null
  });

  it('the expiry sweep removes the file, and the download then answers 410', async () => {
    const { id } = await exportShop('jsonl');
    const { expireExports } = await import('../../src/exports/export-jobs.ts');
    const later = fixedClock('2026-12-11T10:00:00Z');
    expect(await expireExports(t.db, later)).toBeGreaterThan(0);
    const gone = await call(t, shop, 'GET', `/v1/exports/${id}/download`);
    expect(gone.statusCode).toBe(410);
    const chunks = await t.db
      .selectFrom('export_chunks')
      .select('seq')
      .where('export_id', '=', id)
      .execute();
    expect(chunks).toEqual([]);
  });
});

describe('asking again', () => {
  it('while a file is being made, the same request answers with it: no second export', async () => {
    const first = await call(t, shop, 'POST', '/v1/exports', { format: 'csv' });
    const again = await call(t, shop, 'POST', '/v1/exports', { format: 'csv' });
    const other = await call(t, shop, 'POST', '/v1/exports', { format: 'jsonl' });
    expect(again.json().id).toBe(first.json().id);
    expect(other.json().id).not.toBe(first.json().id);
    for (const r of [first, other]) {
      await runExportJob(t.pool, t.db, clock, { shopId: shop.id, exportId: r.json().id });
    }
    const next = await call(t, shop, 'POST', '/v1/exports', { format: 'csv' });
    expect(next.json().id).not.toBe(first.json().id);
    await runExportJob(t.pool, t.db, clock, { shopId: shop.id, exportId: next.json().id });
  });
});

describe('memory', () => {
  it('stays flat: ten times the data takes no more heap than the smaller shop', async () => {
    const big = await createTestShop(t, 'Duży Sklep');
    // Rows straight into the tables, their triggers off (the rollups are not exported): what
    // is measured is the export, not the ingestion.
    const fill = (orders: number) =>
      t.db.transaction().execute(async (tx) => {
        await sql`SET LOCAL session_replication_role = replica`.execute(tx);
        await sql`DELETE FROM orders WHERE shop_id = ${big.id}`.execute(tx);
        await sql`
          INSERT INTO customers (shop_id, id, external_id, email, first_name, last_name)
          SELECT ${big.id}, 'cus_m' || g, 'm-' || g, 'm' || g || '@example.pl', 'Imię ' || g, 'Nazwisko'
          FROM generate_series(1, ${orders / 10}) g
          ON CONFLICT DO NOTHING`.execute(tx);
        await sql`
          INSERT INTO orders (shop_id, id, external_id, customer_id, email, currency, total,
                              placed_at, paid_at, shipping_address)
          SELECT ${big.id}, 'ord_m' || g, 'mo-' || g, 'cus_m' || (1 + g % ${orders / 10}),
                 'm@example.pl', 'PLN', 1000 + g,
                 ${'2026-01-01T00:00:00Z'}::timestamptz + g * interval '1 minute',
                 ${'2026-01-01T00:00:00Z'}::timestamptz + g * interval '1 minute',
                 jsonb_build_object('line1', repeat('ul. Długa ', 200) || g, 'city', 'Kraków',
                                    'postalCode', '30-001', 'country', 'PL')
          FROM generate_series(1, ${orders}) g`.execute(tx);
      });
    const measure = async () => {
      const base = process.memoryUsage();
      let peak = 0;
      let bytes = 0;
      const timer = setInterval(() => {
        const m = process.memoryUsage();
        peak = Math.max(peak, m.heapUsed + m.arrayBuffers - base.heapUsed - base.arrayBuffers);
      }, 5);
      const sink = new Writable({
        write(chunk: Buffer, _e, done) {
          bytes += chunk.length;
          setImmediate(done); // a slow reader: the COPY must wait, not pile up
        },
      });
      const summary = await writeShopZip(t.pool, big, 'jsonl', sink, clock.now());
      clearInterval(timer);
      return { peak, bytes, rows: summary.files.orders! };
    };
    const t0 = Date.now();
    await fill(2_000);
    const t1 = Date.now();
    const small = await measure();
    const t2 = Date.now();
    await fill(20_000);
    const t3 = Date.now();
    const large = await measure();
    console.log(`fill ${t1 - t0} ms, ${t3 - t2} ms; export ${t2 - t1} ms, ${Date.now() - t3} ms`);
    expect(small.rows).toBe(2_000);
    expect(large.rows).toBe(20_000);
    expect(large.bytes).toBeGreaterThan(small.bytes * 5);
    console.log(
      `export memory: ${small.rows} orders peak +${(small.peak / 2 ** 20).toFixed(1)} MiB (${small.bytes} B zip); ` +
        `${large.rows} orders peak +${(large.peak / 2 ** 20).toFixed(1)} MiB (${large.bytes} B zip)`,
    );
    // Coarse: the larger export's JSON is over 40 MiB before compression; holding it would show.
    expect(large.peak).toBeLessThan(small.peak + 24 * 2 ** 20);
  }, 60_000);
});
