import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { orderPaid, send } from '../points/support.ts';
import { PORTAL_SCRIPT } from '../../src/portal/portal-page.ts';
import { customerToken, storefrontSecret } from '../support/storefront.ts';

// Issue 15, item 3: the customer portal's sign-in by a mailed link, and the customer's own data.
const START = '2026-12-07T10:00:00.000Z';
const clock = fixedClock(START);
let t: TestApp;
let a: Awaited<ReturnType<typeof createTestShop>>;
let b: Awaited<ReturnType<typeof createTestShop>>;

const api = (shopId: string) => `/storefront/v1/shops/${shopId}`;
let address = 0;
/** Each call from its own client address unless told, so the per-address limit stays out. */
function post(url: string, payload: object, headers: Record<string, string> = {}, from?: string) {
  return t.app.inject({
    method: 'POST',
    url,
    payload,
    headers,
    remoteAddress: from ?? `203.0.113.${(address++ % 250) + 1}`,
  });
}
const get = (url: string, token?: string) =>
  t.app.inject({
    method: 'GET',
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    remoteAddress: `198.51.100.${(address++ % 250) + 1}`,
  });
const later = (ms: number) => clock.set(new Date(clock.now().getTime() + ms).toISOString());

const requestLink = (shopId: string, email: string, locale?: 'pl' | 'en') =>
  post(`${api(shopId)}/portal/sign-in-links`, { email, ...(locale && { locale }) });

/** The mails of the shop's outbox to an address, oldest first. */
async function mailsTo(shopId: string, to: string) {
  return t.db
    .selectFrom('mail_outbox')
    .select(['subject', 'raw', 'message_id'])
    .where('shop_id', '=', shopId)
    .where('to_address', '=', to)
    .orderBy('created_at')
    .orderBy('message_id')
    .execute();
}
/** Waits for the n-th mail to the address (mail leaves after the answer) and reads its link. */
async function linkMailed(shopId: string, to: string, n: number) {
  for (let i = 0; i < 200; i++) {
    const mails = await mailsTo(shopId, to);
    if (mails.length >= n) {
      // Quoted-printable: soft line breaks dropped, =XX bytes decoded as UTF-8.
      const raw = Buffer.from(
        mails[n - 1]!.raw.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) =>
          String.fromCharCode(parseInt(hex, 16)),
        ),
        'latin1',
      ).toString('utf8');
      const found = /(https?:\/\/[^\s"<]+\/p\/[\w-]+\/enter)#([\w-]+)/.exec(raw);
      expect(found, 'a sign-in link in the mail').not.toBeNull();
      return { url: found![1]!, token: found![2]!, subject: mails[n - 1]!.subject, raw };
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no mail ${n} to ${to}`);
}
const openSession = (shopId: string, token: string) =>
  post(`${api(shopId)}/portal/sessions`, { token });
async function signIn(shopId: string, email: string, n: number): Promise<string> {
  expect((await requestLink(shopId, email)).statusCode).toBe(202);
  const { token } = await linkMailed(shopId, email, n);
  const session = await openSession(shopId, token);
  expect(session.statusCode, session.body).toBe(201);
  return session.json().token as string;
}

beforeAll(async () => {
  t = await createTestApp({
    clock,
    config: { publicUrl: 'https://lojal.example.pl', loginRateLimit: 4 },
  });
  a = await createTestShop(t, 'Palarnia Kawy');
  b = await createTestShop(t, 'Herbaciarnia');
  await send(
    t,
    a,
    orderPaid(
      'o-ania',
      { id: 'ania', email: 'Ania@Example.pl', firstName: 'Ania' },
      '2026-12-01T10:00:00Z',
      { total: 12_300 },
    ),
    orderPaid(
      'o-bartek',
      { id: 'bartek', email: 'bartek@example.pl', firstName: 'Bartek' },
      '2026-12-02T10:00:00Z',
      { total: 4_500 },
    ),
    orderPaid('o-ewa', { id: 'ewa', email: 'ewa@example.pl' }, '2026-12-02T11:00:00Z', {
      total: 1_000,
    }),
    orderPaid('o-olek', { id: 'olek', email: 'olek@example.pl' }, '2026-12-02T12:00:00Z', {
      total: 1_000,
    }),
  );
  // The same person is also a customer of another shop.
  await send(
    t,
    b,
    orderPaid('o-b-ania', { id: 'ania-b', email: 'ania@example.pl' }, '2026-12-01T10:00:00Z', {
      total: 999,
    }),
  );
});
afterAll(() => t.close());

describe('the customer portal pages', () => {
  it('serves the portal by slug or id, with only its own script allowed', async () => {
    for (const shop of [a.slug, a.id]) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/p/${shop}`,
        headers: { 'accept-language': 'en-GB,en;q=0.9' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<html lang="en">');
      expect(res.body).toContain('Sign in to the loyalty programme');
      const hash = createHash('sha256').update(PORTAL_SCRIPT, 'utf8').digest('base64');
      expect(String(res.headers['content-security-policy'])).toContain(`'sha256-${hash}'`);
      expect(res.headers['cache-control']).toBe('no-store');
    }
    const enter = await t.app.inject({ method: 'GET', url: `/p/${a.slug}/enter` });
    expect(enter.statusCode).toBe(200);
    expect(enter.body).toContain('<html lang="pl">');
    expect(enter.body).toContain('"mode":"enter"');
    expect((await t.app.inject({ method: 'GET', url: '/p/nie-ma-takiego' })).statusCode).toBe(404);
  });
});

