import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import {
  createTestApp,
  createTestShop,
  fixedClock,
  shopifyHeaders,
  wooHeaders,
  type TestApp,
} from '../support/app.ts';
import { call, send } from '../points/support.ts';
import { CUSTOMER_COLUMNS } from '../../src/db/personal-data.ts';
import { applyRetention } from '../../src/privacy/apply-retention.ts';

// Erasure for every kind of shop (a WooCommerce shop through the API, Shopify through
// customers/redact), the export covering every personal column of the register, its readable
// summary in both languages, and the retention policy's daily task.
const SAMPLES = fileURLToPath(new URL('../fixtures/webhooks', import.meta.url));
const clock = fixedClock('2026-12-07T10:00:00Z');
let t: TestApp;
type Shop = Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

async function rawMentions(shopId: string, text: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM inbound_events
    WHERE shop_id = ${shopId} AND position(convert_to(${text}, 'UTF8') IN body) > 0`.execute(t.db);
  return rows[0]!.n;
}

async function erasures(shopId: string) {
  return t.db
    .selectFrom('customer_erasures')
    .select(['requested_by', 'basis', 'reason'])
    .where('shop_id', '=', shopId)
    .execute();
}

describe('erasure for every shop', () => {
  it('erases a WooCommerce customer through the API, and records who asked', async () => {
    const shop = await createTestShop(t, 'Sklep na WooCommerce');
    const body = readFileSync(`${SAMPLES}/woocommerce/customer.wc-v3-retrieve-example.json`);
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/webhooks/woocommerce/${shop.id}`,
      headers: wooHeaders(shop.webhookSecret, body, 'customer.created', 'wc-1'),
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(200);
    await t.processor.drain();
    expect(
      (await call(t, shop, 'POST', '/v1/customers/25/notes', { body: 'John lubi espresso' }))
        .statusCode,
    ).toBe(201);
    expect(await rawMentions(shop.id, 'john.doe@example.com')).toBe(1);

    const erase = await call(t, shop, 'POST', '/v1/customers/25/erasure', {
      reason: 'prośba listowna',
    });
    expect(erase.statusCode, erase.body).toBe(202);
    await t.processor.drain();
    const view = await call(t, shop, 'GET', '/v1/customers/25');
    expect(view.json()).toMatchObject({ redacted: true, email: null });
    expect(await rawMentions(shop.id, 'john.doe@example.com')).toBe(0);
    expect(await rawMentions(shop.id, '969 Market')).toBe(0);
    const notes = await t.db
      .selectFrom('customer_notes')
      .select('body')
      .where('shop_id', '=', shop.id)
      .execute();
    expect(notes).toEqual([]);
    expect(await erasures(shop.id)).toEqual([
      {
        requested_by: expect.stringMatching(/^api_key/),
        basis: 'RODO art. 17 request',
        reason: 'prośba listowna',
      },
    ]);
    // Twice is harmless: nothing left, the request recorded again.
    await call(t, shop, 'POST', '/v1/customers/25/erasure', { reason: 'ponownie' });
    await t.processor.drain();
    expect(await erasures(shop.id)).toHaveLength(2);
  });

  it('erases a Shopify customer on customers/redact, and drops the stored data-request answer', async () => {
    const shop = await createTestShop(t, 'Sklep na Shopify');
    const deliver = (topic: string, body: string, id: string) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/webhooks/shopify/${shop.id}`,
        headers: shopifyHeaders(shop.webhookSecret, body, topic, id),
        payload: body,
      });
    const created = readFileSync(`${SAMPLES}/shopify/customers-create.json`, 'utf8');
    expect((await deliver('customers/create', created, 'wh-1')).statusCode).toBe(200);
    const customerId = /"id":\s*(\d+)/.exec(created)![1]!;
    const request = `{"shop_id":1,"shop_domain":"sklep-testowy.myshopify.com","customer":{"id":${customerId},"email":"bob@biller.com"},"orders_requested":[],"data_request":{"id":77}}`;
    expect((await deliver('customers/data_request', request, 'wh-2')).statusCode).toBe(200);
    await t.processor.drain();
    const stored = await call(t, shop, 'GET', `/v1/customers/${customerId}/data-exports`);
    expect(stored.json().data).toHaveLength(1);

    const redact = `{"shop_id":1,"shop_domain":"sklep-testowy.myshopify.com","customer":{"id":${customerId},"email":"bob@biller.com"},"orders_to_redact":[]}`;
    expect((await deliver('customers/redact', redact, 'wh-3')).statusCode).toBe(200);
    await t.processor.drain();
    expect((await call(t, shop, 'GET', `/v1/customers/${customerId}`)).json()).toMatchObject({
      redacted: true,
    });
    expect(
      (await call(t, shop, 'GET', `/v1/customers/${customerId}/data-exports`)).json().data,
    ).toEqual([]);
    expect(await rawMentions(shop.id, 'bob@biller.com')).toBe(0);
    expect(await erasures(shop.id)).toEqual([
      { requested_by: 'shopify', basis: 'Shopify customers/redact', reason: null },
    ]);
  });
});

describe('the export', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await createTestShop(t, 'Palarnia Eksportowa');
    await send(t, shop, {
      type: 'order.paid',
      id: 'e-1',
      occurredAt: '2026-12-01T10:00:00Z',
      data: {
        id: 'e-1',
        currency: 'PLN',
        createdAt: '2026-12-01T10:00:00Z',
        total: 5000,
        customer: {
          id: 'ola',
          email: 'ola@example.pl',
          phone: '+48600700800',
          firstName: 'Ola',
          lastName: 'Kawka',
          birthday: '1991-02-03',
        },
        shippingAddress: {
          line1: 'ul. Miodowa 5',
          city: 'Kraków',
          postalCode: '30-001',
          country: 'PL',
        },
      },
    });
    await call(t, shop, 'POST', '/v1/customers/ola/notes', { body: 'Ola woli jasne palenie' });
    await call(t, shop, 'POST', '/v1/customers/ola/tasks', { title: 'Oddzwonić do Oli' });
    await call(t, shop, 'POST', '/v1/customers/ola/consents', {
      changes: [
        {
          channel: 'email',
          purpose: 'marketing',
          granted: true,
          textShown: 'Zgoda',
          clientAddress: '203.0.113.9',
          userAgent: 'UA-Ola',
          at: '2026-12-02T10:00:00Z',
        },
      ],
    });
    await call(t, shop, 'POST', '/v1/sms/inbound', { from: '+48600700800', text: 'STOP' });
    await call(t, shop, 'POST', '/v1/referrals/sightings', {
      customerId: 'ola',
      clientAddress: '203.0.113.9',
      userAgent: 'UA-Ola',
    });
  });

  it('shows every value of every personal column the register names for the customer', async () => {
    const res = await call(t, shop, 'GET', '/v1/customers/ola/export?lang=en');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as {
      data: Array<{ records: Record<string, Array<Record<string, unknown>>> }>;
    };
    const exported = new Map<string, Array<Record<string, unknown>>>();
    for (const kind of body.data) {
      for (const [key, rows] of Object.entries(kind.records)) {
        const table = key.split(' ')[0]!;
        exported.set(table, [...(exported.get(table) ?? []), ...rows]);
      }
    }
    let checked = 0;
    for (const p of CUSTOMER_COLUMNS.filter((c) => c.export === 'shown')) {
      // The shop has one customer (and STOP's own rows): every stored value is theirs.
      const { rows } = await sql<{ v: unknown }>`
        SELECT ${sql.ref(p.column)} AS v FROM ${sql.table(p.table)}
        WHERE shop_id = ${shop.id} AND ${sql.ref(p.column)} IS NOT NULL`.execute(t.db);
      for (const { v } of rows) {
        const shown = (exported.get(p.table) ?? []).map((r) => JSON.stringify(r[p.column]));
        expect(shown, `${p.table}.${p.column}`).toContain(JSON.stringify(v));
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(15);
  });

  it('gives a readable summary as HTML and PDF, in Polish and English', async () => {
    for (const lang of ['pl', 'en'] as const) {
      const html = await call(t, shop, 'GET', `/v1/customers/ola/export?format=html&lang=${lang}`);
      expect(html.statusCode).toBe(200);
      expect(html.headers['content-type']).toMatch(/text\/html/);
      expect(html.body).toContain(lang === 'pl' ? 'Twoje dane osobowe' : 'Your personal data');
      expect(html.body).toContain('ola@example.pl');
      expect(html.body).toContain(lang === 'pl' ? '1 rekord' : '1 record');
      const pdf = await call(t, shop, 'GET', `/v1/customers/ola/export?format=pdf&lang=${lang}`);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      if (process.env.LOJAL_SHOTS) {
        writeFileSync(`${process.env.LOJAL_SHOTS}/customer-data-${lang}.html`, html.body);
        writeFileSync(`${process.env.LOJAL_SHOTS}/customer-data-${lang}.pdf`, pdf.rawPayload);
      }
    }
  });
});

describe('the retention policy', () => {
  it('removes old deliveries, message bodies and visit logs, erases inactive customers, keeps recent ones', async () => {
    const shop = await createTestShop(t, 'Sklep z Retencją');
    const bad = await call(t, shop, 'PUT', '/v1/privacy/settings', {
      rawEventsDays: 0,
      messageBodiesDays: null,
      visitLogsDays: null,
      inactiveCustomerYears: null,
    });
    expect(bad.statusCode).toBe(400);
    const set = await call(t, shop, 'PUT', '/v1/privacy/settings', {
      rawEventsDays: 30,
      messageBodiesDays: 90,
      visitLogsDays: 60,
      inactiveCustomerYears: 2,
    });
    expect(set.statusCode, set.body).toBe(200);
    expect((await call(t, shop, 'GET', '/v1/privacy/settings')).json()).toEqual({
      rawEventsDays: 30,
      messageBodiesDays: 90,
      visitLogsDays: 60,
      inactiveCustomerYears: 2,
    });

    await send(
      t,
      shop,
      {
        type: 'customer.created',
        id: 'c-old',
        occurredAt: '2026-12-01T10:00:00Z',
        data: { id: 'dawny', email: 'dawny@example.pl' },
      },
      {
        type: 'customer.created',
        id: 'c-new',
        occurredAt: '2026-12-01T10:00:00Z',
        data: { id: 'biezacy', email: 'biezacy@example.pl' },
      },
    );
    const ids = Object.fromEntries(
      (
        await t.db
          .selectFrom('customers')
          .select(['id', 'external_id'])
          .where('shop_id', '=', shop.id)
          .execute()
      ).map((r) => [r.external_id, r.id]),
    );
    const longAgo = new Date('2024-01-01T00:00:00Z');
    const recent = new Date('2026-11-30T00:00:00Z');
    // Made in the past: the dormant customer, old deliveries, messages and visits.
    await t.db
      .updateTable('customers')
      .set({ created_at: longAgo, updated_at: longAgo })
      .where('id', '=', ids.dawny!)
      .execute();
    await t.db
      .updateTable('inbound_events')
      .set({ received_at: longAgo })
      .where('shop_id', '=', shop.id)
      .where('delivery_id', '=', 'customer.created:c-old')
      .execute();
    for (const [id, at] of [
      ['m-old', longAgo],
      ['m-new', recent],
    ] as const) {
      await t.db
        .insertInto('messages')
        .values({
          shop_id: shop.id,
          id,
          send_key: id,
          customer_id: ids.biezacy!,
          channel: 'email',
          purpose: 'loyalty',
          template_key: 'custom',
          locale: 'pl',
          to_address: 'biezacy@example.pl',
          status: 'sent',
          not_before: at,
          created_at: at,
          subject: `Temat ${id}`,
          body_text: `Treść ${id}`,
        } as never)
        .execute();
    }
    for (const [id, at] of [
      ['v-old', longAgo],
      ['v-new', recent],
    ] as const) {
      await t.db
        .insertInto('referral_visits')
        .values({
          shop_id: shop.id,
          id,
          referrer_customer_id: ids.biezacy!,
          client_address: '198.51.100.1',
          user_agent: `UA-${id}`,
          visited_at: at,
        } as never)
        .execute();
    }

    expect(await applyRetention(t.db, clock, shop.id)).toBeGreaterThan(0);
    await t.processor.drain();

    const deliveries = await t.db
      .selectFrom('inbound_events')
      .select(['delivery_id', 'topic'])
      .where('shop_id', '=', shop.id)
      .execute();
    expect(deliveries.map((d) => d.delivery_id)).not.toContain('customer.created:c-old');
    expect(deliveries.map((d) => d.delivery_id)).toContain('customer.created:c-new');
    const messages = await t.db
      .selectFrom('messages')
      .select(['id', 'subject', 'body_text'])
      .where('shop_id', '=', shop.id)
      .orderBy('id')
      .execute();
    expect(messages).toEqual([
      { id: 'm-new', subject: 'Temat m-new', body_text: 'Treść m-new' },
      { id: 'm-old', subject: null, body_text: null },
    ]);
    const visits = await t.db
      .selectFrom('referral_visits')
      .select(['id', 'user_agent'])
      .where('shop_id', '=', shop.id)
      .orderBy('id')
      .execute();
    expect(visits).toEqual([
      { id: 'v-new', user_agent: 'UA-v-new' },
      { id: 'v-old', user_agent: null },
    ]);
    expect((await call(t, shop, 'GET', '/v1/customers/dawny')).json()).toMatchObject({
      redacted: true,
    });
    expect((await call(t, shop, 'GET', '/v1/customers/biezacy')).json()).toMatchObject({
      redacted: false,
      email: 'biezacy@example.pl',
    });
    expect(await erasures(shop.id)).toEqual([
      {
        requested_by: 'retention policy',
        basis: 'retention: no order or activity for 2 years',
        reason: null,
      },
    ]);
    // The next day finds nothing more to erase.
    await applyRetention(t.db, clock, shop.id);
    await t.processor.drain();
    expect(await erasures(shop.id)).toHaveLength(1);
  });
});
