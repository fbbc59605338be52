import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  postEvent,
  type TestApp,
} from '../support/app.ts';
import { startSmtpSink, type SmtpSink } from '../automations/support.ts';
import { customerToken, storefrontSecret } from '../support/storefront.ts';
import {
  CONSENT_EN,
  CONSENT_PL,
  call,
  confirmLinkIn,
  createCampaign,
  createPopup,
  newsletterPopup,
  signUp,
  storefrontPopups,
  type Shop,
} from './support.ts';

const PUBLIC_URL = 'https://lojal.example';
const clock = fixedClock('2026-12-07T10:00:00Z');
let t: TestApp;
let smtp: SmtpSink;
let shop: Shop;

beforeAll(async () => {
  smtp = await startSmtpSink();
  t = await createTestApp({
    clock,
    config: {
      smtpUrl: smtp.url,
      publicUrl: PUBLIC_URL,
      publicRateLimit: 100_000,
      storefrontRateLimit: 100_000,
    },
  });
  shop = await createTestShop(t);
}, 60_000);
afterAll(async () => {
  await t.close();
  await smtp.close();
});

/** Waits for the SMTP sink to hold `n` mails to this address. */
async function mailsTo(address: string, n: number) {
  for (let i = 0; i < 100; i++) {
    const mails = smtp.mails.filter((m) => m.envelopeTo.includes(address));
    if (mails.length >= n) return mails;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`expected ${n} mails to ${address}, got ${smtp.mails.length} in all`);
}

const path = (url: string) => new URL(url).pathname;

describe('configuring pop-ups', () => {
  it('refuses a pop-up with precise field errors', async () => {
    const res = await call(t, shop, 'POST', '/v1/popups', {
      ...newsletterPopup(),
      triggers: {},
      pages: { include: ['/koszyk*'], exclude: ['blog'] },
      welcomeCoupon: { campaignId: 'cmp_missing' },
      audience: { cartTotal: { min: 5000, max: 100 } },
      frequency: { everyDays: 0 },
    });
    expectProblem(res, 400);
    const errors = (res.json().errors as Array<{ path: string; message: string }>).map(
      (e) => `${e.path}: ${e.message}`,
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        'triggers: needs at least one trigger: afterSeconds, scrollPercent or exitIntent',
        'pages.include.0: checkout, cart and payment pages never show pop-ups',
        expect.stringMatching(/^pages\.exclude\.0: must be a path starting with "\/"/),
        'audience.cartTotal.max: min must not exceed max',
        expect.stringMatching(/^frequency\.everyDays: /),
      ]),
    );
    const twice = await call(t, shop, 'POST', '/v1/popups', {
      ...newsletterPopup(),
      variants: [
        { id: 'a', content: { pl: { title: 'A', consentText: 'Zgoda', button: 'OK' } } },
        { id: 'a', content: {} },
      ],
    });
    expectProblem(twice, 400);
    expect(twice.json().errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'variants.1.content',
          message: 'needs the text in at least one language (pl or en)',
        }),
        expect.objectContaining({ path: 'variants.1.id', message: 'variant a is given twice' }),
      ]),
    );
    const campaign = await call(t, shop, 'POST', '/v1/popups', {
      ...newsletterPopup(),
      welcomeCoupon: { campaignId: 'cmp_missing' },
      audience: { segmentIds: ['no-such-segment'] },
    });
    expectProblem(campaign, 400);
    expect(campaign.json().errors).toEqual([
      { path: 'welcomeCoupon.campaignId', message: 'no such coupon campaign' },
      { path: 'audience.segmentIds.0', message: 'no such segment' },
    ]);
  });

  it('creates, lists, pauses, resumes and archives a pop-up', async () => {
    const campaignId = await createCampaign(t, shop);
    const created = await call(t, shop, 'POST', '/v1/popups', {
      ...newsletterPopup(),
      welcomeCoupon: { campaignId, validDays: 14 },
    });
    expect(created.statusCode, created.body).toBe(201);
    const popup = created.json();
    expect(popup).toMatchObject({
      kind: 'newsletter',
      status: 'active',
      triggers: { exitIntent: true, afterSeconds: 30 },
      pages: { include: [], exclude: [] },
      audience: { visitors: 'all', customers: 'all', segmentIds: [] },
      frequency: { everyDays: 7, perSession: 1 },
      welcomeCoupon: { campaignId, validDays: 14 },
    });
    const paused = await call(t, shop, 'PATCH', `/v1/popups/${popup.id}`, { status: 'paused' });
    expect(paused.json().status).toBe('paused');
    const resumed = await call(t, shop, 'PATCH', `/v1/popups/${popup.id}`, {
      status: 'active',
      frequency: { everyDays: 3, perSession: 2 },
    });
    expect(resumed.json()).toMatchObject({
      status: 'active',
      frequency: { everyDays: 3, perSession: 2 },
    });
    const empty = await call(t, shop, 'PATCH', `/v1/popups/${popup.id}`, {});
    expectProblem(empty, 400);
    const archived = await call(t, shop, 'PATCH', `/v1/popups/${popup.id}`, { status: 'archived' });
    expect(archived.json().status).toBe('archived');
    expectProblem(
      await call(t, shop, 'PATCH', `/v1/popups/${popup.id}`, { status: 'active' }),
      409,
    );
    const listed = (await call(t, shop, 'GET', '/v1/popups')).json().data as Array<{ id: string }>;
    expect(listed.map((p) => p.id)).not.toContain(popup.id);
    const all = (await call(t, shop, 'GET', '/v1/popups?archived=true')).json().data as Array<{
      id: string;
    }>;
    expect(all.map((p) => p.id)).toContain(popup.id);
    expect((await call(t, shop, 'GET', `/v1/popups/${popup.id}`)).json().status).toBe('archived');
    expectProblem(await call(t, shop, 'GET', '/v1/popups/pop_nothing'), 404);
  });
});