describe('signing in by a mailed link', () => {
  it('answers the same for a known and an unknown address, and mails only the known one', async () => {
    const known = await requestLink(a.id, 'bartek@example.pl');
    const unknown = await requestLink(a.id, 'nikt@example.pl');
    const otherShops = await requestLink(a.id, 'someone-only-in-b@example.pl');
    for (const res of [known, unknown, otherShops]) {
      expect(res.statusCode).toBe(202);
      expect(res.body).toBe(known.body);
      expect(res.headers['content-type']).toBe(known.headers['content-type']);
    }
    const mail = await linkMailed(a.id, 'bartek@example.pl', 1);
    expect(mail.subject).toBe('Zaloguj się do programu lojalnościowego Palarnia Kawy');
    expect(mail.url).toBe(`https://lojal.example.pl/p/${a.slug}/enter`);
    expect(mail.raw).toContain('Cześć Bartek');
    expect(await mailsTo(a.id, 'nikt@example.pl')).toEqual([]);
    // Only the token's hash is stored.
    const stored = await t.db.selectFrom('portal_sign_in_links').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).toContain(
      createHash('sha256').update(mail.token).digest('hex'),
    );
    expect(JSON.stringify(stored)).not.toContain(mail.token);
  });

  it('takes as long for an unknown address as for a known one (the mail leaves after the answer)', async () => {
    const timed = async (email: string) => {
      const started = process.hrtime.bigint();
      const res = await requestLink(a.id, email);
      expect(res.statusCode).toBe(202);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    // Alternating, so a slow moment of the machine hits both; different addresses (the limit).
    for (let i = 0; i < 3; i++) {
      known.push(await timed(i === 0 ? 'ewa@example.pl' : `EWA@example.pl`));
      unknown.push(await timed(`nobody-${i}@example.pl`));
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[1]!;
    // The same order of magnitude: sending the mail (SMTP: hundreds of ms) is not in the answer.
    expect(median(known)).toBeLessThan(median(unknown) * 3 + 25);
    expect(median(unknown)).toBeLessThan(median(known) * 3 + 25);
  });

  it('signs in once: a second use of the link is refused as used', async () => {
    expect((await requestLink(a.id, 'ania@example.pl', 'en')).statusCode).toBe(202);
    const mail = await linkMailed(a.id, 'Ania@Example.pl', 1);
    expect(mail.subject).toBe('Sign in to the Palarnia Kawy loyalty programme');
    const first = await openSession(a.id, mail.token);
    expect(first.statusCode, first.body).toBe(201);
    const session = first.json() as { token: string; expiresAt: string };
    expect(session.expiresAt).toBe(new Date(clock.now().getTime() + 2 * 3600_000).toISOString());
    const me = await get(`${api(a.id)}/me`, session.token);
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().customer).toMatchObject({ id: 'ania', firstName: 'Ania' });
    const again = await openSession(a.id, mail.token);
    expect(again.statusCode).toBe(410);
    expect(again.json()).toMatchObject({
      type: '/problems/sign-in-link-used',
      detail: 'This sign-in link was already used. Ask for a new one.',
    });
    const forged = await openSession(a.id, `${mail.token.slice(0, -2)}xx`);
    expect(forged.statusCode).toBe(404);
  });

  it('refuses a link after 15 minutes, and takes it a moment before', async () => {
    expect((await requestLink(a.id, 'olek@example.pl')).statusCode).toBe(202);
    const late = await linkMailed(a.id, 'olek@example.pl', 1);
    later(15 * 60_000);
    const refused = await openSession(a.id, late.token);
    expect(refused.statusCode).toBe(410);
    expect(refused.json().type).toBe('/problems/sign-in-link-expired');

    expect((await requestLink(a.id, 'olek@example.pl')).statusCode).toBe(202);
    const inTime = await linkMailed(a.id, 'olek@example.pl', 2);
    later(15 * 60_000 - 1000);
    expect((await openSession(a.id, inTime.token)).statusCode).toBe(201);
  });

  it("never lets shop A's link or portal token into shop B", async () => {
    expect((await requestLink(a.id, 'ania@example.pl')).statusCode).toBe(202);
    const mail = await linkMailed(a.id, 'Ania@Example.pl', 2);
    const inB = await openSession(b.id, mail.token);
    expect(inB.statusCode).toBe(404);
    const session = await openSession(a.id, mail.token);
    expect(session.statusCode).toBe(201);
    const token = session.json().token as string;
    expect((await get(`${api(b.id)}/me`, token)).statusCode).toBe(401);
    expect((await get(`${api(b.id)}/me/export`, token)).statusCode).toBe(401);
    expect((await get(`${api(a.id)}/me`, token)).statusCode).toBe(200);
  });

  it('limits requests per e-mail address and per client address', async () => {
    const one = '192.0.2.10';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await post(
        `${api(a.id)}/portal/sign-in-links`,
        { email: 'limit@example.pl' },
        {},
        `192.0.2.${20 + i}`,
      );
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 429, 429]);
    const limited = await post(
      `${api(a.id)}/portal/sign-in-links`,
      { email: 'limit@example.pl' },
      {},
      one,
    );
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
  });

  it('refuses an address that is not an e-mail address', async () => {
    const res = await requestLink(a.id, 'not-an-address');
    expect(res.statusCode).toBe(400);
  });
});

