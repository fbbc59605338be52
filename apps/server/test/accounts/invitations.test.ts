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
  asMember,
  base32Decode,
  cookieFrom,
  createMember,
  linkTokenFor,
  signIn,
} from '../support/accounts.ts';
import { totpCode } from '../../src/accounts/totp.ts';

const clock = fixedClock('2026-12-06T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let owner: Awaited<ReturnType<typeof createMember>>;
let ownerCookie: string;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Kawiarnia Ziutki');
  owner = await createMember(t, shop.id, 'owner', 'ziutka@example.pl');
  ownerCookie = await signIn(t, owner.email);
});
afterAll(() => t.close());

function invite(
  email: string,
  role: string,
  headers: Record<string, string> = asMember(ownerCookie, shop.id),
) {
  return t.app.inject({
    method: 'POST',
    url: '/v1/team/invitations',
    headers,
    payload: { email, role },
  });
}

function accept(token: string, body: object = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/v1/invitations/accept',
    payload: { token, password: 'nowe hasło 123', name: 'Marta', ...body },
  });
}

describe('invitations', () => {
  it('mails a one-use link in the shop language; accepting creates the login, joins and signs in', async () => {
    const res = await invite('Marta@Example.pl', 'marketer');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      email: 'marta@example.pl',
      role: 'marketer',
      status: 'pending',
    });
    const mail = await t.db
      .selectFrom('account_mail')
      .select(['subject', 'raw'])
      .where('to_address', '=', 'marta@example.pl')
      .executeTakeFirstOrThrow();
    expect(mail.subject).toBe('Zaproszenie do zespołu sklepu Kawiarnia Ziutki');
    const token = await linkTokenFor(t, 'marta@example.pl');

    const accepted = await accept(token);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().shops).toEqual([{ id: shop.id, name: shop.name, role: 'marketer' }]);
    const cookie = cookieFrom(accepted);
    const rewards = await t.app.inject({
      method: 'GET',
      url: '/v1/rewards',
      headers: asMember(cookie, shop.id),
    });
    expect(rewards.statusCode).toBe(200);

    // Used once: the same link again is refused, and adds no one.
    expectProblem(await accept(token, { name: 'Ktoś inny' }), 410);
    const members = await t.app.inject({
      method: 'GET',
      url: '/v1/team/members',
      headers: asMember(ownerCookie, shop.id),
    });
    expect(
      members.json().data.filter((m: { email: string }) => m.email === 'marta@example.pl'),
    ).toHaveLength(1);
  });

  it('stops working after 7 days (the injected clock)', async () => {
    clock.set('2026-12-06T10:00:00Z');
    await invite('spozniony@example.pl', 'analyst');
    const token = await linkTokenFor(t, 'spozniony@example.pl');
    clock.set('2026-12-13T10:00:01Z');
    expectProblem(await accept(token), 410);
    clock.set('2026-12-06T10:00:00Z');
    // The same link within its 7 days works.
    expect((await accept(token)).statusCode).toBe(200);
  });

  it('refuses a forged or tampered link', async () => {
    await invite('ktos@example.pl', 'support');
    const token = await linkTokenFor(t, 'ktos@example.pl');
    const [body, mac] = token.split('.');
    expectProblem(await accept(`${body}.${mac!.slice(0, -2)}xx`), 410);
    expectProblem(await accept('bm90LWEtdG9rZW4.abc'), 410);
  });

  it('asks someone who has a login for their password, then adds the shop to it', async () => {
    const second = await createTestShop(t, 'Drugi Sklep');
    const secondOwner = await createMember(t, second.id, 'owner');
    const secondCookie = await signIn(t, secondOwner.email);
    expect(
      (await invite(owner.email, 'analyst', asMember(secondCookie, second.id))).statusCode,
    ).toBe(201);
    const token = await linkTokenFor(t, owner.email);
    expectProblem(await accept(token, { password: 'not my password' }), 401);
    const ok = await accept(token, { password: owner.password });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().shops.map((s: { id: string; role: string }) => [s.id, s.role])).toEqual([
      [shop.id, 'owner'],
      [second.id, 'analyst'],
    ]);
  });

  it('lets only owners invite owners, refuses a member twice, and can be withdrawn', async () => {
    const admin = await createMember(t, shop.id, 'admin');
    const adminCookie = await signIn(t, admin.email);
    expectProblem(await invite('szef@example.pl', 'owner', asMember(adminCookie, shop.id)), 403);
    expectProblem(await invite(admin.email, 'analyst'), 409);
    const pending = await invite('wycofany@example.pl', 'analyst', bearer(shop.apiKey));
    expect(pending.statusCode).toBe(201);
    const token = await linkTokenFor(t, 'wycofany@example.pl');
    const withdrawn = await t.app.inject({
      method: 'DELETE',
      url: `/v1/team/invitations/${pending.json().id}`,
      headers: asMember(ownerCookie, shop.id),
    });
    expect(withdrawn.statusCode).toBe(204);
    expectProblem(await accept(token), 410);
  });

  it('a member may leave a shop themselves; the last owner may not', async () => {
    const leaving = await createMember(t, shop.id, 'analyst');
    const cookie = await signIn(t, leaving.email);
    const leave = (c: string) =>
      t.app.inject({
        method: 'DELETE',
        url: `/v1/me/shops/${shop.id}`,
        headers: { cookie: c, origin: ORIGIN },
      });
    expect((await leave(cookie)).statusCode).toBe(204);
    expectProblem(
      await t.app.inject({ method: 'GET', url: '/v1/shop', headers: asMember(cookie, shop.id) }),
      404,
    );
    expectProblem(await leave(ownerCookie), 409);
  });
});

