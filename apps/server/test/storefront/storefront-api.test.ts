import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, ledger } from '../points/support.ts';
import { customerToken, storefrontSecret } from '../support/storefront.ts';
import { signPortalToken } from '../../src/storefront/portal-token.ts';

const clock = fixedClock('2026-05-04T10:00:00Z');
const SHOP_ORIGIN = 'https://sklep-ziutki.pl';
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let other: Awaited<ReturnType<typeof createTestShop>>;
let secret: string;
let otherSecret: string;

const now = () => clock.now();
const nowS = () => Math.floor(clock.now().getTime() / 1000);
const me = (shopId: string, token: string | null, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'GET',
    url: `/storefront/v1/shops/${shopId}/me`,
    headers: { ...(token && { authorization: `Bearer ${token}` }), ...headers },
  });
const redeem = (token: string, rewardId: string, key: string) =>
  t.app.inject({
    method: 'POST',
    url: `/storefront/v1/shops/${shop.id}/me/redemptions`,
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
    payload: { rewardId },
  });

async function grant(customerId: string, pts: number) {
  const res = await call(t, shop, 'POST', `/v1/customers/${customerId}/adjustments`, {
    points: pts,
    reason: 'test',
  });
  expect(res.statusCode, res.body).toBe(201);
}

async function firstReward(): Promise<{ id: string; pointsCost: number }> {
  const res = await call(t, shop, 'GET', '/v1/rewards');
  return (res.json() as Array<{ id: string; pointsCost: number }>)[0]!;
}

beforeAll(async () => {
  t = await createTestApp({ clock, config: { publicUrl: 'https://lojal.example' } });
  shop = await createTestShop(t, 'Sklep Ziutki');
  other = await createTestShop(t, 'Inny Sklep');
  const settings = await call(t, shop, 'PATCH' as 'PUT', '/v1/shop', {
    storefrontOrigins: [SHOP_ORIGIN, 'http://localhost:8080'],
    storefrontUrl: 'https://sklep-ziutki.myshopify.com',
  });
  expect(settings.statusCode, settings.body).toBe(200);
  secret = await storefrontSecret(t, shop);
  otherSecret = await storefrontSecret(t, other);
  const created = await call(t, shop, 'POST', '/v1/events', {
    type: 'customer.created',
    id: 'c-anna',
    data: { id: 'anna', firstName: 'Anna', email: 'anna@example.com' },
  });
  expect(created.statusCode).toBe(202);
  await t.processor.drain();
});
afterAll(() => t.close());

describe('the storefront secret', () => {
  it('is shown once, and a rotation keeps the previous one working for an hour only', async () => {
    const old = await customerToken(secret, 'anna', { now: now() });
    const rotated = await storefrontSecret(t, shop);
    expect(rotated).not.toBe(secret);
    expect((await me(shop.id, old)).statusCode).toBe(200);
    expect(
      (await me(shop.id, await customerToken(rotated, 'anna', { now: now() }))).statusCode,
    ).toBe(200);
    clock.set('2026-05-04T11:00:01Z');
    const later = await me(shop.id, await customerToken(secret, 'anna', { now: now() }));
    expect(later.statusCode).toBe(401);
    expect(later.json().detail).toMatch(/signature/);
    clock.set('2026-05-04T10:00:00Z');
    secret = rotated;
  });
});

