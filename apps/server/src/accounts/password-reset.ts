import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { Problem } from '../shared/errors.ts';
import { idMaker } from '../shared/ids.ts';
import type { SecretBox } from '../shared/secrets.ts';
import { signToken, verifyToken } from '../shared/signed-token.ts';
import { checkNewPassword, hashPassword } from './passwords.ts';
import { endUserSessions } from './sessions.ts';
import { findUserByEmail } from './users.ts';

/** How long a reset link works: long enough to find the mail, short enough to go stale. */
export const RESET_TTL_MS = 60 * 60 * 1000;

/**
 * A reset link for the person with this e-mail, or null when there is none (the route answers
 * the same either way, so it tells nobody which addresses have a login).
 */
export async function requestPasswordReset(db: Db, clock: Clock, box: SecretBox, email: string) {
  const user = await findUserByEmail(db, email);
  if (!user) return null;
  const now = clock.now();
  const id = idMaker(() => now.getTime())('pwr');
  const expiresAt = new Date(now.getTime() + RESET_TTL_MS);
  await db
    .insertInto('password_resets')
    .values({ id, user_id: user.id, created_at: now, expires_at: expiresAt })
    .execute();
  const token = signToken(box, 'password-reset', {
    rst: id,
    exp: Math.floor(expiresAt.getTime() / 1000),
  });
  return { id, userId: user.id, email: user.email, token, expiresAt };
}

const invalidLink = () =>
  new Problem(
    410,
    'reset-link-invalid',
    'Reset link not valid',
    'This password reset link is not valid, was already used or has expired.',
  );

/**
 * Sets the new password once per link, and only while the password is still the one the link
 * was asked for; every session of the person ends (whoever knew the old password is out).
 */
export async function completePasswordReset(
  db: Db,
  clock: Clock,
  box: SecretBox,
  input: { token: string; password: string },
): Promise<{ userId: string }> {
  const now = clock.now();
  const payload = verifyToken<{ rst?: unknown }>(box, 'password-reset', input.token, now);
  if (!payload || typeof payload.rst !== 'string') throw invalidLink();
  checkNewPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  const resetId = payload.rst;
  const userId = await db.transaction().execute(async (tx) => {
    const used = await tx
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('id', '=', resetId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['user_id', 'created_at'])
      .executeTakeFirst();
    if (!used) throw invalidLink();
    const changed = await tx
      .updateTable('users')
      .set({ password_hash: passwordHash, password_changed_at: now })
      .where('id', '=', used.user_id)
      .where('password_changed_at', '<=', used.created_at)
      .returning('id')
      .executeTakeFirst();
    if (!changed) throw invalidLink();
    return used.user_id;
  });
  await endUserSessions(db, clock, userId);
  return { userId };
}
