import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  shopifyHeaders,
  wooHeaders,
  type TestApp,
} from '../support/app.ts';
import { startSmtpSink, smtpTo, PUBLIC_URL, type SmtpSink } from '../automations/support.ts';
import { decodeQr, hasPoppler, pdfPages, pdfText } from '../printables/pdf-reading.ts';
import { deliverGiftCard, type VoucherDeps } from '../../src/gift-cards/deliver-gift-card.ts';
import { issueForPaidOrders } from '../../src/gift-cards/sell-online.ts';
import { GIFT_CARD_DELIVERY } from '../../src/gift-cards/schedule-delivery.ts';
import { GIFT_CARD_BUYER_COPY, sendBuyerCopy } from '../../src/gift-cards/buyer-copy.ts';
import { BALANCE_WRONG_LIMIT } from '../../src/http/routes/gift-card-sales.ts';

const SAMPLES = fileURLToPath(new URL('../fixtures/webhooks', import.meta.url));
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a sample payload edited in place
const json = (file: string) => JSON.parse(readFileSync(`${SAMPLES}/${file}`, 'utf8')) as any;
const SHOPIFY_ORDER_ID = '820982911946154508';
const FIRST_LINE = 'gid://shopify/LineItem/866550311766439020';
// Warsaw is UTC+1 in January: 08:00 there is 07:00 UTC.
const NOW = '2027-01-10T10:00:00.000Z';
const EIGHT_WARSAW = '2027-01-14T07:00:00.000Z';

type Shop = Awaited<ReturnType<typeof createTestShop>>;
let t: TestApp;
let shop: Shop;
let sink: SmtpSink;
const clock = fixedClock(NOW);

/** The Shopify sample order, paid, with both lines naming a recipient, a message and a date. */
function shopifyOrder(): string {
  const order = json('shopify/orders-create.json');
  order.cancelled_at = null;
  for (const line of order.line_items) {
    line.properties = [
      { name: 'Recipient name', value: 'Ala Kowalska' },
      { name: 'Recipient email', value: 'ala@example.com' },
      { name: 'Message', value: 'Wszystkiego najlepszego!' },
      { name: 'Delivery date', value: '2027-01-14' },
      { name: '_internal', value: 'ignored by Lojal' },
    ];
  }
  return JSON.stringify(order);
}

/** The WooCommerce sample order (processing = paid), its first line a gift card, no date. */
function wooOrder(id = 727): string {
  const order = json('woocommerce/order.wc-v3-retrieve-example.json');
  order.id = id;
  order.line_items[0].meta_data = [
    { id: 1, key: 'recipient_email', value: 'ola@example.com' },
    { id: 2, key: 'recipient_name', value: 'Ola' },
  ];
  return JSON.stringify(order);
}

function voucherDeps(at: string): VoucherDeps {
  return {
    db: t.db,
    clock: fixedClock(at),
    email: smtpTo(sink),
    mailFrom: 'sklep@lojal.example',
    publicUrl: PUBLIC_URL,
    box: t.box,
    // no logo: the shop's name is set instead
    fetch: (() => Promise.reject(new Error('offline'))) as unknown as typeof fetch,
  };
}

async function sales(orderExternalId: string) {
  const { rows } = await sql<{ gift_card_id: string; line_key: string; amount: string }>`
    SELECT s.gift_card_id, s.line_key, s.amount FROM gift_card_sales s
    JOIN orders o ON o.shop_id = s.shop_id AND o.id = s.order_id
    WHERE s.shop_id = ${shop.id} AND o.external_id = ${orderExternalId}
    ORDER BY s.line_key`.execute(t.db);
  return rows;
}

/** The code and PIN a voucher e-mail carries, from its text part. */
function secretsOf(mail: SmtpSink['mails'][number]) {
  const text = mail.text ?? '';
  return {
    code: /(?:Kod karty|Card code): (\S+)/.exec(text)![1]!,
    pin: /PIN: (\d{6})/.exec(text)![1]!,
  };
}

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await createTestApp({ clock, config: { publicUrl: PUBLIC_URL } });
  shop = await createTestShop(t);
  for (const [productId, body] of [
    ['632910392', { amounts: 'any' }],
    ['93', { amounts: 'fixed', variantAmounts: { '93': 5000 }, validMonths: 12 }],
  ] as const) {
    const res = await t.app.inject({
      method: 'PUT',
      url: `/v1/gift-card-products/${productId}`,
      headers: bearer(shop.apiKey),
      payload: body,
    });
    expect(res.statusCode).toBe(200);
  }
});
afterAll(async () => {
  await t.close();
  await sink.close();
});