describe('customer tokens', () => {
  it('refuses a missing, expired, tampered, too long, wrongly signed or other shop’s token', async () => {
    const cases: Array<[string, string | null, RegExp]> = [
      ['missing', null, /Bearer <customer token>/],
      ['not a JWT', 'abc.def', /not a JWT/],
      [
        'expired',
        await customerToken(secret, 'anna', { now: now(), iat: 1_777_000_000, exp: 1_777_003_600 }),
        /expired/,
      ],
      [
        'longer than a day',
        await customerToken(secret, 'anna', {
          now: now(),
          exp: Math.floor(now().getTime() / 1000) + 25 * 3600,
        }),
        /24 hours/,
      ],
      ['another shop’s', await customerToken(otherSecret, 'anna', { now: now() }), /signature/],
      [
        'issued in a month',
        await customerToken(secret, 'anna', { now: now(), iat: nowS() + 30 * 86_400 }),
        /not valid yet/,
      ],
      [
        'issued in twenty years to live ten',
        await customerToken(secret, 'anna', {
          now: now(),
          iat: nowS() + 20 * 365 * 86_400,
          exp: nowS() + 10 * 365 * 86_400,
        }),
        /not valid yet|24 hours/,
      ],
      ['HS512', await customerToken(secret, 'anna', { now: now(), alg: 'HS512' }), /HS256/],
    ];
    const good = await customerToken(secret, 'anna', { now: now() });
    const [head, body, sig] = good.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'bob', iat: 1, exp: 2 })).toString(
      'base64url',
    );
    cases.push(['tampered', `${head}.${forged}.${sig}`, /signature/]);
    // Change the signature's first character: it carries six whole bits, where the last one has
    // padding bits a decoder ignores, so a change there could leave the bytes the same.
    const other0 = sig![0] === 'A' ? 'B' : 'A';
    cases.push(['tampered signature', `${head}.${body}.${other0}${sig!.slice(1)}`, /signature/]);
    for (const [name, token, detail] of cases) {
      const res = await me(shop.id, token);
      expect(res.statusCode, name).toBe(401);
      expect(res.headers['content-type'], name).toMatch(/problem\+json/);
      expect(res.json().detail, name).toMatch(detail);
    }
    // The same token is fine for its own shop, and shop B does not take shop A's.
    expect((await me(shop.id, good)).statusCode).toBe(200);
    const b = await me(other.id, good);
    expect(b.statusCode).toBe(401);
  });

  it('a token for an unknown customer creates the customer once', async () => {
    const token = await customerToken(secret, 'zofia', {
      now: now(),
      firstName: 'Zofia',
      email: 'zofia@example.com',
    });
    const [first, second] = await Promise.all([me(shop.id, token), me(shop.id, token)]);
    for (const res of [first, second]) {
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().customer).toEqual({ id: 'zofia', firstName: 'Zofia', joining: true });
      expect(res.json().points.available).toBe(0);
    }
    await t.processor.drain();
    const events = await t.db
      .selectFrom('inbound_events')
      .select('id')
      .where('shop_id', '=', shop.id)
      .where('delivery_id', '=', 'customer.created:storefront:zofia')
      .execute();
    expect(events).toHaveLength(1);
    const after = await me(shop.id, token);
    expect(after.json().customer).toEqual({ id: 'zofia', firstName: 'Zofia', joining: false });
    expect(after.json().referral.link).toMatch(/^https:\/\/lojal\.example\/r\/sklep-ziutki\//);
    const admin = await call(t, shop, 'GET', '/v1/customers/zofia');
    expect(admin.json().email).toBe('zofia@example.com');
  });
});

