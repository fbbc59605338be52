import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, checkLedgerInvariants, points, send } from '../points/support.ts';
import { silverAndGold } from '../tiers/support.ts';
import { campaign } from '../referrals/support.ts';
import { runImport } from '../../src/imports/run-import.ts';
import { readImportFile } from '../../src/imports/read-import-file.ts';
import { importView } from '../../src/imports/import-view.ts';
import {
  chunked,
  errorsByLine,
  expectNoErrors,
  importText,
  shopRow,
  tableCounts,
} from './support.ts';

const clock = fixedClock('2026-06-01T10:00:00Z');
let t: TestApp;
type Shop = Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

async function newShop(name: string): Promise<Shop> {
  const shop = await createTestShop(t, name);
  expect((await call(t, shop, 'PUT', '/v1/tiers', silverAndGold)).statusCode).toBe(200);
  return shop;
}

async function tierOf(shop: Shop, customerId: string) {
  const res = await call(t, shop, 'GET', `/v1/customers/${customerId}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().tier as { current: { id: string } | null } | null)?.current?.id ?? null;
}

async function leadsTo(url: string) {
  const res = await t.app.inject({ method: 'GET', url });
  return res.statusCode === 302 ? new URL(res.headers.location as string).host : res.statusCode;
}

describe('another programme’s export', () => {
  it('brings a Smile.io export: balances, tiers and referral codes of the customers Lojal knows by e-mail', async () => {
    const shop = await newShop('Sklep ze Smile');
    await campaign(t, shop, {});
    await send(
      t,
      shop,
      ...['ala@example.com', 'bartek@example.com', 'celina@example.com'].map((email, i) => ({
        type: 'customer.created',
        id: `c${i}`,
        data: { id: `shopify-${i}`, email },
      })),
    );
    const file = [
      'First name,Last name,Email,Points balance,VIP tier,Referral URL,Date of birth,State',
      'Ala,Nowak,ALA@example.com,1250,Gold,http://i.refs.cc/AlaXy7,1004-05-27,member',
      'Bartek,Kowal,bartek@example.com,"3,400",Srebrny,http://i.refs.cc/BartQ2,,member',
      'Celina,,celina@example.com,0,,,,candidate',
      'Nieznany,,nobody@example.com,100,,,,member',
    ].join('\r\n');
    const report = await importText(t, shop.id, 'customers', file, { format: 'smile' });
    expect(report.status).toBe('done');
    expect(report.errors).toEqual([
      { line: 5, message: expect.stringContaining('no customer with this e-mail') },
    ]);
    expect(report.progress).toMatchObject({ rowsRead: 4, rowsApplied: 3, rowsFailed: 1 });
    expect(report.changes).toMatchObject({
      'customers.updated': 3,
      'points.lots': 2,
      'points.points': 4650,
      'tiers.assigned': 2,
      'referralCodes.kept': 2,
    });
    expect((await points(t, shop, 'shopify-0')).available).toBe(1250);
    expect((await points(t, shop, 'shopify-1')).available).toBe(3400);
    expect((await points(t, shop, 'shopify-2')).available).toBe(0);
    expect(await tierOf(shop, 'shopify-0')).toBe('gold');
    expect(await tierOf(shop, 'shopify-1')).toBe('silver');
    // Printed links keep working: the code is the customer's in Lojal, at /r/{code}.
    expect(await leadsTo('/r/AlaXy7')).toBe('sklep-testowy.pl');
    expect(await leadsTo('/r/bartq2')).toBe('sklep-testowy.pl');
    const codes = await t.db
      .selectFrom('referral_codes as r')
      .innerJoin('customers as c', (j) =>
        j.onRef('c.shop_id', '=', 'r.shop_id').onRef('c.id', '=', 'r.customer_id'),
      )
      .select(['c.external_id', 'r.code'])
      .where('r.shop_id', '=', shop.id)
      .where('c.external_id', 'in', ['shopify-0', 'shopify-1'])
      .orderBy('c.external_id')
      .execute();
    expect(codes.map((c) => c.code)).toEqual(['AlaXy7', 'BartQ2']);
    await checkLedgerInvariants(t, shop.id);
  });

  it('brings a LoyaltyLion export: new customers with approved and pending points and tiers', async () => {
    const shop = await newShop('Sklep z LoyaltyLion');
    const file = [
      'customer_id,email,first_name,points_approved,points_pending,points_spent,tier,enrolled',
      '1001,ola@example.com,Ola,500,120,300,Silver,true',
      '1002,piotr@example.com,Piotr,75,0,0,,true',
      '1003,zly@example.com,Zły,10,0,0,Platinum,true',
    ].join('\n');
    const report = await importText(t, shop.id, 'customers', file, { format: 'loyaltylion' });
    expect(errorsByLine(report)).toEqual(
      new Map([[4, expect.stringContaining('no tier "Platinum"')]]),
    );
    expect(report.changes).toMatchObject({ 'customers.created': 2, 'points.points': 695 });
    expect(await points(t, shop, '1001')).toMatchObject({ available: 500, pending: 120 });
    expect((await points(t, shop, '1002')).available).toBe(75);
    expect(await tierOf(shop, '1001')).toBe('silver');
    // The refused row left nothing behind: no customer 1003.
    expect((await call(t, shop, 'GET', '/v1/customers/1003')).statusCode).toBe(404);
    await checkLedgerInvariants(t, shop.id);
  });
});

describe('a Lojal CSV', () => {
  it('reports each of 20 kinds of bad row at its line and imports nothing of them', async () => {
    const shop = await newShop('Sklep z błędami');
    // Someone holds the code TAKEN1 already; customer "erased" was erased.
    await send(t, shop, { type: 'customer.created', id: 'h', data: { id: 'holder' } });
    await send(t, shop, { type: 'customer.created', id: 'e', data: { id: 'erased' } });
    const holder = await t.db
      .selectFrom('customers')
      .select('id')
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', 'holder')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('referral_codes')
      .values({ shop_id: shop.id, customer_id: holder.id, code: 'TAKEN1', code_key: 'TAKEN1' })
      .onConflict((oc) =>
        oc.columns(['shop_id', 'customer_id']).doUpdateSet({ code: 'TAKEN1', code_key: 'TAKEN1' }),
      )
      .execute();
    await t.db
      .updateTable('customers')
      .set({ redacted_at: clock.now() })
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', 'erased')
      .execute();

    const header =
      'customer_id,email,phone,first_name,birthday,accepts_email_marketing,consent_source,consent_at,points,points_expire_at,pending_points,tier,referral_code';
    const rows: Array<[string, string | null]> = [
      [
        'good1,g1@example.com,+48600100200,Ania,1990-01-02,true,checkout,2025-01-01,100,,,gold,ANIA-1',
        null,
      ],
      [',x@example.com,,,,,,,,,,,', 'customer_id: is required'],
      ['b2,not-an-email,,,,,,,,,,,', 'email: "not-an-email" is not an e-mail address'],
      ['b3,,,,2026-02-30,,,,,,,,', 'birthday: "2026-02-30" is not a date'],
      ['b4,,,,,maybe,,,,,,,', 'accepts_email_marketing: "maybe" is not true or false'],
      ['b5,,,,,,,2025-01-01,,,,,', 'consent_at: given without'],
      ['b6,,,,,true,,yesterday,,,,,', 'consent_at: "yesterday" is not a time'],
      ['b7,,,,,,,,-5,,,,', 'points: must be 0 to'],
      ['b8,,,,,,,,12.5,,,,', 'points: "12.5" is not a whole number'],
      ['b9,,,,,,,,10,2026-01-01,,,', 'points_expire_at: the lot has expired already'],
      ['b10,,,,,,,,,,,platinum,', 'tier: no tier "platinum"'],
      ['b11,,,,,,,,,,,,bad code!', 'referral_code: "bad code!" is not a code'],
      ['b12,,,,,,,,,,,,taken1', 'referral_code: "taken1" belongs to another customer'],
      ['good1,,,,,,,,,,,,', 'the same customer is on line 2'],
      ['b14,,,,,,,,,,,', 'has 12 fields; the header has 13'],
      ['b15,a"b@example.com,,,,,,,,,,,', 'a quote inside a field'],
      ['b16,,not-a-phone,,,,,,,,,,', 'phone: "not-a-phone" is not a phone number'],
      [`b17,,,${'x'.repeat(300)},,,,,,,,,`, 'first_name: at most 255 characters'],
      ['erased,,,Ewa,,,,,,,,,', "this customer's personal data was erased"],
      ['b19,,,,,,,,,,,,ANIA-1', 'referral_code: "ANIA-1" is also on line 2'],
      ['b20,,,,,,,,,,many,,', 'pending_points: "many" is not a whole number'],
      ['good2,g2@example.com,,Bogdan,,false,,,,,40,silver,', null],
    ];
    const file = [header, ...rows.map(([r]) => r)].join('\n');
    const before = await tableCounts(t, shop.id);
    const report = await importText(t, shop.id, 'customers', file);
    const errors = errorsByLine(report);
    rows.forEach(([, expected], i) => {
      const line = i + 2;
      if (expected === null) expect(errors.get(line), `line ${line}`).toBeUndefined();
      else expect(errors.get(line), `line ${line}`).toContain(expected);
    });
    expect(errors.size).toBe(20);
    expect(report.progress).toMatchObject({ rowsRead: 22, rowsApplied: 2, rowsFailed: 20 });

    // Nothing of a refused row was written: only good1 and good2 are new.
    const after = await tableCounts(t, shop.id);
    expect(after.customers! - before.customers!).toBe(2);
    const created = await t.db
      .selectFrom('customers')
      .select('external_id')
      .where('shop_id', '=', shop.id)
      .where('external_id', 'not in', ['holder', 'erased'])
      .orderBy('external_id')
      .execute();
    expect(created.map((c) => c.external_id)).toEqual(['good1', 'good2']);
    expect(await tierOf(shop, 'good1')).toBe('gold');
    expect(await points(t, shop, 'good1')).toMatchObject({ available: 100 });
    expect(await points(t, shop, 'good2')).toMatchObject({ available: 0, pending: 40 });
    const consent = await t.db
      .selectFrom('consent_events')
      .select(['source', 'page', 'granted', 'occurred_at'])
      .where('shop_id', '=', shop.id)
      .orderBy('occurred_at')
      .execute();
    expect(consent).toEqual([
      {
        source: 'import',
        page: 'checkout',
        granted: true,
        occurred_at: new Date('2025-01-01T00:00:00Z'),
      },
      { source: 'import', page: null, granted: false, occurred_at: clock.now() },
    ]);
    const erased = await t.db
      .selectFrom('customers')
      .select('first_name')
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', 'erased')
      .executeTakeFirstOrThrow();
    expect(erased.first_name).toBeNull();
    await checkLedgerInvariants(t, shop.id);
  });

  it('refuses a file whose header names a column it does not know, at line 1', async () => {
    const shop = await newShop('Sklep z nagłówkiem');
    const report = await importText(t, shop.id, 'customers', 'customer_id,emial\n1,a@b.pl\n');
    expect(report.status).toBe('failed');
    expect(report.errors).toEqual([{ line: 1, message: 'header: unknown column "emial"' }]);
  });

  it('a dry run reports what would change and changes nothing', async () => {
    const shop = await newShop('Sklep na próbę');
    const file = 'customer_id,email,points\nd1,d1@example.com,10\nd2,zly,5\n';
    const before = await tableCounts(t, shop.id);
    const report = await importText(t, shop.id, 'customers', file, { dryRun: true });
    expect(report).toMatchObject({ status: 'done', dryRun: true });
    expect(report.changes).toEqual({
      'customers.created': 1,
      'points.lots': 1,
      'points.points': 10,
    });
    expect(report.errors).toEqual([{ line: 3, message: expect.stringContaining('email') }]);
    expect(await tableCounts(t, shop.id)).toEqual(before);
  });
});

describe('orders, refunds, codes and gift cards', () => {
  it('imports orders with lines, refunds, coupons and gift cards, and the same files again change nothing', async () => {
    const shop = await newShop('Sklep z historią');
    expectNoErrors(
      await importText(t, shop.id, 'customers', 'customer_id,email\nk1,k1@example.com\n'),
    );
    const orders = [
      'order_id,customer_id,email,currency,total,placed_at,discount_codes,lines',
      `o1,k1,,PLN,15000,2025-03-01T10:00:00+01:00,LATO|JESIEN,"[{""productId"":""p1"",""quantity"":2,""price"":7500}]"`,
      'o2,,guest@example.com,PLN,2000,2025-03-02,,',
      'o3,nobody,,PLN,100,2025-03-02,,',
      'o4,k1,,PLN,100,2025-03-02,,"[{""productId"":""""}]"',
    ].join('\n');
    const first = await importText(t, shop.id, 'orders', orders);
    expect(errorsByLine(first)).toEqual(
      new Map([
        [4, expect.stringContaining('no customer "nobody"')],
        [5, expect.stringContaining('lines:')],
      ]),
    );
    expect(first.changes).toEqual({ 'orders.created': 2, 'orders.lines': 1 });
    const refunds =
      'refund_id,order_id,amount,currency,refunded_at\nr1,o1,5000,PLN,2025-03-05\nr2,o1,20000,PLN,2025-03-06\nr3,o9,1,PLN,2025-03-06\n';
    const refunded = await importText(t, shop.id, 'refunds', refunds);
    expect(errorsByLine(refunded)).toEqual(
      new Map([
        [3, expect.stringContaining("exceed the order's total")],
        [4, expect.stringContaining('no order "o9"')],
      ]),
    );
    const coupons =
      'code,discount_type,amount,currency,percent,expires_at\nSTARY-10,fixed,1000,PLN,,2027-01-01\nPROC15,percentage,,,15,\n';
    expectNoErrors(await importText(t, shop.id, 'coupons', coupons));
    const valid = await call(t, shop, 'POST', '/v1/coupons/validate', {
      code: 'stary10',
      cart: { currency: 'PLN', total: 5000 },
    });
    expect(valid.json()).toMatchObject({ valid: true });
    const cards = 'code,balance,currency,expires_at\nKARTA-0001-AAAA,4500,PLN,2027-06-01\n';
    expectNoErrors(await importText(t, shop.id, 'gift-cards', cards));
    const card = await call(t, shop, 'GET', '/v1/gift-cards/KARTA-0001-AAAA');
    expect(card.json().balance).toEqual({ amount: 4500, currency: 'PLN' });

    // The same files again: each is a duplicate and nothing changes.
    const before = await tableCounts(t, shop.id);
    for (const [kind, text] of [
      ['orders', orders],
      ['refunds', refunds],
      ['coupons', coupons],
      ['gift-cards', cards],
    ] as const) {
      const again = await importText(t, shop.id, kind, text);
      expect(again.status).toBe('duplicate');
      expect(again.duplicateOf).toMatch(/^imp_/);
    }
    // The same rows in another file (another hash): matched by their natural keys.
    const sameRows = await importText(t, shop.id, 'orders', `${orders}\n`);
    expect(sameRows.changes).toEqual({ 'orders.unchanged': 2 });
    const sameCards = await importText(t, shop.id, 'gift-cards', `${cards}\n`);
    expect(sameCards.changes).toEqual({ 'giftCards.unchanged': 1 });
    expect(await tableCounts(t, shop.id)).toEqual(before);
    const o1 = await t.db
      .selectFrom('orders')
      .select(['refunded_amount', 'discount_codes', 'placed_at'])
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', 'o1')
      .executeTakeFirstOrThrow();
    expect(o1).toEqual({
      refunded_amount: 5000,
      discount_codes: ['LATO', 'JESIEN'],
      placed_at: new Date('2025-03-01T09:00:00Z'),
    });
  });

  it('a customers file imported twice changes nothing the second time', async () => {
    const shop = await newShop('Sklep dwa razy');
    const file =
      'customer_id,email,first_name,accepts_email_marketing,consent_at,points,tier,referral_code\n' +
      'w1,w1@example.com,Wanda,true,2025-05-05,300,silver,WANDA-7\n';
    expectNoErrors(await importText(t, shop.id, 'customers', file));
    const before = await tableCounts(t, shop.id);
    clock.set('2026-06-01T11:00:00Z');
    expect((await importText(t, shop.id, 'customers', file)).status).toBe('duplicate');
    const again = await importText(t, shop.id, 'customers', `${file}\n`);
    expect(again.changes).toEqual({
      'points.unchanged': 1,
      'tiers.unchanged': 1,
      'referralCodes.unchanged': 1,
    });
    expect(await tableCounts(t, shop.id)).toEqual(before);
    expect((await points(t, shop, 'w1')).available).toBe(300);
  });
});

describe('a crash mid-import', () => {
  it('goes on from the last committed batch and applies every row exactly once', async () => {
    const shop = await newShop('Sklep po awarii');
    const n = 45;
    const customers = ['customer_id,email'];
    const lots = ['customer_id,points,lot_id,expires_at'];
    for (let i = 1; i <= n; i++) {
      customers.push(`c${i},c${i}@example.com`);
      lots.push(`c${i},${i * 10},a,2027-01-01`, `c${i},${i},b,`);
    }
    expectNoErrors(await importText(t, shop.id, 'customers', customers.join('\n')));
    const row = await shopRow(t, shop.id);
    const id = await readImportFile(t.db, t.pool, t.clock, row, {
      kind: 'points',
      format: 'lojal-csv',
      fileName: 'points.csv',
      dryRun: false,
      actor: 'test',
      body: chunked(lots.join('\n')),
      maxBytes: 1_000_000,
    });
    await expect(
      runImport(t.db, t.clock, row, id, { batchRows: 20, crashAfterBatches: 2 }),
    ).rejects.toThrow('stopped after 2 batches');
    const halfway = await importView(t.db, shop.id, id);
    expect(halfway).toMatchObject({ status: 'running', progress: { rowsApplied: 40 } });
    // Another runner does not take over a runner that is still committing batches…
    await runImport(t.db, t.clock, row, id, { batchRows: 20 });
    expect((await importView(t.db, shop.id, id)).progress.rowsApplied).toBe(40);
    // …but does once it has been silent for a while, as after a crash.
    clock.set(new Date(clock.now().getTime() + 3 * 60_000));
    await runImport(t.db, t.clock, row, id, { batchRows: 20 });
    const done = await importView(t.db, shop.id, id);
    expect(done).toMatchObject({ status: 'done', progress: { rowsApplied: 90, rowsFailed: 0 } });
    expect(done.changes).toEqual({ 'points.lots': 90, 'points.points': 11 * ((n * (n + 1)) / 2) });
    const entries = await t.db
      .selectFrom('point_entries')
      .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.sum<string>('points').as('sum')])
      .where('shop_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(Number(entries.n)).toBe(2 * n);
    expect(Number(entries.sum)).toBe(11 * ((n * (n + 1)) / 2));
    for (const i of [1, 20, 21, 45])
      expect((await points(t, shop, `c${i}`)).available).toBe(11 * i);
    await checkLedgerInvariants(t, shop.id);
  });
});

describe('POST /v1/imports', () => {
  it('takes the file as the body, streamed, and reports progress and errors by line', async () => {
    const shop = await newShop('Sklep przez API');
    const body = 'customer_id,email\nh1,h1@example.com\nh2,nope\n';
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/imports?kind=customers&dryRun=false&fileName=klienci.csv',
      headers: {
        authorization: `Bearer ${shop.apiKey}`,
        'content-type': 'text/csv',
        'idempotency-key': 'imp-1',
      },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().id as string;
    let report = res.json();
    for (let i = 0; i < 50 && report.status !== 'done'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      report = (await call(t, shop, 'GET', `/v1/imports/${id}`)).json();
    }
    expect(report).toMatchObject({
      status: 'done',
      fileName: 'klienci.csv',
      progress: { rowsRead: 2, rowsApplied: 1, rowsFailed: 1, percent: 100 },
      errors: [{ line: 3, message: expect.stringContaining('email') }],
    });
    const again = await t.app.inject({
      method: 'POST',
      url: '/v1/imports?kind=customers',
      headers: {
        authorization: `Bearer ${shop.apiKey}`,
        'content-type': 'text/csv',
        'idempotency-key': 'imp-1',
      },
      payload: body,
    });
    expect(again.json().id).toBe(id);
    const other = await t.app.inject({
      method: 'POST',
      url: '/v1/imports?kind=customers',
      headers: {
        authorization: `Bearer ${shop.apiKey}`,
        'content-type': 'text/csv',
        'idempotency-key': 'imp-1',
      },
      payload: `${body}h3,h3@example.com\n`,
    });
    expect(other.statusCode).toBe(409);
    const json = await t.app.inject({
      method: 'POST',
      url: '/v1/imports?kind=customers',
      headers: { authorization: `Bearer ${shop.apiKey}`, 'content-type': 'application/json' },
      payload: { customer_id: 'x' },
    });
    expect(json.statusCode).toBe(415);
    const foreign = await createTestShop(t, 'Obcy sklep');
    expect((await call(t, foreign, 'GET', `/v1/imports/${id}`)).statusCode).toBe(404);
  });
});
