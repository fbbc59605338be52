import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { SecretBox } from '../shared/secrets.ts';
import { passwordMatches } from './passwords.ts';
import { totpMatches } from './totp.ts';
import { findUserByEmail, shopsOfUser, userView, type UserShop } from './users.ts';

export type LogInOutcome =
  | { kind: 'ok'; user: { id: string; email: string; name: string }; shops: UserShop[] }
  /** Unknown e-mail or wrong password: the same answer, after the same work. */
  | { kind: 'invalid' }
  /** The password was right and the user has a second factor: ask for the code. */
  | { kind: 'otp-required' }
  | { kind: 'otp-invalid'; userId: string };

/**
 * Checks a person's e-mail, password and, when they enrolled one, their TOTP code. Says
 * nothing about which part was wrong, and an unknown e-mail still costs one argon2 hash.
 */
export async function logIn(
  db: Db,
  clock: Clock,
  box: SecretBox,
  input: { email: string; password: string; otp?: string | undefined },
): Promise<LogInOutcome> {
  const user = await findUserByEmail(db, input.email);
  if (!(await passwordMatches(user?.password_hash ?? null, input.password)) || !user) {
    return { kind: 'invalid' };
  }
  if (user.totp_enabled_at && user.totp_secret) {
    if (!input.otp) return { kind: 'otp-required' };
    if (!totpMatches(box.open(user.totp_secret), input.otp, clock.now())) {
      return { kind: 'otp-invalid', userId: user.id };
    }
  }
  return { kind: 'ok', user: userView(user), shops: await shopsOfUser(db, user.id) };
}