describe('GET programme', () => {
  it('tells a guest how to earn, in Polish and English', async () => {
    const pl = await t.app.inject({
      method: 'GET',
      url: `/storefront/v1/shops/${shop.id}/programme`,
      headers: { 'accept-language': 'pl-PL,pl;q=0.9' },
    });
    expect(pl.statusCode, pl.body).toBe(200);
    expect(pl.json().earn.map((e: { text: string }) => e.text)).toContain(
      '1 punkt za każde wydane 1\u00a0zł',
    );
    expect(pl.json().rewards.length).toBeGreaterThan(0);
    const en = await t.app.inject({
      method: 'GET',
      url: `/storefront/v1/shops/${shop.id}/programme?locale=en`,
    });
    expect(en.json().locale).toBe('en');
    expect(en.json().earn[0].text).toMatch(/^1 point for every .*1 spent$/);
  });

  it('is 404 for a shop that does not exist', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/storefront/v1/shops/shp_nope/programme',
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('GET me and redemptions', () => {
  it('shows the balance, the rewards the customer can take and the referral link', async () => {
    await grant('anna', 1200);
    const reward = await firstReward();
    const res = await me(shop.id, await customerToken(secret, 'anna', { now: now() }));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.customer).toEqual({ id: 'anna', firstName: 'Anna', joining: false });
    expect(body.points.available).toBe(1200);
    const listed = body.rewards.find((r: { id: string }) => r.id === reward.id);
    expect(listed.available).toBe(reward.pointsCost <= 1200);
    expect(body.referral.code).toMatch(/^ANNA/);
    expect(body.referral.share.map((s: { channel: string }) => s.channel)).toContain('whatsapp');
  });

  it('a double click redeems once; concurrent redemptions never spend more than the balance', async () => {
    const reward = await firstReward();
    const token = await customerToken(secret, 'anna', { now: now() });
    const [a, b] = await Promise.all([
      redeem(token, reward.id, 'click-1'),
      redeem(token, reward.id, 'click-1'),
    ]);
    const statuses = [a.statusCode, b.statusCode].sort();
    // The second is either the replay of the first or told the first is still running.
    expect(statuses[0]).toBe(201);
    expect([201, 409]).toContain(statuses[1]);
    const ok = [a, b].find((r) => r.statusCode === 201)!;
    expect(ok.json().coupon.code).toMatch(/^[A-Z0-9]/);
    expect(ok.json().coupon.applyUrl).toBe(
      `https://sklep-ziutki.myshopify.com/discount/${ok.json().coupon.code}`,
    );
    const replay = await redeem(token, reward.id, 'click-1');
    expect(replay.statusCode).toBe(201);
    expect(replay.json().id).toBe(ok.json().id);
    const redemptions = (await ledger(t, shop, 'anna')).filter((e) => e.kind === 'redeem');
    expect(redemptions).toHaveLength(1);

    // What is left buys at most floor(left / cost) more, however many are sent at once.
    const left = 1200 - reward.pointsCost;
    const tries = await Promise.all(
      Array.from({ length: 6 }, (_, i) => redeem(token, reward.id, `burst-${i}`)),
    );
    const won = tries.filter((r) => r.statusCode === 201).length;
    expect(won).toBe(Math.floor(left / reward.pointsCost));
    for (const r of tries.filter((x) => x.statusCode !== 201)) {
      expect(r.statusCode).toBe(422);
      expect(r.json().type).toMatch(/insufficient-points/);
    }
    const after = await me(shop.id, token);
    expect(after.json().points.available).toBe(left - won * reward.pointsCost);
    expect(after.json().points.available).toBeGreaterThanOrEqual(0);
  });

  it("keeps two shoppers' Idempotency-Keys apart", async () => {
    await call(t, shop, 'POST', '/v1/events', {
      type: 'customer.created',
      id: 'c-ola',
      data: { id: 'ola', firstName: 'Ola' },
    });
    await t.processor.drain();
    await grant('ola', 1000);
    await grant('anna', 1000);
    const reward = await firstReward();
    const anna = await redeem(
      await customerToken(secret, 'anna', { now: now() }),
      reward.id,
      'same',
    );
    const ola = await redeem(await customerToken(secret, 'ola', { now: now() }), reward.id, 'same');
    expect(anna.statusCode, anna.body).toBe(201);
    expect(ola.statusCode, ola.body).toBe(201);
    expect(ola.json().id).not.toBe(anna.json().id);
    expect(ola.headers['idempotent-replayed']).toBeUndefined();
  });

  it('writes the history in words and shows the stamp QR as an SVG', async () => {
    const token = await customerToken(secret, 'anna', { now: now() });
    const history = await t.app.inject({
      method: 'GET',
      url: `/storefront/v1/shops/${shop.id}/me/history?locale=pl`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(history.statusCode, history.body).toBe(200);
    const texts = history.json().data.map((e: { text: string }) => e.text);
    expect(texts).toContain('Punkty od sklepu');
    expect(texts.some((x: string) => x.startsWith('Nagroda: '))).toBe(true);
    const qr = await t.app.inject({
      method: 'GET',
      url: `/storefront/v1/shops/${shop.id}/me/stamp-qr`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(qr.statusCode, qr.body).toBe(200);
    expect(qr.json().svg).toMatch(/^<svg[^>]*viewBox/);
    expect(qr.json().payload).not.toContain('anna');
  });
});

describe('CORS', () => {
  it("answers the shop's own origins only, also on errors", async () => {
    const allowed = await me(shop.id, null, { origin: SHOP_ORIGIN });
    expect(allowed.statusCode).toBe(401);
    expect(allowed.headers['access-control-allow-origin']).toBe(SHOP_ORIGIN);
    const storefront = await me(shop.id, null, { origin: 'https://sklep-ziutki.myshopify.com' });
    expect(storefront.headers['access-control-allow-origin']).toBe(
      'https://sklep-ziutki.myshopify.com',
    );
    const foreign = await me(shop.id, null, { origin: 'https://evil.example' });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const otherShop = await me(other.id, null, { origin: SHOP_ORIGIN });
    expect(otherShop.headers['access-control-allow-origin']).toBeUndefined();

    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: `/storefront/v1/shops/${shop.id}/me/redemptions`,
      headers: {
        origin: SHOP_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, idempotency-key, content-type',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(SHOP_ORIGIN);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/idempotency-key/);
    const refused = await t.app.inject({
      method: 'OPTIONS',
      url: `/storefront/v1/shops/${shop.id}/me`,
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses an origin that is not just an origin, or plain http on a public host', async () => {
    const res = await call(t, shop, 'PATCH' as 'PUT', '/v1/shop', {
      storefrontOrigins: ['https://sklep.pl/koszyk', 'http://sklep.pl'],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'storefrontOrigins.0',
      'storefrontOrigins.1',
    ]);
  });
});

describe('other ways to say who the shopper is', () => {
  function proxied(params: Record<string, string>, key: string) {
    const message = Object.keys(params)
      .map((k) => `${k}=${params[k]}`)
      .sort()
      .join('');
    const signature = createHmac('sha256', key).update(message).digest('hex');
    return new URLSearchParams({ ...params, signature }).toString();
  }

  it("takes Shopify's App Proxy signature, made with the shop's webhook secret", async () => {
    // "page2=…" sorts before "page=…" when the joined strings are sorted, as Shopify does.
    const params = {
      page: '1',
      page2: 'x',
      shop: 'sklep-ziutki.myshopify.com',
      logged_in_customer_id: 'anna',
      path_prefix: '/apps/lojal',
      timestamp: String(Math.floor(now().getTime() / 1000)),
    };
    const ok = await t.app.inject({
      method: 'GET',
      url: `/storefront/v1/shops/${shop.id}/me?${proxied(params, shop.webhookSecret)}`,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().customer.id).toBe('anna');
    const forged = await t.app.inject({
      method: 'GET',
      url: `/storefront/v1/shops/${shop.id}/me?${proxied({ ...params, logged_in_customer_id: 'ola' }, 'guess')}`,
    });
    expect(forged.statusCode).toBe(401);
    const stale = await t.app.inject({
      method: 'GET',
      url: `/storefront/v1/shops/${shop.id}/me?${proxied({ ...params, timestamp: '1600000000' }, shop.webhookSecret)}`,
    });
    expect(stale.statusCode).toBe(401);
  });

  it("takes the portal's own token for its shop only", async () => {
    const portal = await signPortalToken(t.box, {
      shopId: shop.id,
      externalId: 'anna',
      now: now(),
      ttlSeconds: 3600,
    });
    expect((await me(shop.id, portal.token)).statusCode).toBe(200);
    expect((await me(other.id, portal.token)).statusCode).toBe(401);
  });
});

describe('guards a shopper’s account', () => {
  it('a redemption needs an Idempotency-Key', async () => {
    const reward = await firstReward();
    const res = await t.app.inject({
      method: 'POST',
      url: `/storefront/v1/shops/${shop.id}/me/redemptions`,
      headers: { authorization: `Bearer ${await customerToken(secret, 'anna', { now: now() })}` },
      payload: { rewardId: reward.id },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('headers.idempotency-key');
  });

  it('the programme still answers a guest whose page carries an expired token', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/storefront/v1/shops/${shop.id}/programme`,
      headers: {
        authorization: `Bearer ${await customerToken(secret, 'anna', { now: now(), iat: 1_777_000_000, exp: 1_777_003_600 })}`,
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBeUndefined();
  });

  it('an erased customer’s token no longer redeems or reads', async () => {
    await call(t, shop, 'POST', '/v1/events', {
      type: 'customer.created',
      id: 'c-ewa',
      data: { id: 'ewa', firstName: 'Ewa' },
    });
    await t.processor.drain();
    await grant('ewa', 2000);
    const token = await customerToken(secret, 'ewa', { now: now() });
    const before = await me(shop.id, token);
    expect(before.statusCode).toBe(200);
    expect(before.headers['cache-control']).toBe('private, no-store');
    const erased = await call(t, shop, 'POST', '/v1/customers/ewa/erasure', { reason: 'RODO' });
    expect(erased.statusCode, erased.body).toBe(202);
    await t.processor.drain();
    const reward = await firstReward();
    expect((await redeem(token, reward.id, 'after-erasure')).statusCode).toBe(404);
    expect((await me(shop.id, token)).statusCode).toBe(404);
    const history = await t.app.inject({
      method: 'GET',
      url: `/storefront/v1/shops/${shop.id}/me/history`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(history.statusCode).toBe(404);
  });
});
