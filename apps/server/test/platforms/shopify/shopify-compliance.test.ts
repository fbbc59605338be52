import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../src/shared/ids.ts';
import {
  bearer,
  createTestApp,
  createTestShop,
  shopifyHeaders,
  type TestApp,
} from '../../support/app.ts';

/**
 * Shopify's privacy topics and the App Store mode: customers/data_request becomes a task with
 * the export, shop/redact erases the shop's personal data (verified, bound to the shop, once),
 * a bad signature is 401 for every one of them, and one app client secret verifies the
 * deliveries of a shop whose Shopify connection names the delivering shop.
 */
const APP_SECRET = 'shpss_app-client-secret-for-tests';
// what test/support/app.ts shopifyHeaders sends as X-Shopify-Shop-Domain
const DOMAIN = 'sklep-testowy.myshopify.com';

type Shop = Awaited<ReturnType<typeof createTestShop>>;
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { shopifyAppSecret: APP_SECRET } });
});
afterAll(() => t.close());

/** JSON as Shopify writes it: `'#123…'` strings become bare digits (ids past 2^53). */
function shopifyJson(payload: object): string {
  return JSON.stringify(payload).replace(/"#(\d+)"/g, '$1');
}

function deliver(
  shop: Shop,
  topic: string,
  payload: object,
  id: string,
  options: { secret?: string; domain?: string } = {},
) {
  const body = shopifyJson(payload);
  const headers: Record<string, string> = shopifyHeaders(
    options.secret ?? shop.webhookSecret,
    body,
    topic,
    id,
  );
  if (options.domain) headers['x-shopify-shop-domain'] = options.domain;
  return t.app.inject({
    method: 'POST',
    url: `/v1/webhooks/shopify/${shop.id}`,
    headers,
    payload: body,
  });
}

async function connectShopify(shopId: string, shopDomain: string) {
  await sql`
    INSERT INTO connections (shop_id, id, platform, settings, credentials, hook_token_hash, sync_since)
    VALUES (${shopId}, ${'con_' + newId('evt').slice(4)}, 'shopify', ${JSON.stringify({ shopDomain })}::jsonb,
            ${Buffer.from('sealed')}, ${Buffer.from('hash')}, now())`.execute(t.db);
}

async function seedCustomer(shop: Shop, id: string, email: string) {
  const orderId = String(BigInt(id) + 1n);
  const order = {
    id: `#${orderId}`,
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    email,
    created_at: '2026-02-20T10:00:00Z',
    updated_at: '2026-02-20T10:00:00Z',
    currency: 'PLN',
    financial_status: 'paid',
    total_price: '100.00',
    customer: { id: `#${id}`, email, first_name: 'Ala', last_name: 'Nowak', phone: '+48600100200' },
    line_items: [],
    shipping_address: {
      address1: 'ul. Długa 1',
      city: 'Kraków',
      zip: '30-001',
      country_code: 'PL',
    },
  };
  expect((await deliver(shop, 'orders/paid', order, `wh-order-${id}`)).statusCode).toBe(200);
  await t.processor.drain();
}