describe('password reset', () => {
  it('mails a one-use link; the new password works, the old one and every session end', async () => {
    const person = await createMember(t, shop.id, 'support', 'zapominalska@example.pl');
    const oldSession = await signIn(t, person.email);
    const asked = await t.app.inject({
      method: 'POST',
      url: '/v1/password-resets',
      payload: { email: person.email, locale: 'en' },
    });
    expect(asked.statusCode).toBe(202);
    const token = await linkTokenFor(t, person.email);
    const subject = await t.db
      .selectFrom('account_mail')
      .select('subject')
      .where('to_address', '=', person.email)
      .executeTakeFirstOrThrow();
    expect(subject.subject).toBe('Set a new Lojal password');

    const done = await t.app.inject({
      method: 'POST',
      url: '/v1/password-resets/complete',
      payload: { token, password: 'zupełnie nowe hasło' },
    });
    expect(done.statusCode, done.body).toBe(204);
    expectProblem(
      await t.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: oldSession } }),
      401,
    );
    expectProblem(
      await t.app.inject({
        method: 'POST',
        url: '/v1/session',
        payload: { email: person.email, password: person.password },
      }),
      401,
    );
    expect(await signIn(t, person.email, 'zupełnie nowe hasło')).toMatch(/^lojal_session=/);
    // Once only.
    const again = await t.app.inject({
      method: 'POST',
      url: '/v1/password-resets/complete',
      payload: { token, password: 'jeszcze inne hasło' },
    });
    expectProblem(again, 410);
  });

  it('answers an unknown address the same 202 and mails nothing', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/password-resets',
      payload: { email: 'nikt@example.pl' },
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ status: 'sent-if-known' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const mail = await t.db
      .selectFrom('account_mail')
      .select('id')
      .where('to_address', '=', 'nikt@example.pl')
      .execute();
    expect(mail).toEqual([]);
  });

  it('expires after an hour', async () => {
    const person = await createMember(t, shop.id, 'analyst');
    clock.set('2026-12-06T10:00:00Z');
    await t.app.inject({
      method: 'POST',
      url: '/v1/password-resets',
      payload: { email: person.email },
    });
    const token = await linkTokenFor(t, person.email);
    clock.set('2026-12-06T11:00:01Z');
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/password-resets/complete',
      payload: { token, password: 'spóźnione hasło' },
    });
    expectProblem(res, 410);
    clock.set('2026-12-06T10:00:00Z');
  });

  it('is limited per e-mail: 429 with Retry-After', async () => {
    const person = await createMember(t, shop.id, 'analyst');
    let last;
    for (let i = 0; i <= t.config.loginRateLimit; i++) {
      last = await t.app.inject({
        method: 'POST',
        url: '/v1/password-resets',
        payload: { email: person.email },
      });
    }
    expectProblem(last!, 429);
    expect(last!.headers['retry-after']).toBeDefined();
  });
});

describe('TOTP second factor', () => {
  it('an owner enrols, confirms with a code, and then signs in only with a current code', async () => {
    const boss = await createMember(t, shop.id, 'owner');
    const cookie = await signIn(t, boss.email);
    const me = { cookie, origin: ORIGIN };
    const enrol = await t.app.inject({ method: 'POST', url: '/v1/me/totp', headers: me });
    expect(enrol.statusCode, enrol.body).toBe(201);
    const { secret, uri } = enrol.json();
    expect(uri).toContain(`secret=${secret}`);
    const key = base32Decode(secret);

    // Not required until confirmed.
    expect(await signIn(t, boss.email)).toMatch(/^lojal_session=/);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/v1/me/totp/confirm',
      headers: me,
      payload: { otp: '000000' },
    });
    expectProblem(wrong, 400);
    const confirm = await t.app.inject({
      method: 'POST',
      url: '/v1/me/totp/confirm',
      headers: me,
      payload: { otp: totpCode(key, clock.now()) },
    });
    expect(confirm.statusCode, confirm.body).toBe(204);

    const login = (otp?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/session',
        payload: { email: boss.email, password: boss.password, ...(otp && { otp }) },
      });
    const without = await login();
    expectProblem(without, 401);
    expect(without.json().type).toBe('/problems/otp-required');
    const stale = await login(totpCode(key, new Date(clock.now().getTime() - 90_000)));
    expect(stale.json().type).toBe('/problems/otp-invalid');
    expect((await login(totpCode(key, clock.now()))).statusCode).toBe(200);
    expect((await login(totpCode(key, new Date(clock.now().getTime() + 30_000)))).statusCode).toBe(
      200,
    );

    const off = await t.app.inject({
      method: 'DELETE',
      url: '/v1/me/totp',
      headers: me,
      payload: { otp: totpCode(key, clock.now()) },
    });
    expect(off.statusCode).toBe(204);
    expect((await login()).statusCode).toBe(200);
  });

  it('is for owners and admins', async () => {
    const analyst = await createMember(t, shop.id, 'analyst');
    const cookie = await signIn(t, analyst.email);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/me/totp',
      headers: { cookie, origin: ORIGIN },
    });
    expectProblem(res, 403);
  });
});
