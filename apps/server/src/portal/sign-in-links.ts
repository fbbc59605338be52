import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { Problem } from '../shared/errors.ts';
import type { Locale } from '../shared/i18n.ts';
import { newId } from '../shared/ids.ts';

/** How long a mailed sign-in link works. */
export const SIGN_IN_LINK_TTL_MS = 15 * 60 * 1000;

const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** A link to mail: the token goes into the mail only; the table keeps its hash. */
export interface SignInLink {
  id: string;
  token: string;
  to: string;
  firstName: string | null;
  locale: Locale;
  expiresAt: Date;
}

/**
 * A customer asked to sign in to the portal with their e-mail address. For a known customer of
 * the shop who was not erased, a single-use link valid for 15 minutes is stored (as the hash of
 * its token) and returned to be mailed; for anyone else, null — and the caller answers the same
 * either way, so the answer tells nobody whether an address is known.
 */
export async function createSignInLink(
  db: Db,
  clock: Clock,
  input: { shopId: string; email: string; locale: Locale },
): Promise<SignInLink | null> {
  const email = input.email.trim().toLowerCase();
  const customer = await db
    .selectFrom('customers')
    .select(['id', 'email', 'first_name'])
    .where('shop_id', '=', input.shopId)
    .where(sql<string>`lower(email)`, '=', email)
    .where('redacted_at', 'is', null)
    .orderBy('updated_at', 'desc')
    .orderBy('id')
    .executeTakeFirst();
  if (!customer?.email) return null;
  const now = clock.now();
  const token = randomBytes(32).toString('base64url');
  const link: SignInLink = {
    id: newId('psl'),
    token,
    to: customer.email,
    firstName: customer.first_name,
    locale: input.locale,
    expiresAt: new Date(now.getTime() + SIGN_IN_LINK_TTL_MS),
  };
  await db
    .insertInto('portal_sign_in_links')
    .values({
      shop_id: input.shopId,
      id: link.id,
      customer_id: customer.id,
      token_hash: hashOf(token),
      locale: input.locale,
      created_at: now,
      expires_at: link.expiresAt,
    })
    .execute();
  return link;
}

export const linkProblems = {
  unknown: () =>
    new Problem(
      404,
      'sign-in-link-unknown',
      'Unknown sign-in link',
      'This sign-in link is not valid for this shop. Ask for a new one.',
    ),
  used: () =>
    new Problem(
      410,
      'sign-in-link-used',
      'Sign-in link already used',
      'This sign-in link was already used. Ask for a new one.',
    ),
  expired: () =>
    new Problem(
      410,
      'sign-in-link-expired',
      'Sign-in link expired',
      'This sign-in link has expired (links work for 15 minutes). Ask for a new one.',
    ),
};

/**
 * The link was opened: it is used up at once (the first of two simultaneous uses wins) and
 * names the customer it signs in — the shop's own id. A link of another shop, an unknown, used
 * or expired link, or one of a customer erased since, signs nobody in.
 */
export async function useSignInLink(
  db: Db,
  clock: Clock,
  input: { shopId: string; token: string },
): Promise<{ externalId: string }> {
  const now = clock.now();
  const hash = hashOf(input.token);
  const { rows } = await sql<{ external_id: string }>`
    UPDATE portal_sign_in_links l SET used_at = ${now}
    FROM customers c
    WHERE l.shop_id = ${input.shopId} AND l.token_hash = ${hash}
      AND l.used_at IS NULL AND l.expires_at > ${now}
      AND c.shop_id = l.shop_id AND c.id = l.customer_id AND c.redacted_at IS NULL
    RETURNING c.external_id`.execute(db);
  const used = rows[0];
  if (used) return { externalId: used.external_id };
  const link = await db
    .selectFrom('portal_sign_in_links')
    .select(['used_at', 'expires_at'])
    .where('shop_id', '=', input.shopId)
    .where('token_hash', '=', hash)
    .executeTakeFirst();
  if (!link) throw linkProblems.unknown();
  if (link.used_at) throw linkProblems.used();
  if (link.expires_at <= now) throw linkProblems.expired();
  throw linkProblems.unknown();
}