describe('a gift card bought online', () => {
  it('issues one card per line of a Shopify order delivered 5 times at once', async () => {
    const body = shopifyOrder();
    const answers = await Promise.all(
      ['orders/create', 'orders/paid', 'orders/paid', 'orders/updated', 'orders/paid'].map(
        (topic, i) =>
          t.app.inject({
            method: 'POST',
            url: `/v1/webhooks/shopify/${shop.id}`,
            headers: shopifyHeaders(shop.webhookSecret, body, topic, `wh-gift-${i}`),
            payload: body,
          }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200]);
    await t.processor.drain();
    const sold = await sales(SHOPIFY_ORDER_ID);
    // Two lines of the gift card product: two cards, 199.00 each, never more.
    expect(sold.map((s) => [s.line_key, Number(s.amount)])).toEqual([
      ['141249953214522974', 19900],
      ['866550311766439020', 19900],
    ]);
  });

  it('issues one card for a WooCommerce line delivered 5 times at once', async () => {
    const body = wooOrder();
    const answers = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        t.app.inject({
          method: 'POST',
          url: `/v1/webhooks/woocommerce/${shop.id}`,
          headers: wooHeaders(shop.webhookSecret, body, 'order.updated', `wc-gift-${i}`),
          payload: body,
        }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200]);
    await t.processor.drain();
    // The fixed value of the product (50.00) times the line's quantity (2).
    expect((await sales('727')).map((s) => Number(s.amount))).toEqual([10000]);
    // No date: booked at once.
    const { rows } = await sql<{ run_at: Date }>`
      SELECT j.run_at FROM graphile_worker.jobs j
      WHERE j.task_identifier = ${GIFT_CARD_DELIVERY}
        AND j.key = ${`${GIFT_CARD_DELIVERY}:${shop.id}:${(await sales('727'))[0]!.gift_card_id}`}`.execute(
      t.db,
    );
    expect(rows.map((r) => r.run_at.toISOString())).toEqual([NOW]);
  });

  it('claims a line with the unique key: five concurrent issuers make one card', async () => {
    await t.db
      .deleteFrom('gift_card_products')
      .where('shop_id', '=', shop.id)
      .where('product_id', '=', '93')
      .execute();
    const body = wooOrder(728);
    await t.app.inject({
      method: 'POST',
      url: `/v1/webhooks/woocommerce/${shop.id}`,
      headers: wooHeaders(shop.webhookSecret, body, 'order.created', 'wc-728'),
      payload: body,
    });
    await t.processor.drain();
    expect(await sales('728')).toEqual([]);
    await t.db
      .insertInto('gift_card_products')
      .values({ shop_id: shop.id, product_id: '93', amounts: 'any' })
      .execute();
    const order = await t.db
      .selectFrom('orders')
      .select('id')
      .where('shop_id', '=', shop.id)
      .where('external_id', '=', '728')
      .executeTakeFirstOrThrow();
    const issued = await Promise.all(
      [0, 1, 2, 3, 4].map(() =>
        t.db
          .transaction()
          .execute((tx) => issueForPaidOrders(tx, shop.id, [order.id], new Date(NOW))),
      ),
    );
    expect(issued.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await sales('728')).toHaveLength(1);
  });
});