async function count(table: string, shopId: string, where = sql`true`): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE shop_id = ${shopId} AND ${where}`.execute(
    t.db,
  );
  return rows[0]!.n;
}

describe('Shopify privacy topics: a bad HMAC is 401', () => {
  for (const topic of ['customers/data_request', 'customers/redact', 'shop/redact']) {
    it(`refuses ${topic} signed with another secret, storing nothing`, async () => {
      const shop = await createTestShop(t);
      const res = await deliver(
        shop,
        topic,
        { shop_id: 1, shop_domain: DOMAIN, customer: { id: 1 } },
        'wh-bad',
        { secret: 'whsec_not-this-shops-secret' },
      );
      expect(res.statusCode).toBe(401);
      expect(await count('inbound_events', shop.id)).toBe(0);
    });
  }
});

describe('customers/data_request', () => {
  it("opens a task with the customer's export, due in 30 days; an unknown customer is ignored", async () => {
    const shop = await createTestShop(t);
    await seedCustomer(shop, '7300000000000000001', 'ala@example.pl');
    const request = {
      shop_id: 954889,
      shop_domain: DOMAIN,
      customer: { id: '#7300000000000000001', email: 'ala@example.pl', phone: null },
      orders_requested: ['#7300000000000000002'],
      data_request: { id: 9999 },
    };
    const res = await deliver(shop, 'customers/data_request', request, 'wh-dr-1');
    expect(res.statusCode).toBe(200);
    await t.processor.drain();
    const tasks = await t.app.inject({
      method: 'GET',
      url: '/v1/tasks',
      headers: bearer(shop.apiKey),
    });
    const [task] = (tasks.json() as { data: Array<Record<string, string>> }).data;
    expect(task).toMatchObject({ customerId: '7300000000000000001' });
    expect(task!.title).toContain('9999');
    expect(task!.title).toContain('GET /v1/customers/7300000000000000001/data-exports');
    expect(task!.title).toMatch(/prosi o swoje dane/); // the shop's language (pl)
    const due = Date.parse(task!.dueAt!) - Date.parse(task!.createdAt!);
    expect(Math.round(due / 86_400_000)).toBe(30);
    // the export it points at was made and kept, with an audit entry, for the shop to download
    const list = await t.app.inject({
      method: 'GET',
      url: '/v1/customers/7300000000000000001/data-exports',
      headers: bearer(shop.apiKey),
    });
    expect(list.json().data).toEqual([
      expect.objectContaining({
        source: 'shopify.data_request',
        requestRef: '9999',
        downloadedAt: null,
      }),
    ]);
    const exported = await t.app.inject({
      method: 'GET',
      url: `/v1/customers/7300000000000000001/data-exports/${list.json().data[0].id}`,
      headers: bearer(shop.apiKey),
    });
    expect(exported.statusCode).toBe(200);
    expect(exported.body).toContain('ala@example.pl');
    const audit = await t.app.inject({
      method: 'GET',
      url: '/v1/audit-log?action=customers/data_request',
      headers: bearer(shop.apiKey),
    });
    expect(audit.json().data).toEqual([
      expect.objectContaining({ target: { type: 'customers', id: '7300000000000000001' } }),
    ]);

    const unknown = await deliver(
      shop,
      'customers/data_request',
      { ...request, customer: { id: 123 }, data_request: { id: 10000 } },
      'wh-dr-2',
    );
    expect(unknown.statusCode).toBe(200);
    await t.processor.drain();
    const event = await t.db
      .selectFrom('inbound_events')
      .select(['status', 'reason'])
      .where('shop_id', '=', shop.id)
      .where('delivery_id', '=', 'wh-dr-2')
      .executeTakeFirstOrThrow();
    expect(event).toEqual({
      status: 'ignored',
      reason: 'Lojal holds no data about this customer: nothing to export',
    });
    expect(await count('customer_tasks', shop.id)).toBe(1);
    expect(await count('customers', shop.id)).toBe(1);
  });
});

describe('shop/redact', () => {
  it("erases every customer's personal data, keeps the sums, and does it once", async () => {
    const shop = await createTestShop(t);
    await connectShopify(shop.id, DOMAIN);
    await seedCustomer(shop, '7400000000000000001', 'ala@example.pl');
    await seedCustomer(shop, '7400000000000000011', 'ola@example.pl');
    const customerId = (
      await t.db
        .selectFrom('customers')
        .select('id')
        .where('shop_id', '=', shop.id)
        .executeTakeFirstOrThrow()
    ).id;
    await t.db
      .insertInto('customer_notes')
      .values({
        shop_id: shop.id,
        id: newId('not'),
        customer_id: customerId,
        body: 'Ala lubi kawę',
        author: 'staff',
      })
      .execute();
    const totalBefore = await sql<{ s: string }>`
      SELECT sum(total)::text AS s FROM orders WHERE shop_id = ${shop.id}`.execute(t.db);

    const res = await deliver(
      shop,
      'shop/redact',
      { shop_id: 954889, shop_domain: DOMAIN },
      'wh-sr-1',
    );
    expect(res.statusCode).toBe(200);
    await t.processor.drain();

    const customers = await t.db
      .selectFrom('customers')
      .select(['email', 'phone', 'first_name', 'last_name', 'redacted_at'])
      .where('shop_id', '=', shop.id)
      .execute();
    expect(customers).toHaveLength(2);
    for (const c of customers) {
      expect(c).toMatchObject({ email: null, phone: null, first_name: null, last_name: null });
      expect(c.redacted_at).not.toBeNull();
    }
    expect(
      await count('orders', shop.id, sql`email IS NOT NULL OR shipping_address IS NOT NULL`),
    ).toBe(0);
    expect(await count('orders', shop.id)).toBe(2);
    const totalAfter = await sql<{ s: string }>`
      SELECT sum(total)::text AS s FROM orders WHERE shop_id = ${shop.id}`.execute(t.db);
    expect(totalAfter.rows[0]!.s).toBe(totalBefore.rows[0]!.s);
    expect(await count('customer_notes', shop.id)).toBe(0);
    const bodies = await t.db
      .selectFrom('inbound_events')
      .select(['topic', 'status', 'body'])
      .where('shop_id', '=', shop.id)
      .execute();
    expect(bodies.every((e) => e.status === 'processed')).toBe(true);
    expect(bodies.every((e) => !e.body.toString('utf8').includes('@example.pl'))).toBe(true);

    // Shopify retries, or sends it again: nothing left to change
    const redactedAt = customers.map((c) => c.redacted_at!.getTime());
    expect(
      (await deliver(shop, 'shop/redact', { shop_id: 954889, shop_domain: DOMAIN }, 'wh-sr-2'))
        .statusCode,
    ).toBe(200);
    await t.processor.drain();
    const again = await t.db
      .selectFrom('customers')
      .select('redacted_at')
      .where('shop_id', '=', shop.id)
      .execute();
    expect(again.map((c) => c.redacted_at!.getTime())).toEqual(redactedAt);
  });

  it('refuses a genuine delivery for another shop replayed to this one (401), and one naming no shop', async () => {
    const shop = await createTestShop(t);
    await connectShopify(shop.id, DOMAIN);
    await seedCustomer(shop, '7500000000000000001', 'ala@example.pl');
    // the body names another shop than the header
    const replayed = await deliver(
      shop,
      'shop/redact',
      { shop_id: 1, shop_domain: 'inny.myshopify.com' },
      'wh-x1',
    );
    expect(replayed.statusCode).toBe(401);
    // header and body agree, but this Lojal shop is connected to another Shopify shop
    const other = await deliver(
      shop,
      'shop/redact',
      { shop_id: 1, shop_domain: 'inny.myshopify.com' },
      'wh-x2',
      { domain: 'inny.myshopify.com' },
    );
    expect(other.statusCode).toBe(401);
    expect((await deliver(shop, 'shop/redact', { shop_id: 1 }, 'wh-x3')).statusCode).toBe(401);
    expect(await count('inbound_events', shop.id, sql`topic = 'shop/redact'`)).toBe(0);
    expect(await count('customers', shop.id, sql`email IS NOT NULL`)).toBe(1);
  });

  it('does nothing for a shop/redact event that was not a verified delivery', async () => {
    const shop = await createTestShop(t);
    await seedCustomer(shop, '7600000000000000001', 'ala@example.pl');
    await t.db
      .insertInto('inbound_events')
      .values({
        shop_id: shop.id,
        id: newId('evt'),
        source: 'shopify',
        topic: 'shop/redact',
        delivery_id: 'not-signed',
        idempotency_key: null,
        request_hash: null,
        verified: false,
        headers: '{}',
        body: Buffer.from(JSON.stringify({ shop_id: 1, shop_domain: DOMAIN })),
        occurred_at: null,
      })
      .execute();
    await t.processor.drain();
    const event = await t.db
      .selectFrom('inbound_events')
      .select(['status', 'reason'])
      .where('shop_id', '=', shop.id)
      .where('delivery_id', '=', 'not-signed')
      .executeTakeFirstOrThrow();
    expect(event.status).toBe('failed');
    expect(event.reason).toContain('verified');
    expect(await count('customers', shop.id, sql`email IS NOT NULL`)).toBe(1);
  });
});

describe('App Store mode: one app client secret', () => {
  const order = {
    id: 5550001,
    admin_graphql_api_id: 'gid://shopify/Order/5550001',
    created_at: '2026-02-20T10:00:00Z',
    currency: 'PLN',
    financial_status: 'paid',
    total_price: '10.00',
    line_items: [],
  };

  it('verifies a delivery signed with the app secret for the shop its connection names', async () => {
    const shop = await createTestShop(t);
    await connectShopify(shop.id, 'kawa-shop.myshopify.com');
    const ok = await deliver(shop, 'orders/paid', order, 'wh-app-1', {
      secret: APP_SECRET,
      domain: 'Kawa-Shop.myshopify.com',
    });
    expect(ok.statusCode).toBe(200);
    // the same secret, another shop's delivery posted to this shop's address
    const elsewhere = await deliver(shop, 'orders/paid', order, 'wh-app-2', {
      secret: APP_SECRET,
      domain: 'inny.myshopify.com',
    });
    expect(elsewhere.statusCode).toBe(401);
    // the shop's own webhook secret (a custom app) still works
    expect((await deliver(shop, 'orders/paid', order, 'wh-app-3')).statusCode).toBe(200);
    expect(await count('inbound_events', shop.id)).toBe(2);
  });

  it('is not accepted for a shop without a Shopify connection, nor when the instance has no app secret', async () => {
    const shop = await createTestShop(t);
    const res = await deliver(shop, 'orders/paid', order, 'wh-app-4', {
      secret: APP_SECRET,
      domain: 'kawa-shop.myshopify.com',
    });
    expect(res.statusCode).toBe(401);

    // an instance without LOJAL_SHOPIFY_APP_SECRET accepts only each shop's own secret
    await connectShopify(shop.id, 'kawa-shop.myshopify.com');
    const config = t.config as { shopifyAppSecret: string | undefined };
    config.shopifyAppSecret = undefined;
    try {
      const refused = await deliver(shop, 'orders/paid', order, 'wh-app-5', {
        secret: APP_SECRET,
        domain: 'kawa-shop.myshopify.com',
      });
      expect(refused.statusCode).toBe(401);
    } finally {
      config.shopifyAppSecret = APP_SECRET;
    }
    expect(
      (
        await deliver(shop, 'orders/paid', order, 'wh-app-6', {
          secret: APP_SECRET,
          domain: 'kawa-shop.myshopify.com',
        })
      ).statusCode,
    ).toBe(200);
  });
});
