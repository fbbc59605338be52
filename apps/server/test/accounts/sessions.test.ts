import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  createTestShop,
  expectProblem,
  fixedClock,
  type TestApp,
} from '../support/app.ts';
import {
  ORIGIN,
  PASSWORD,
  asMember,
  cookieFrom,
  createMember,
  signIn,
} from '../support/accounts.ts';

const clock = fixedClock('2026-12-06T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let owner: Awaited<ReturnType<typeof createMember>>;

beforeAll(async () => {
  t = await createTestApp({ clock, config: { loginRateLimit: 5, loginRateLimitPerAddress: 1000 } });
  shop = await createTestShop(t);
  owner = await createMember(t, shop.id, 'owner', 'wlasciciel@example.pl');
});
afterAll(() => t.close());

function logIn(email: string, password: string, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/v1/session',
    headers,
    payload: { email, password },
  });
}

describe('POST /v1/session', () => {
  it('signs in with the right password: the user, their shops with roles, and the cookie', async () => {
    const res = await logIn('Wlasciciel@Example.pl', PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      user: { id: owner.userId, email: 'wlasciciel@example.pl', name: 'Test owner' },
      shops: [{ id: shop.id, name: shop.name, role: 'owner' }],
    });
    expect(cookieFrom(res)).toMatch(/^lojal_session=lojal_ses_[\w-]{43}$/);
  });

  it('sets the cookie HttpOnly, SameSite=Lax, Path=/, without Secure on http', async () => {
    const cookie = String((await logIn(owner.email, PASSWORD)).headers['set-cookie']);
    expect(cookie).toContain('; HttpOnly');
    expect(cookie).toContain('; SameSite=Lax');
    expect(cookie).toContain('; Path=/');
    expect(cookie).not.toContain('Secure');
  });

  it('marks the cookie Secure when the public URL is https', async () => {
    const https = await createTestApp({
      clock,
      config: { publicUrl: 'https://lojal.example.pl' },
    });
    try {
      const s = await createTestShop(https);
      const m = await createMember(https, s.id, 'analyst');
      const res = await https.app.inject({
        method: 'POST',
        url: '/v1/session',
        payload: { email: m.email, password: m.password },
      });
      expect(String(res.headers['set-cookie'])).toMatch(/; Secure$/);
    } finally {
      await https.close();
    }
  });

  it('answers a wrong password and an unknown e-mail with the same 401, in similar time', async () => {
    const timed = async (email: string) => {
      const started = performance.now();
      const res = await logIn(email, 'not the password at all');
      return { res, ms: performance.now() - started };
    };
    const fresh = await createMember(t, shop.id, 'support');
    const wrong = await timed(fresh.email);
    const unknown = await timed('nobody-here@example.pl');
    expectProblem(wrong.res, 401);
    expectProblem(unknown.res, 401);
    expect(unknown.res.body).toBe(wrong.res.body);
    // Both ran one argon2 verification: the unknown address is not answered much faster.
    expect(unknown.ms).toBeGreaterThan(wrong.ms / 4);
  });

  it('issues a new session at sign-in: a cookie planted before is not the one after, and ends', async () => {
    const planted = await signIn(t, owner.email);
    const res = await logIn(owner.email, PASSWORD, { cookie: planted });
    const after = cookieFrom(res);
    expect(after).not.toBe(planted);
    const me = (cookie: string) =>
      t.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie } });
    expect((await me(after)).statusCode).toBe(200);
    expectProblem(await me(planted), 401);
  });

  it('refuses a sign-in posted from another site (login CSRF)', async () => {
    const res = await logIn(owner.email, PASSWORD, { origin: 'https://evil.example' });
    expectProblem(res, 403);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('session cookie on shop routes', () => {
  it('reads the shop named by Lojal-Shop', async () => {
    const cookie = await signIn(t, owner.email);
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/shop',
      headers: asMember(cookie, shop.id),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(shop.id);
  });

  it('answers 404 without Lojal-Shop, and 401 without a valid cookie', async () => {
    const cookie = await signIn(t, owner.email);
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/shop', headers: { cookie } }), 404);
    expectProblem(
      await t.app.inject({
        method: 'GET',
        url: '/v1/shop',
        headers: asMember('lojal_session=lojal_ses_forged', shop.id),
      }),
      401,
    );
  });

  it('refuses a cookie write from a foreign Origin, or none, with 403, and changes nothing', async () => {
    const cookie = await signIn(t, owner.email);
    const before = await t.db
      .selectFrom('rewards')
      .select('id')
      .where('shop_id', '=', shop.id)
      .execute();
    const reward = { name: { pl: 'Kubek', en: 'Mug' }, pointsCost: 100, kind: 'custom_perk' };
    for (const headers of [
      asMember(cookie, shop.id, 'https://evil.example'),
      { cookie, 'lojal-shop': shop.id },
      asMember(cookie, shop.id, 'http://localhost:3000.evil.example'),
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/rewards',
        headers,
        payload: reward,
      });
      expectProblem(res, 403);
      expect(res.json().type).toBe('/problems/cross-origin');
    }
    const after = await t.db
      .selectFrom('rewards')
      .select('id')
      .where('shop_id', '=', shop.id)
      .execute();
    expect(after).toEqual(before);
  });

  it('lets an API key write without an Origin, as before', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: bearer(shop.apiKey),
      payload: { label: 'no origin needed' },
    });
    expect(res.statusCode).toBe(201);
  });
});

