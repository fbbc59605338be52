import type { FastifyRequest } from 'fastify';
import { normalizeEmail } from '../accounts/users.ts';
import { problems } from '../shared/errors.ts';
import type { AppContext } from './context.ts';
import { clientKey } from './rate-limiter.ts';

/** The window sign-in, invitation and reset attempts are counted in (ctx.accountLimiter). */
export const ACCOUNT_WINDOW_MS = 15 * 60 * 1000;

function keys(request: FastifyRequest, kind: string, email: string) {
  return [
    { key: `${kind}:account:${normalizeEmail(email)}`, per: 'account' as const },
    { key: `${kind}:address:${clientKey(request.ip)}`, per: 'address' as const },
  ];
}

function limitOf(ctx: AppContext, per: 'account' | 'address'): number {
  return per === 'account' ? ctx.config.loginRateLimit : ctx.config.loginRateLimitPerAddress;
}

/**
 * Refuses (429 + Retry-After) once an account or a client address has failed `limit` times in
 * the window; counts nothing itself (see countFailure), so a person who types right gets in.
 */
export function refuseWhenThrottled(
  ctx: AppContext,
  request: FastifyRequest,
  kind: string,
  email: string,
) {
  let wait = 0;
  for (const { key, per } of keys(request, kind, email)) {
    wait = Math.max(wait, ctx.accountLimiter.take(key, limitOf(ctx, per) - 1, 0));
  }
  if (wait > 0) throw problems.rateLimited(wait);
}

export function countFailure(
  ctx: AppContext,
  request: FastifyRequest,
  kind: string,
  email: string,
) {
  for (const { key } of keys(request, kind, email)) ctx.accountLimiter.take(key, Infinity, 1);
}

/** Counts an attempt that sends mail (an invitation, a reset link), and refuses past the limit. */
export function takeAttempt(ctx: AppContext, request: FastifyRequest, kind: string, email: string) {
  refuseWhenThrottled(ctx, request, kind, email);
  countFailure(ctx, request, kind, email);
}
