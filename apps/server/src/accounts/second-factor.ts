import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { Problem, problems } from '../shared/errors.ts';
import type { SecretBox } from '../shared/secrets.ts';
import { base32, newTotpSecret, otpauthUri, totpMatches } from './totp.ts';
import { findUser } from './users.ts';

const wrongCode = () =>
  new Problem(400, 'validation-error', 'Invalid request', 'The code does not match.', [
    { path: 'otp', message: 'not the current code of the authenticator app' },
  ]);

/**
 * Starts enrolment: a new secret for the authenticator app, not yet required at sign-in until
 * a first code confirms the app has it. Offered to owners and admins (who hold the keys).
 */
export async function enrolTotp(db: Db, box: SecretBox, userId: string) {
  const managers = await db
    .selectFrom('memberships')
    .select('shop_id')
    .where('user_id', '=', userId)
    .where('role', 'in', ['owner', 'admin'])
    .executeTakeFirst();
  if (!managers) {
    throw new Problem(
      403,
      'forbidden',
      'Forbidden',
      'A second factor is for owners and admins of a shop.',
    );
  }
  const user = await findUser(db, userId);
  if (!user) throw problems.notFound('User');
  if (user.totp_enabled_at) throw problems.conflict('A second factor is already on.');
  const secret = newTotpSecret();
  await db
    .updateTable('users')
    .set({ totp_secret: box.seal(secret) })
    .where('id', '=', userId)
    .execute();
  return { secret: base32(secret), uri: otpauthUri(secret, user.email) };
}

export async function confirmTotp(
  db: Db,
  clock: Clock,
  box: SecretBox,
  userId: string,
  otp: string,
) {
  const user = await findUser(db, userId);
  if (!user?.totp_secret) throw problems.conflict('Start enrolment first (POST /v1/me/totp).');
  if (user.totp_enabled_at) throw problems.conflict('A second factor is already on.');
  if (!totpMatches(box.open(user.totp_secret), otp, clock.now())) throw wrongCode();
  await db
    .updateTable('users')
    .set({ totp_enabled_at: clock.now() })
    .where('id', '=', userId)
    .execute();
}

/** Turning the second factor off needs a current code, not just the session. */
export async function disableTotp(
  db: Db,
  clock: Clock,
  box: SecretBox,
  userId: string,
  otp: string,
) {
  const user = await findUser(db, userId);
  if (!user?.totp_secret || !user.totp_enabled_at)
    throw problems.conflict('No second factor is on.');
  if (!totpMatches(box.open(user.totp_secret), otp, clock.now())) throw wrongCode();
  await db
    .updateTable('users')
    .set({ totp_secret: null, totp_enabled_at: null })
    .where('id', '=', userId)
    .execute();
}