describe('session lifetime', () => {
  it('ends after the idle time without use, and after the absolute time even in use', async () => {
    clock.set('2026-12-06T10:00:00Z');
    const cookie = await signIn(t, owner.email);
    const me = () => t.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie } });
    // Used every 11 hours: never idle for 12, but 7 days after sign-in it ends anyway.
    for (let hours = 11; hours < 7 * 24; hours += 11) {
      clock.set(new Date(Date.parse('2026-12-06T10:00:00Z') + hours * 3_600_000));
      expect((await me()).statusCode, `after ${hours} h`).toBe(200);
    }
    clock.set(new Date(Date.parse('2026-12-06T10:00:00Z') + 7 * 24 * 3_600_000));
    expectProblem(await me(), 401);

    clock.set('2026-12-20T10:00:00Z');
    const idle = await signIn(t, owner.email);
    clock.set('2026-12-20T22:00:01Z');
    expectProblem(
      await t.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: idle } }),
      401,
    );
    clock.set('2026-12-06T10:00:00Z');
  });

  it('DELETE /v1/session ends every session of the person, in every browser', async () => {
    const laptop = await signIn(t, owner.email);
    const phone = await signIn(t, owner.email);
    const res = await t.app.inject({
      method: 'DELETE',
      url: '/v1/session',
      headers: { cookie: laptop, origin: ORIGIN },
    });
    expect(res.statusCode).toBe(204);
    expect(String(res.headers['set-cookie'])).toMatch(/^lojal_session=; .*Max-Age=0/);
    for (const cookie of [laptop, phone]) {
      expectProblem(await t.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie } }), 401);
    }
  });
});

describe('sign-in throttling', () => {
  it('answers 429 with Retry-After after too many failures for one account, even with the right password', async () => {
    const target = await createMember(t, shop.id, 'marketer');
    for (let i = 0; i < 5; i++)
      expectProblem(await logIn(target.email, `wrong-${i}-password`), 401);
    const res = await logIn(target.email, PASSWORD);
    expectProblem(res, 429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    // Another account from the same address still signs in.
    expect((await logIn(owner.email, PASSWORD)).statusCode).toBe(200);
    // The window passes: the right password works again.
    clock.set(new Date(clock.now().getTime() + 15 * 60_000));
    expect((await logIn(target.email, PASSWORD)).statusCode).toBe(200);
    clock.set('2026-12-06T10:00:00Z');
  });

  it('answers 429 after too many failures from one address, across accounts', async () => {
    const strict = await createTestApp({
      clock,
      config: { loginRateLimit: 100, loginRateLimitPerAddress: 3 },
    });
    try {
      const s = await createTestShop(strict);
      const m = await createMember(strict, s.id, 'owner');
      const attempt = (email: string, password: string) =>
        strict.app.inject({ method: 'POST', url: '/v1/session', payload: { email, password } });
      for (const email of ['a@example.pl', 'b@example.pl', 'c@example.pl']) {
        expectProblem(await attempt(email, 'wrong password!'), 401);
      }
      const res = await attempt(m.email, m.password);
      expectProblem(res, 429);
      expect(res.headers['retry-after']).toBeDefined();
    } finally {
      await strict.close();
    }
  });
});

describe('GET /v1/me', () => {
  it('shows the person and their shops', async () => {
    const cookie = await signIn(t, owner.email);
    const res = await t.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie } });
    expect(res.json()).toEqual({
      user: { id: owner.userId, email: owner.email, name: 'Test owner', twoFactor: false },
      shops: [{ id: shop.id, name: shop.name, role: 'owner' }],
    });
  });
});
