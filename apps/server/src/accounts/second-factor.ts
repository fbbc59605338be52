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

/**
 * Checks the code against the user's secret when it is in the state the step needs (enrolled
 * but not on, or on), then sets what the step changes.
 */
async function withCurrentCode(
  db: Db,
  clock: Clock,
  box: SecretBox,
  o: {
    userId: string;
    otp: string;
    on: boolean;
    set: { totp_secret?: null; totp_enabled_at: Date | null };
  },
) {
  const user = await findUser(db, o.userId);
  if (!user?.totp_secret) {
    throw problems.conflict(
      o.on ? 'No second factor is on.' : 'Start enrolment first (POST /v1/me/totp).',
    );
  }
  if ((user.totp_enabled_at !== null) !== o.on) {
    throw problems.conflict(o.on ? 'No second factor is on.' : 'A second factor is already on.');
  }
  if (!totpMatches(box.open(user.totp_secret), o.otp, clock.now())) throw wrongCode();
  await db.updateTable('users').set(o.set).where('id', '=', o.userId).execute();
}

/** Turns the second factor on once the app shows it has the secret. */
export function confirmTotp(db: Db, clock: Clock, box: SecretBox, userId: string, otp: string) {
  return withCurrentCode(db, clock, box, {
    userId,
    otp,
    on: false,
    set: { totp_enabled_at: clock.now() },
  });
}

/** Turning the second factor off needs a current code, not just the session. */
export function disableTotp(db: Db, clock: Clock, box: SecretBox, userId: string, otp: string) {
  return withCurrentCode(db, clock, box, {
    userId,
    otp,
    on: true,
    set: { totp_secret: null, totp_enabled_at: null },
  });
}