describe("the customer's own data", () => {
  it("downloads the customer's data, and only theirs", async () => {
    const token = await signIn(a.id, 'bartek@example.pl', 2);
    const res = await get(`${api(a.id)}/me/export`, token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="palarnia-kawy-my-data-2026-12-07\.json"$/,
    );
    const data = res.json() as {
      customerId: string;
      data: Array<{ kind: string; purpose: string; records: Record<string, unknown[]> }>;
    };
    expect(data.customerId).toBe('bartek');
    const kinds = Object.fromEntries(data.data.map((k) => [k.kind, k]));
    expect(Object.keys(kinds)).toEqual(
      expect.arrayContaining(['profile', 'orders', 'points', 'consents', 'messages', 'referrals']),
    );
    expect(kinds.profile!.records.customers).toEqual([
      expect.objectContaining({ external_id: 'bartek', email: 'bartek@example.pl' }),
    ]);
    expect(kinds.orders!.records.orders).toEqual([
      expect.objectContaining({ external_id: 'o-bartek', total: 4500 }),
    ]);
    for (const kind of data.data) expect(kind.purpose.length).toBeGreaterThan(10);
    const text = res.body.toLowerCase();
    for (const other of ['ania@example.pl', 'o-ania', 'ewa@example.pl', 'o-b-ania', 'olek']) {
      expect(text).not.toContain(other);
    }
    expect(text).not.toContain(b.id);
    expect((await get(`${api(a.id)}/me/export`)).statusCode).toBe(401);
  });

  it('gives a link to the message preferences page', async () => {
    const token = await signIn(a.id, 'bartek@example.pl', 3);
    const res = await get(`${api(a.id)}/me/preferences-link`, token);
    expect(res.statusCode, res.body).toBe(200);
    const url = new URL(res.json().url);
    expect(url.origin).toBe('https://lojal.example.pl');
    const page = await t.app.inject({ method: 'GET', url: url.pathname });
    expect(page.statusCode).toBe(200);
  });

  it("takes a deletion only from a portal sign-in, not from the shop's widget token", async () => {
    const secret = await storefrontSecret(t, a);
    const widget = await customerToken(secret, 'bartek', { now: clock.now() });
    const res = await post(
      `${api(a.id)}/me/erasure`,
      { confirm: true },
      { authorization: `Bearer ${widget}` },
    );
    expect(res.statusCode).toBe(403);
    expect(res.json().type).toBe('/problems/portal-sign-in-required');
    // The widget token may still download the customer's data.
    expect((await get(`${api(a.id)}/me/export`, widget)).statusCode).toBe(200);
  });

  it('deletes the account after confirmation; the portal token then stops working', async () => {
    const token = await signIn(a.id, 'ewa@example.pl', 4);
    const unconfirmed = await post(
      `${api(a.id)}/me/erasure`,
      {},
      { authorization: `Bearer ${token}` },
    );
    expect(unconfirmed.statusCode).toBe(400);
    const res = await post(
      `${api(a.id)}/me/erasure`,
      { confirm: true },
      { authorization: `Bearer ${token}`, 'idempotency-key': 'erase-ewa' },
    );
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ id: expect.any(String), status: 'accepted' });
    await t.processor.drain();
    const row = await t.db
      .selectFrom('customers')
      .select(['email', 'redacted_at'])
      .where('shop_id', '=', a.id)
      .where('external_id', '=', 'ewa')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ email: null, redacted_at: expect.any(Date) });
    expect((await get(`${api(a.id)}/me`, token)).statusCode).toBe(401);
    expect((await get(`${api(a.id)}/me/export`, token)).statusCode).toBe(401);
    // An erased customer gets no more sign-in mail, and the answer stays the same.
    const before = (await mailsTo(a.id, 'ewa@example.pl')).length;
    later(16 * 60_000); // a new window of the per-address limit
    expect((await requestLink(a.id, 'ewa@example.pl')).statusCode).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await mailsTo(a.id, 'ewa@example.pl')).length).toBe(before);
  });
});