describe('the recipient e-mail', () => {
  it('is booked for 08:00 shop time on the chosen date and sent then, not before, once', async () => {
    const first = (await sales(SHOPIFY_ORDER_ID)).find((s) => FIRST_LINE.endsWith(s.line_key));
    const job = { shopId: shop.id, giftCardId: first!.gift_card_id };
    const { rows } = await sql<{ run_at: Date }>`
      SELECT run_at FROM graphile_worker.jobs
      WHERE key = ${`${GIFT_CARD_DELIVERY}:${shop.id}:${job.giftCardId}`}`.execute(t.db);
    expect(rows.map((r) => r.run_at.toISOString())).toEqual([EIGHT_WARSAW]);

    const before = sink.mails.length;
    expect(await deliverGiftCard(voucherDeps('2027-01-14T06:59:59.000Z'), job)).toBe('not-due');
    expect(sink.mails.length).toBe(before);
    expect(await deliverGiftCard(voucherDeps(EIGHT_WARSAW), job)).toBe('sent');
    expect(await deliverGiftCard(voucherDeps(EIGHT_WARSAW), job)).toBe('nothing-to-send');
    expect(sink.mails.length).toBe(before + 1);

    const mail = sink.mails.at(-1)!;
    expect(mail.envelopeTo).toEqual(['ala@example.com']);
    expect(mail.subject).toBe('Masz kartę podarunkową: Sklep Testowy');
    expect(mail.text).toContain('Wszystkiego najlepszego!');
    const { code, pin } = secretsOf(mail);
    const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf')!;
    expect(pdf.filename).toBe('karta-podarunkowa.pdf');
    if (hasPoppler) {
      const text = pdfText(pdf.content).replace(/\s+/g, ' ');
      expect(text).toContain(code.slice(-6));
      expect(text).toContain('199,00');
      expect(text).toContain(pin);
      expect(decodeQr(pdfPages(pdf.content, 200)[0]!)).toBe(`${PUBLIC_URL}/g/${shop.slug}`);
    }
    // The delivered code and PIN are the card's: the balance page shows its value.
    const page = await balance(code, pin, '198.51.100.1');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('199,00');
  });
});

function balance(code: string, pin: string, ip: string, lang = 'pl') {
  return t.app.inject({
    method: 'POST',
    url: `/g/${shop.slug}?lang=${lang}`,
    remoteAddress: ip,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    payload: new URLSearchParams({ code, pin }).toString(),
  });
}

describe('the balance page', () => {
  it('does not tell a wrong PIN from an unknown code, and answers 429 to a guesser', async () => {
    const mail = sink.mails.at(-1)!;
    const { code, pin } = secretsOf(mail);
    const wrongPin = await balance(code, pin === '000000' ? '111111' : '000000', '203.0.113.9');
    const unknown = await balance('GC-NOPE-NOPE-NOPE', pin, '203.0.113.9');
    expect(wrongPin.statusCode).toBe(200);
    expect(wrongPin.body).toBe(unknown.body);
    expect(wrongPin.body).not.toContain('199,00');
    for (let i = 2; i < BALANCE_WRONG_LIMIT; i++) {
      expect((await balance(`GC-GUESS-${i}`, '123456', '203.0.113.9')).statusCode).toBe(200);
    }
    const refused = await balance(code, pin, '203.0.113.9');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // The JSON route shares the limit…
    const api = await t.app.inject({
      method: 'POST',
      url: `/storefront/v1/shops/${shop.id}/gift-cards/balance`,
      remoteAddress: '203.0.113.9',
      payload: { code, pin },
    });
    expect(api.statusCode).toBe(429);
    // …and another address is not held up by it.
    const other = await t.app.inject({
      method: 'POST',
      url: `/storefront/v1/shops/${shop.id}/gift-cards/balance`,
      remoteAddress: '203.0.113.10',
      payload: { code, pin },
    });
    expect(other.statusCode).toBe(200);
    expect(other.json()).toMatchObject({ balance: { amount: 19900, currency: 'USD' } });
  });
});

