import type { Db } from '../../src/db/connect.ts';
import type { Clock } from '../../src/shared/clock.ts';
import type { MemberRole } from '../../src/accounts/roles.ts';
import { createUserInShop } from '../../src/accounts/create-user.ts';
import { findUserByEmail } from '../../src/accounts/users.ts';
import type { TestApp } from './app.ts';

export const PASSWORD = 'correct horse battery';
/** The test app's own origin (loadConfig's default public URL). */
export const ORIGIN = 'http://localhost:3000';

let counter = 0;

/** A person with a login and a role in the shop (a second shop: the same person again). */
export async function createMember(
  t: { db: Db; clock: Clock },
  shopId: string,
  role: MemberRole,
  email = `member${++counter}-${role}@example.pl`,
): Promise<{ userId: string; email: string; password: string }> {
  const existing = await findUserByEmail(t.db, email);
  if (existing) {
    await t.db
      .insertInto('memberships')
      .values({ shop_id: shopId, user_id: existing.id, role, created_at: t.clock.now() })
      .execute();
    return { userId: existing.id, email, password: PASSWORD };
  }
  const { id } = await createUserInShop(t.db, t.clock, {
    email,
    name: `Test ${role}`,
    password: PASSWORD,
    shopId,
    role,
  });
  return { userId: id, email, password: PASSWORD };
}

/** The `lojal_session=…` pair a response set, for the Cookie header. */
export function cookieFrom(res: { headers: Record<string, unknown> }): string {
  const header = res.headers['set-cookie'];
  const value = Array.isArray(header) ? String(header[0]) : String(header);
  return value.split(';')[0]!;
}

export async function signIn(
  t: Pick<TestApp, 'app'>,
  email: string,
  password = PASSWORD,
): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/session',
    payload: { email, password },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  return cookieFrom(res);
}

/** Headers of a dashboard request for one shop, from the instance's own pages. */
export function asMember(cookie: string, shopId: string, origin = ORIGIN) {
  return { cookie, 'lojal-shop': shopId, origin };
}

/** The token in the newest link mailed to this address (account_mail: no SMTP in tests). */
export async function linkTokenFor(t: { db: Db }, to: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const mail = await t.db
      .selectFrom('account_mail')
      .select('raw')
      .where('to_address', '=', to)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    const raw = mail?.raw.replace(/=\r\n/g, '').replace(/=3D/g, '=');
    const match = raw ? /\?token=([\w.%-]+)/.exec(raw) : null;
    if (match) return decodeURIComponent(match[1]!);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no mail to ${to}`);
}

/** The key behind an authenticator app's secret (RFC 4648 base32, as `base32` writes it). */
export function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of text) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