describe('which pop-ups a visit sees', () => {
  let other: Shop;
  let popupId: string;
  beforeAll(async () => {
    other = await createTestShop(t, 'Sklep z regułami');
    popupId = (
      await createPopup(t, other, {
        pages: { include: ['/produkt/*', '/'], exclude: ['/produkt/bilet-*'] },
        audience: { visitors: 'new', cartTotal: { min: 1000 } },
        frequency: { everyDays: 3, perSession: 1 },
      })
    ).id;
  });
  const visit = (q: Record<string, string>) =>
    storefrontPopups(t, other.id, {
      visitor: 'new',
      visitorId: 'visitor-0001',
      cartTotal: '5000',
      ...q,
    });

  it('never on a cart, checkout or payment page, and only on the pop-up’s pages', async () => {
    for (const p of [
      '/checkout',
      '/koszyk',
      '/cart',
      '/zamowienie/krok-2',
      '/checkouts/c/abc',
      '/basketedit.php',
      '/order1.php?x=1',
      '/platnosc',
    ]) {
      const res = await visit({ path: p });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().data, p).toEqual([]);
    }
    expect((await visit({ path: '/produkt/kawa-etiopia' })).json().data).toHaveLength(1);
    expect((await visit({ path: '/' })).json().data).toHaveLength(1);
    expect((await visit({ path: '/produkt/bilet-koncert' })).json().data).toEqual([]);
    expect((await visit({ path: '/blog/kawa' })).json().data).toEqual([]);
  });

  it('for the audience: new visitors, with the cart’s value', async () => {
    expect((await visit({ path: '/', visitor: 'returning' })).json().data).toEqual([]);
    expect((await visit({ path: '/', cartTotal: '999' })).json().data).toEqual([]);
    const { cartTotal: _, ...noCart } = { path: '/', cartTotal: '' };
    expect(
      (
        await storefrontPopups(t, other.id, {
          visitor: 'new',
          visitorId: 'visitor-0001',
          ...noCart,
        })
      ).json().data,
    ).toEqual([]);
  });

  it('gives each visitor one variant for good, spread by the weights, in their language', async () => {
    const seen = { a: 0, b: 0 } as Record<string, number>;
    for (let i = 0; i < 120; i++) {
      const id = `visitor-${String(i).padStart(4, '0')}`;
      const first = (await visit({ path: '/', visitorId: id, locale: 'en' })).json().data[0];
      const again = (await visit({ path: '/', visitorId: id, locale: 'en' })).json().data[0];
      expect(again.variant).toBe(first.variant);
      seen[first.variant]!++;
      if (i === 0) {
        expect(first.locale).toBe('en');
        expect(first.content.consentText).toBe(CONSENT_EN);
      }
    }
    // 120 fair coin flips: more than 35 of either holds but for one chance in 10^5.
    expect(seen.a).toBeGreaterThan(35);
    expect(seen.b).toBeGreaterThan(35);
    const pl = (await visit({ path: '/', locale: 'pl' })).json().data[0];
    expect(pl.content.consentText).toBe(CONSENT_PL);
  });

  it('counts an impression once per visitor and day, and holds the pop-up back for everyDays', async () => {
    const first = await t.app.inject({
      method: 'POST',
      url: `/storefront/v1/shops/${other.id}/popups/${popupId}/impressions`,
      payload: { visitorId: 'visitor-imp1', variant: 'a' },
    });
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toEqual({ recorded: true });
    const again = await t.app.inject({
      method: 'POST',
      url: `/storefront/v1/shops/${other.id}/popups/${popupId}/impressions`,
      payload: { visitorId: 'visitor-imp1', variant: 'a' },
    });
    expect(again.json()).toEqual({ recorded: false });
    const wrong = await t.app.inject({
      method: 'POST',
      url: `/storefront/v1/shops/${other.id}/popups/${popupId}/impressions`,
      payload: { visitorId: 'visitor-imp1', variant: 'z' },
    });
    expectProblem(wrong, 400);
    expect(wrong.json().errors).toEqual([
      { path: 'variant', message: 'the pop-up has no variant z' },
    ]);
    // The same day the widget's session cap decides; the next days the server holds it back.
    expect((await visit({ path: '/', visitorId: 'visitor-imp1' })).json().data).toHaveLength(1);
    try {
      clock.set('2026-12-08T10:00:00Z');
      expect((await visit({ path: '/', visitorId: 'visitor-imp1' })).json().data).toEqual([]);
      clock.set('2026-12-09T10:00:00Z');
      expect((await visit({ path: '/', visitorId: 'visitor-imp1' })).json().data).toEqual([]);
      clock.set('2026-12-10T10:00:00Z');
      expect((await visit({ path: '/', visitorId: 'visitor-imp1' })).json().data).toHaveLength(1);
    } finally {
      clock.set('2026-12-07T10:00:00Z');
    }
  });

  it('for signed-in customers in a segment only, when the pop-up says so', async () => {
    const s2 = await createTestShop(t, 'Sklep segmentów');
    const segment = await call(t, s2, 'POST', '/v1/segments', {
      name: 'Kupujący',
      rules: { fact: 'orders_count', op: 'gte', value: 1 },
    });
    expect(segment.statusCode, segment.body).toBe(201);
    const seg = await createPopup(t, s2, {
      audience: { customers: 'identified', segmentIds: [segment.json().id] },
    });
    const guests = await createPopup(t, s2, { audience: { customers: 'guests' } });
    const secret = await storefrontSecret(t, s2);
    await postEvent(t, s2, {
      type: 'order.paid',
      data: {
        id: 'o-1',
        customer: { id: 'buyer-1' },
        currency: 'PLN',
        total: 5000,
        createdAt: '2026-12-01T10:00:00Z',
      },
    });
    await postEvent(t, s2, { type: 'customer.created', data: { id: 'browser-1' } });
    await t.processor.drain();
    const as = async (sub: string | null) => {
      const headers: Record<string, string> = sub
        ? { authorization: `Bearer ${await customerToken(secret, sub, { now: clock.now() })}` }
        : {};
      const res = await storefrontPopups(
        t,
        s2.id,
        { path: '/', visitor: 'new', visitorId: 'visitor-seg1' },
        headers,
      );
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().data as Array<{ id: string }>).map((p) => p.id);
    };
    expect(await as('buyer-1')).toEqual([seg.id]);
    expect(await as('browser-1')).toEqual([]);
    expect(await as(null)).toEqual([guests.id]);
  });

  it('answers another shop’s pop-up as not found', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/storefront/v1/shops/${shop.id}/popups/${popupId}/impressions`,
      payload: { visitorId: 'visitor-imp1', variant: 'a' },
    });
    expectProblem(res, 404);
  });
});

describe('sign-up with double opt-in', () => {
  let popupId: string;
  let campaignId: string;
  beforeAll(async () => {
    campaignId = await createCampaign(t, shop);
    popupId = (await createPopup(t, shop, { welcomeCoupon: { campaignId, validDays: 14 } })).id;
  });
  const body = (email: string, extra: Record<string, unknown> = {}) => ({
    email,
    variant: 'b',
    consentText: CONSENT_PL,
    page: 'https://sklep.example/produkt/kawa',
    locale: 'pl',
    visitorId: 'visitor-sign1',
    ...extra,
  });

  it('refuses a consent text that is not the one shown, and a variant it does not have', async () => {
    const res = await signUp(
      t,
      shop.id,
      popupId,
      body('ala@example.pl', { consentText: 'Zgoda na wszystko' }),
    );
    expectProblem(res, 400);
    expect(res.json().errors).toEqual([
      {
        path: 'consentText',
        message:
          "is not the consent text of this variant: send the checkbox's text exactly as shown",
      },
    ]);
    const variant = await signUp(t, shop.id, popupId, body('ala@example.pl', { variant: 'c' }));
    expect(variant.json().errors).toEqual([
      { path: 'variant', message: 'the pop-up has no variant c' },
    ]);
    const email = await signUp(t, shop.id, popupId, body('nie-adres'));
    expectProblem(email, 400);
    expect(email.json().errors[0].path).toBe('email');
  });

  it('keeps the proof exactly, is idempotent, and sends one confirmation e-mail', async () => {
    const headers = { 'idempotency-key': 'signup-ola-1' };
    const first = await signUp(t, shop.id, popupId, body('Ola@Example.pl'), headers);
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toEqual({ status: 'check-inbox' });
    const replay = await signUp(t, shop.id, popupId, body('Ola@Example.pl'), headers);
    expect(replay.statusCode).toBe(202);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    // Another key, the same address: the same sign-up, no second e-mail within 10 minutes.
    const again = await signUp(t, shop.id, popupId, body('ola@example.pl'), {
      'idempotency-key': 'signup-ola-2',
    });
    expect(again.statusCode).toBe(202);
    const rows = await t.db
      .selectFrom('popup_sign_ups')
      .selectAll()
      .where('email', '=', 'ola@example.pl')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      popup_id: popupId,
      variant: 'b',
      locale: 'pl',
      text_shown: CONSENT_PL,
      page: 'https://sklep.example/produkt/kawa',
      client_address: '203.0.113.7',
      user_agent: 'Mozilla/5.0 (test)',
      visitor_id: 'visitor-sign1',
      confirmed_at: null,
      mails_sent: 1,
    });
    expect(rows[0]!.signed_up_at.toISOString()).toBe('2026-12-07T10:00:00.000Z');
    const mails = await mailsTo('ola@example.pl', 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.mails.filter((m) => m.envelopeTo.includes('ola@example.pl'))).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Potwierdź zapis do newslettera Sklep Testowy');
    expect(mails[0]!.text).toContain('Link działa jeden raz');
    expect(confirmLinkIn(mails[0]!.text!)).toMatch(/^https:\/\/lojal\.example\/popups\/confirm\//);
    // Nothing granted yet.
    expect(
      await t.db.selectFrom('consent_events').selectAll().where('source', '=', 'popup').execute(),
    ).toEqual([]);
  });

  it('confirms once: consent with its proof, a new customer, the welcome code issued exactly once', async () => {
    await signUp(
      t,
      shop.id,
      popupId,
      body('basia@example.pl', { locale: 'en', consentText: CONSENT_EN }),
    );
    const [mail] = await mailsTo('basia@example.pl', 1);
    expect(mail!.subject).toBe('Confirm your Sklep Testowy newsletter sign-up');
    const link = path(confirmLinkIn(mail!.text!));

    // Opening the link changes nothing (mail scanners open links): it shows the button.
    const page = await t.app.inject({ method: 'GET', url: link });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).toContain('<form method="post">');
    expect(page.body).toContain('basia@example.pl');
    const before = await t.db
      .selectFrom('popup_sign_ups')
      .select('confirmed_at')
      .where('email', '=', 'basia@example.pl')
      .executeTakeFirstOrThrow();
    expect(before.confirmed_at).toBeNull();

    // Five clicks at once: one confirmation, one code.
    const clicks = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.app.inject({
          method: 'POST',
          url: link,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: '',
        }),
      ),
    );
    expect(clicks.map((c) => c.statusCode)).toEqual([200, 200, 200, 200, 200]);
    const row = await t.db
      .selectFrom('popup_sign_ups')
      .selectAll()
      .where('email', '=', 'basia@example.pl')
      .executeTakeFirstOrThrow();
    expect(row.confirmed_at?.toISOString()).toBe('2026-12-07T10:00:00.000Z');
    const coupons = await t.db
      .selectFrom('coupons')
      .selectAll()
      .where('shop_id', '=', shop.id)
      .where('campaign_id', '=', campaignId)
      .execute();
    expect(coupons).toHaveLength(1);
    expect(coupons[0]!.id).toBe(row.coupon_id);
    expect(coupons[0]!.usage_limit).toBe(1);
    expect(coupons[0]!.expires_at?.toISOString()).toBe('2026-12-21T10:00:00.000Z');
    for (const click of clicks) expect(click.body).toContain(coupons[0]!.code);
    expect(clicks.filter((c) => c.body.includes('Sign-up confirmed'))).toHaveLength(1);
    expect(clicks.filter((c) => c.body.includes('already confirmed'))).toHaveLength(4);

    // The code e-mailed once.
    const mails = await mailsTo('basia@example.pl', 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.mails.filter((m) => m.envelopeTo.includes('basia@example.pl'))).toHaveLength(2);
    expect(mails[1]!.subject).toBe('Your welcome code for Sklep Testowy');
    expect(mails[1]!.text).toContain(coupons[0]!.code);
    expect(mails[1]!.text).toContain('10% off');

    // The customer is created through the event log; the consent follows with its proof.
    await t.processor.drain();
    const customer = await t.db
      .selectFrom('customers')
      .selectAll()
      .where('email', '=', 'basia@example.pl')
      .executeTakeFirstOrThrow();
    expect(customer.external_id).toBe(`lojal-popup-${row.id}`);
    const consents = await call(t, shop, 'GET', `/v1/customers/${customer.external_id}/consents`);
    const marketing = consents
      .json()
      .consents.find(
        (c: { channel: string; purpose: string }) =>
          c.channel === 'email' && c.purpose === 'marketing',
      );
    expect(marketing).toMatchObject({ granted: true, source: 'recorded' });
    expect(consents.json().history).toEqual([
      expect.objectContaining({
        channel: 'email',
        purpose: 'marketing',
        granted: true,
        source: 'popup',
        textShown: CONSENT_EN,
        clientAddress: '203.0.113.7',
        userAgent: 'Mozilla/5.0 (test)',
        page: 'https://sklep.example/produkt/kawa',
        occurredAt: '2026-12-07T10:00:00.000Z',
      }),
    ]);

    // The link is used up: later visits change nothing and show the same code.
    const later = await t.app.inject({
      method: 'POST',
      url: link,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(later.body).toContain('already confirmed');
    expect(later.body).toContain(coupons[0]!.code);
    expect(
      await t.db.selectFrom('coupons').select('id').where('campaign_id', '=', campaignId).execute(),
    ).toHaveLength(1);
    expect(
      await t.db
        .selectFrom('consent_events')
        .select('id')
        .where('source', '=', 'popup')
        .where('customer_id', '=', customer.id)
        .execute(),
    ).toHaveLength(1);
    // Signing up again with a confirmed address sends nothing.
    await signUp(
      t,
      shop.id,
      popupId,
      body('basia@example.pl', { locale: 'en', consentText: CONSENT_EN }),
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.mails.filter((m) => m.envelopeTo.includes('basia@example.pl'))).toHaveLength(2);
  });

  it('records the consent on the existing customer with that e-mail at once', async () => {
    const created = await postEvent(t, shop, {
      type: 'customer.created',
      id: 'cust-celina',
      data: { id: 'celina-1', email: 'Celina@Example.pl', firstName: 'Celina' },
    });
    expect(created.statusCode).toBe(202);
    await t.processor.drain();
    await signUp(t, shop.id, popupId, body('celina@example.pl'), {}, '203.0.113.8');
    const [mail] = await mailsTo('celina@example.pl', 1);
    const confirmed = await t.app.inject({
      method: 'POST',
      url: path(confirmLinkIn(mail!.text!)),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(confirmed.body).toContain('Zapis potwierdzony');
    const history = (await call(t, shop, 'GET', '/v1/customers/celina-1/consents')).json().history;
    expect(history[0]).toMatchObject({ source: 'popup', granted: true, textShown: CONSENT_PL });
    expect(
      await t.db
        .selectFrom('customers')
        .select('id')
        .where('email', 'ilike', 'celina@example.pl')
        .execute(),
    ).toHaveLength(1);

    // Erasing the customer takes the e-mail, client and page off the sign-up; counts stay.
    const erased = await call(t, shop, 'POST', '/v1/customers/celina-1/erasure', {
      reason: 'prośba klientki',
    });
    expect(erased.statusCode, erased.body).toBe(202);
    await t.processor.drain();
    const left = await t.db
      .selectFrom('popup_sign_ups')
      .selectAll()
      .where('shop_id', '=', shop.id)
      .where('customer_id', 'is not', null)
      .where('email', 'is', null)
      .execute();
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({
      page: null,
      client_address: null,
      user_agent: null,
      visitor_id: null,
    });
    expect(left[0]!.confirmed_at).not.toBeNull();
  });

  it('takes at most 10 sign-ups a minute from one client address', async () => {
    const answers = [];
    for (let i = 0; i < 11; i++) {
      const res = await signUp(
        t,
        shop.id,
        popupId,
        body(`flood${i}@example.pl`),
        {},
        '198.51.100.20',
      );
      answers.push(res.statusCode);
    }
    expect(answers).toEqual([...Array(10).fill(202), 429]);
    expect(smtp.mails.filter((m) => m.envelopeTo.some((a) => a.startsWith('flood')))).toHaveLength(
      10,
    );
    // Another address is not held back.
    expect(
      (await signUp(t, shop.id, popupId, body('ela@example.pl'), {}, '198.51.100.21')).statusCode,
    ).toBe(202);
  });

  it('answers a forged, expired or erased link with 404', async () => {
    await signUp(t, shop.id, popupId, body('dorota@example.pl'), {}, '203.0.113.9');
    const [mail] = await mailsTo('dorota@example.pl', 1);
    const link = path(confirmLinkIn(mail!.text!));
    const forged = `${link.slice(0, -3)}abc`;
    expect((await t.app.inject({ method: 'GET', url: forged })).statusCode).toBe(404);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: forged,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: '',
        })
      ).statusCode,
    ).toBe(404);
    try {
      clock.set('2026-12-14T10:00:01Z');
      expect((await t.app.inject({ method: 'GET', url: link })).statusCode).toBe(404);
    } finally {
      clock.set('2026-12-07T10:00:00Z');
    }
  });
});

describe('results', () => {
  it('counts per variant and compares them with a two-proportion z-test, in words', async () => {
    const s = await createTestShop(t, 'Sklep wyników');
    const popup = await createPopup(t, s);
    const day = '2026-12-07';
    const impressions = (variant: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        shop_id: s.id,
        popup_id: popup.id,
        visitor_id: `${variant}-visitor-${i}`,
        day,
        variant,
        created_at: new Date('2026-12-07T09:00:00Z'),
      }));
    await t.db
      .insertInto('popup_impressions')
      .values([...impressions('a', 1000), ...impressions('b', 1000)])
      .execute();
    const signUps = (variant: string, n: number, confirmed: number) =>
      Array.from({ length: n }, (_, i) => ({
        shop_id: s.id,
        id: `pus_${variant}${String(i).padStart(24, '0')}`,
        popup_id: popup.id,
        variant,
        email: `${variant}${i}@example.pl`,
        locale: 'pl' as const,
        signed_up_at: new Date('2026-12-07T09:00:00Z'),
        confirmed_at: i < confirmed ? new Date('2026-12-07T09:30:00Z') : null,
      }));
    await t.db
      .insertInto('popup_sign_ups')
      .values([...signUps('a', 200, 150), ...signUps('b', 250, 200)])
      .execute();

    const res = await call(t, s, 'GET', `/v1/popups/${popup.id}/results?locale=en`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.variants).toEqual([
      {
        variant: 'a',
        weight: 1,
        impressions: 1000,
        signUps: 200,
        confirmations: 150,
        couponsIssued: 0,
        signUpRate: 0.2,
        confirmationRate: 0.15,
        confirmedShare: 0.75,
      },
      {
        variant: 'b',
        weight: 1,
        impressions: 1000,
        signUps: 250,
        confirmations: 200,
        couponsIssued: 0,
        signUpRate: 0.25,
        confirmationRate: 0.2,
        confirmedShare: 0.8,
      },
    ]);
    // Pooled p = 0.225; se = sqrt(0.225 × 0.775 × 2/1000) = 0.0186748; z = 0.05 / se = 2.6774;
    // two-sided p = 2 × (1 − Φ(2.6774)) = 0.00742.
    const [cmp] = r.comparisons;
    expect(cmp).toMatchObject({
      variant: 'b',
      against: 'a',
      metric: 'signUpRate',
      difference: 0.05,
      significant: true,
    });
    expect(cmp.z).toBeCloseTo(2.6774, 3);
    expect(cmp.pValue).toBeCloseTo(0.0074, 4);
    expect(cmp.summary).toBe(
      'Variant b signs up more visitors than a (25% against 20%); the difference is statistically significant (p = 0.0074).',
    );
    const pl = (await call(t, s, 'GET', `/v1/popups/${popup.id}/results`)).json();
    expect(pl.comparisons[0].summary).toBe(
      'Wariant b zapisuje więcej odwiedzających niż a (25% wobec 20%); różnica jest istotna statystycznie (p = 0,0074).',
    );
  });

  it('says when there is not enough data, and when a difference is not reliable', async () => {
    const s = await createTestShop(t, 'Sklep bez danych');
    const popup = await createPopup(t, s);
    const empty = (await call(t, s, 'GET', `/v1/popups/${popup.id}/results?locale=pl`)).json();
    expect(empty.comparisons[0]).toMatchObject({
      pValue: null,
      significant: false,
      summary: 'Za mało danych, by porównać wariant b z a.',
    });
    await t.db
      .insertInto('popup_impressions')
      .values(
        ['a', 'b'].flatMap((variant) =>
          Array.from({ length: 50 }, (_, i) => ({
            shop_id: s.id,
            popup_id: popup.id,
            visitor_id: `${variant}-${i}`,
            day: '2026-12-07',
            variant,
            created_at: new Date(),
          })),
        ),
      )
      .execute();
    await t.db
      .insertInto('popup_sign_ups')
      .values(
        [
          ['a', 5],
          ['b', 7],
        ].flatMap(([variant, n]) =>
          Array.from({ length: n as number }, (_, i) => ({
            shop_id: s.id,
            id: `pus_${variant}${i}`,
            popup_id: popup.id,
            variant: variant as string,
            email: `${variant}${i}@x.pl`,
            locale: 'pl' as const,
            signed_up_at: new Date(),
          })),
        ),
      )
      .execute();
    const weak = (await call(t, s, 'GET', `/v1/popups/${popup.id}/results?locale=en`)).json();
    // 7/50 against 5/50: pooled 0.12, se 0.06499, z 0.6155, p 0.5383.
    expect(weak.comparisons[0].pValue).toBeCloseTo(0.5383, 4);
    expect(weak.comparisons[0].significant).toBe(false);
    expect(weak.comparisons[0].summary).toMatch(
      /^Variant b \(14% sign-ups\) and a \(10%\) do not differ reliably \(p = 0\.5383\)/,
    );
  });
});