describe('a refund of the line', () => {
  it('voids what is left on its card; the spent part stays spent', async () => {
    const { code } = secretsOf(sink.mails.at(-1)!);
    const spend = await t.app.inject({
      method: 'POST',
      url: `/v1/gift-cards/${code}/spends`,
      headers: bearer(shop.apiKey),
      payload: { amount: 5000, currency: 'USD' },
    });
    expect(spend.statusCode).toBe(201);
    const refund = json('shopify/refunds-create.json');
    refund.order_id = SHOPIFY_ORDER_ID;
    refund.refund_line_items = [refund.refund_line_items[0]];
    const body = JSON.stringify(refund);
    const sent = await t.app.inject({
      method: 'POST',
      url: `/v1/webhooks/shopify/${shop.id}`,
      headers: shopifyHeaders(shop.webhookSecret, body, 'refunds/create', 'wh-refund-gift'),
      payload: body,
    });
    expect(sent.statusCode).toBe(200);
    await t.processor.drain();
    expect(refund.refund_line_items[0].line_item.admin_graphql_api_id).toBe(FIRST_LINE);

    const card = await t.app.inject({
      method: 'GET',
      url: `/v1/gift-cards/${code}`,
      headers: bearer(shop.apiKey),
    });
    expect(card.json()).toMatchObject({ balance: { amount: 0 }, status: 'disabled' });
    const moves = await t.app.inject({
      method: 'GET',
      url: `/v1/gift-cards/${code}/transactions`,
      headers: bearer(shop.apiKey),
    });
    expect(
      (moves.json().data as Array<{ type: string; amount: { amount: number } }>).map((m) => [
        m.type,
        m.amount.amount,
      ]),
    ).toEqual([
      ['voided', -14900],
      ['spent', -5000],
      ['issued', 19900],
    ]);
    // The other line's card is untouched.
    const other = (await sales(SHOPIFY_ORDER_ID)).find((s) => !FIRST_LINE.endsWith(s.line_key))!;
    const { rows } = await sql<{ balance: string }>`
      SELECT balance FROM gift_card_accounts
      WHERE shop_id = ${shop.id} AND gift_card_id = ${other.gift_card_id}`.execute(t.db);
    expect(Number(rows[0]!.balance)).toBe(19900);
  });
});

describe('a WooCommerce refund of the line', () => {
  /** The order as WooCommerce sends it after a refund of 6.00 (its refunds: amounts only). */
  function refundedWooOrder(modified: string, refundLines?: object[]) {
    const order = JSON.parse(wooOrder(730));
    order.date_modified_gmt = modified;
    order.refunds = [
      { id: 731, reason: 'zwrot', total: '-6.00', ...(refundLines && { line_items: refundLines }) },
    ];
    return JSON.stringify(order);
  }
  const deliver = async (body: string, delivery: string) => {
    const sent = await t.app.inject({
      method: 'POST',
      url: `/v1/webhooks/woocommerce/${shop.id}`,
      headers: wooHeaders(shop.webhookSecret, body, 'order.updated', delivery),
      payload: body,
    });
    expect(sent.statusCode).toBe(200);
    await t.processor.drain();
  };
  const state = async () => {
    const { rows } = await sql<{
      voided: boolean;
      voids: number;
      refunds: number;
      refunded: number;
    }>`
      SELECT s.voided_at IS NOT NULL AS voided,
             (SELECT count(*)::int FROM gift_card_entries e WHERE e.shop_id = s.shop_id
                AND e.gift_card_id = s.gift_card_id AND e.reason = 'voided') AS voids,
             (SELECT count(*)::int FROM refunds r WHERE r.shop_id = o.shop_id AND r.order_id = o.id) AS refunds,
             o.refunded_amount::int AS refunded
      FROM gift_card_sales s JOIN orders o ON o.shop_id = s.shop_id AND o.id = s.order_id
      WHERE s.shop_id = ${shop.id} AND o.external_id = '730'`.execute(t.db);
    return rows;
  };

  it('voids the card once the refund names its line (the pulled refund), without counting the money twice', async () => {
    await deliver(wooOrder(730), 'wc-730-paid');
    expect(await state()).toEqual([{ voided: false, voids: 0, refunds: 0, refunded: 0 }]);
    // The webhook: a partial refund of 6.00 of a 29.35 order, no lines named. Nothing voided.
    await deliver(refundedWooOrder('2027-01-09T10:00:00'), 'wc-730-refund');
    expect(await state()).toEqual([{ voided: false, voids: 0, refunds: 1, refunded: 600 }]);
    // The reconciliation pull adds the refund's lines (GET /orders/730/refunds): line 315, the card's.
    const lines = [
      {
        id: 732,
        quantity: -2,
        total: '-6.00',
        meta_data: [{ id: 1, key: '_refunded_item_id', value: '315' }],
      },
    ];
    await deliver(refundedWooOrder('2027-01-09T10:00:05', lines), 'wc-730-pulled');
    expect(await state()).toEqual([{ voided: true, voids: 1, refunds: 1, refunded: 600 }]);
    await deliver(refundedWooOrder('2027-01-09T10:00:09', lines), 'wc-730-pulled-again');
    expect(await state()).toEqual([{ voided: true, voids: 1, refunds: 1, refunded: 600 }]);
  });
});

