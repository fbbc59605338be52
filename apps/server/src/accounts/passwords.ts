import { hash, verify } from '@node-rs/argon2';
import { Problem } from '../shared/errors.ts';

// OWASP's argon2id floor (19 MiB, 2 passes, 1 lane): ~15 ms a check here, hard to brute-force.
// `algorithm: 2` is Argon2id (the package's const enum cannot be imported under verbatimModuleSyntax).
const ARGON2 = { algorithm: 2 as const, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

// A real hash of nothing anyone knows: an unknown e-mail costs the same time as a wrong password.
let dummy: Promise<string> | undefined;

/** True when the password matches; without a stored hash, spends the same time and says no. */
export async function passwordMatches(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    dummy ??= hashPassword(`dummy-${Math.random()}`);
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

/** A password a person chooses: long enough, and not a long string to make hashing costly. */
export function checkNewPassword(password: string, path = 'password'): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw new Problem(400, 'validation-error', 'Invalid request', 'The request is not valid.', [
      { path, message: `${PASSWORD_MIN} to ${PASSWORD_MAX} characters` },
    ]);
  }
}
