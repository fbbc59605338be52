import type { SigningKeys } from '../shared/signed-token.ts';
import { signToken, verifyToken } from '../shared/signed-token.ts';

/** How long the double opt-in link works. */
export const CONFIRM_TTL_DAYS = 7;

/** The signed link in the double opt-in e-mail; what makes it single use is the sign-up row. */
export function confirmUrl(
  keys: SigningKeys,
  publicUrl: string,
  shopId: string,
  signUpId: string,
  expiresAt: Date,
) {
  const token = signToken(keys, 'popup-confirm', {
    h: shopId,
    s: signUpId,
    exp: Math.floor(expiresAt.getTime() / 1000),
  });
  return `${publicUrl}/popups/confirm/${token}`;
}

export function readConfirmToken(
  keys: SigningKeys,
  token: string,
  now: Date,
): { shopId: string; signUpId: string } | null {
  const payload = verifyToken<{ h?: unknown; s?: unknown }>(keys, 'popup-confirm', token, now);
  if (!payload || typeof payload.h !== 'string' || typeof payload.s !== 'string') return null;
  return { shopId: payload.h, signUpId: payload.s };
}