describe("the buyer's copy", () => {
  it("sends the buyer a copy in the order's language, without code or PIN, once booked", async () => {
    const first = (await sales(SHOPIFY_ORDER_ID)).find((s) => FIRST_LINE.endsWith(s.line_key))!;
    const job = { shopId: shop.id, giftCardId: first.gift_card_id };
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM graphile_worker.jobs
      WHERE key = ${`${GIFT_CARD_BUYER_COPY}:${shop.id}:${job.giftCardId}`}`.execute(t.db);
    expect(rows[0]!.n).toBe(1); // booked with the recipient's e-mail, once
    // The last mail is still the recipient's voucher (the steps above sent no other).
    const voucher = sink.mails.at(-1)!;
    const { code, pin } = secretsOf(voucher);
    expect(await sendBuyerCopy(voucherDeps(EIGHT_WARSAW), job)).toBe('sent');
    const copy = sink.mails.at(-1)!;
    // The Shopify order says customer_locale "en"; the shop writes Polish.
    expect(copy.envelopeTo).toEqual(['jon@doe.ca']);
    expect(copy.subject).toBe('Your gift card for Sklep Testowy has been delivered');
    expect(copy.text).toContain(
      'The gift card worth $199.00 for Sklep Testowy was sent on 14 January 2027 to: Ala Kowalska (a***@example.com).',
    );
    expect(copy.text).toContain('Wszystkiego najlepszego!');
    for (const secret of [code, pin]) {
      expect(copy.text).not.toContain(secret);
      expect(copy.html).not.toContain(secret);
    }
    expect(copy.attachments).toEqual([]);
    // A card not yet delivered, and one that went to its buyer, have no copy to send.
    const second = (await sales(SHOPIFY_ORDER_ID)).find((s) => !FIRST_LINE.endsWith(s.line_key))!;
    expect(
      await sendBuyerCopy(voucherDeps(EIGHT_WARSAW), {
        shopId: shop.id,
        giftCardId: second.gift_card_id,
      }),
    ).toBe('nothing-to-send');
  });
});

describe('the counter sale', () => {
  let token: string;
  const sell = (payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/counter/gift-cards',
      headers: { ...(token && { authorization: `Bearer ${token}` }), ...headers },
      payload,
    });

  it('refuses without a valid staff token (401) and a bad amount (422 for the barista)', async () => {
    expectProblem(await sell({ amount: 5000 }), 401);
    const staff = await t.app.inject({
      method: 'POST',
      url: '/v1/staff',
      headers: bearer(shop.apiKey),
      payload: { name: 'Kasa 1' },
    });
    token = staff.json().token as string;
    expectProblem(await sell({ amount: 5000 }, { authorization: 'Bearer nope' }), 401);
    for (const bad of [{ amount: 50 }, { amount: 1_000_001 }, { amount: '50' }, {}]) {
      const res = await sell(bad);
      expectProblem(res, 422);
      expect(res.json()).toMatchObject({
        errors: [expect.objectContaining({ path: 'amount' })],
        messages: { pl: expect.stringContaining('od 1 do 10000 PLN'), en: expect.any(String) },
      });
    }
    const badMail = await sell({ amount: 5000, recipientEmail: 'not-an-address' });
    expectProblem(badMail, 422);
    expect(badMail.json().errors).toEqual([expect.objectContaining({ path: 'recipientEmail' })]);
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM gift_card_sales
      WHERE shop_id = ${shop.id} AND channel = 'counter'`.execute(t.db);
    expect(rows[0]!.n).toBe(0);
  });

  it('sells once per Idempotency-Key, mails the voucher at once and is in the audit log', async () => {
    const body = {
      amount: 5000,
      recipientEmail: 'basia@example.com',
      recipientName: 'Basia',
      message: 'Wszystkiego najlepszego!',
    };
    const first = await sell(body, { 'idempotency-key': 'counter-1' });
    const again = await sell(body, { 'idempotency-key': 'counter-1' });
    expect(first.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    const sale = first.json();
    expect(sale).toMatchObject({
      currency: 'PLN',
      balance: { amount: 5000, currency: 'PLN' },
      delivery: { email: 'basia@example.com', sendAt: NOW },
      maskedCode: `…${sale.code.replaceAll('-', '').slice(-4)}`,
    });
    expect(sale.pin).toMatch(/^\d{6}$/);
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM gift_card_sales
      WHERE shop_id = ${shop.id} AND channel = 'counter'`.execute(t.db);
    expect(rows[0]!.n).toBe(1);

    const before = sink.mails.length;
    const job = { shopId: shop.id, giftCardId: sale.id as string };
    expect(await deliverGiftCard(voucherDeps(NOW), job)).toBe('sent');
    expect(sink.mails.length).toBe(before + 1);
    // The e-mail carries the code and PIN the staff device was shown.
    expect(secretsOf(sink.mails.at(-1)!)).toEqual({ code: sale.code, pin: sale.pin });
    const sealed = await t.db
      .selectFrom('gift_card_sales')
      .select('sealed_secret')
      .where('shop_id', '=', shop.id)
      .where('gift_card_id', '=', sale.id)
      .executeTakeFirstOrThrow();
    expect(sealed.sealed_secret).toBeNull();

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor_type', 'actor_name', 'action', 'target_id', 'after'])
      .where('shop_id', '=', shop.id)
      .where('action', '=', 'POST /v1/counter/gift-cards')
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({ actor_type: 'staff', actor_name: 'Kasa 1', target_id: sale.id }),
    ]);
    expect(JSON.stringify(audit)).not.toContain(sale.code);
  });
});

describe('the gift card report', () => {
  it('gives liability and breakage by month equal to the sums over the ledger', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/gift-card-report',
      headers: bearer(shop.apiKey),
    });
    expect(res.statusCode).toBe(200);
    const { rows } = await sql<{
      currency: string;
      issued: string;
      spent: string;
      voided: string;
      balance: string;
    }>`
      SELECT g.currency,
             sum(e.points) FILTER (WHERE e.kind = 'earn') AS issued,
             -COALESCE(sum(e.points) FILTER (WHERE e.kind IN ('redeem', 'reverse')), 0) AS spent,
             -COALESCE(sum(e.points) FILTER (WHERE e.reason = 'voided'), 0) AS voided,
             (SELECT sum(a.balance) FROM gift_card_accounts a JOIN gift_cards c
                ON c.shop_id = a.shop_id AND c.id = a.gift_card_id
              WHERE a.shop_id = g.shop_id AND c.currency = g.currency) AS balance
      FROM gift_card_entries e JOIN gift_cards g ON g.shop_id = e.shop_id AND g.id = e.gift_card_id
      WHERE e.shop_id = ${shop.id} GROUP BY g.shop_id, g.currency ORDER BY g.currency`.execute(
      t.db,
    );
    const report = res.json().data as Array<{
      currency: string;
      outstanding: number;
      months: Array<{
        month: string;
        issued: number;
        spent: number;
        voided: number;
        liability: number;
      }>;
    }>;
    expect(report.map((r) => r.currency)).toEqual(rows.map((r) => r.currency));
    for (const [i, r] of report.entries()) {
      const ledger = rows[i]!;
      const sum = (k: 'issued' | 'spent' | 'voided') => r.months.reduce((n, m) => n + m[k], 0);
      expect(r.months.map((m) => m.month)).toEqual(['2027-01']);
      expect(sum('issued')).toBe(Number(ledger.issued));
      expect(sum('spent')).toBe(Number(ledger.spent));
      expect(sum('voided')).toBe(Number(ledger.voided));
      expect(r.months.at(-1)!.liability).toBe(Number(ledger.balance));
      expect(r.outstanding).toBe(Number(ledger.balance));
    }
    const usd = report.find((r) => r.currency === 'USD')!.months[0]!;
    // Two Shopify cards and three WooCommerce cards; 50.00 spent; 149.00 and 6.00 voided.
    expect(usd).toMatchObject({
      issued: 19900 * 2 + 10000 + 600 + 600,
      spent: 5000,
      voided: 14900 + 600,
    });
  });
});
