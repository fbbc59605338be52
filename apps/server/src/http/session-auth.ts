import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, userForSession, type SessionLifetime } from '../accounts/sessions.ts';
import { roleInShop } from '../accounts/users.ts';
import type { Config } from '../config.ts';
import { Problem, problems } from '../shared/errors.ts';
import type { AppContext } from './context.ts';
import { rolesFor } from './route-roles.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sessionLifetime(config: Config): SessionLifetime {
  return {
    idleMs: config.sessionIdleMinutes * 60_000,
    absoluteMs: config.sessionMaxHours * 3_600_000,
  };
}

/** The session cookie's value, if the request carries one. */
export function sessionCookie(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      return decodeURIComponent(part.slice(eq + 1).trim());
    }
  }
  return null;
}

/** HttpOnly, SameSite=Lax, Path=/, and Secure when the instance is served over https. */
export function setSessionCookie(
  reply: FastifyReply,
  config: Config,
  token: string,
  maxAgeSeconds: number,
): void {
  const secure = config.publicUrl.startsWith('https://') ? '; Secure' : '';
  reply.header(
    'set-cookie',
    `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`,
  );
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  setSessionCookie(reply, config, '', 0);
}

/** The Origin the instance's own pages send: scheme, host and port of LOJAL_PUBLIC_URL. */
function ownOrigin(config: Config): string {
  return new URL(config.publicUrl).origin;
}

/**
 * A browser sends the cookie with requests other sites make it send; only our own pages send
 * our Origin with them. Writes without it are refused before anything is read or changed.
 */
export function checkSameOrigin(request: FastifyRequest, config: Config, required: boolean): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.origin;
  if (origin === undefined && !required) return;
  if (origin !== ownOrigin(config)) {
    throw new Problem(
      403,
      'cross-origin',
      'Cross-origin request refused',
      `Writes with the session cookie must come from ${ownOrigin(config)} (the Origin header).`,
    );
  }
}

/** The signed-in person on a route that needs a session but no shop (`auth: 'user'`). */
export async function authenticateUser(request: FastifyRequest, ctx: AppContext): Promise<void> {
  const token = sessionCookie(request);
  const user = token
    ? await userForSession(ctx.db, ctx.clock, token, sessionLifetime(ctx.config))
    : null;
  if (!user) throw problems.unauthorized('Sign in first (POST /v1/session).');
  checkSameOrigin(request, ctx.config, true);
  request.member = { ...user, role: null };
}

/**
 * A shop route called with the session cookie instead of an API key: the Lojal-Shop header
 * names one of the person's shops (any other → 404, as another shop's object is for a key),
 * the route's roles (route-roles.ts) must include theirs (403), and writes must come from our
 * own Origin (403). All of it runs before the body is read, so a refusal changes nothing.
 * Returns false when the request has no session cookie (the API key path then answers).
 */
export async function authenticateShopMember(
  request: FastifyRequest,
  ctx: AppContext,
): Promise<boolean> {
  if (sessionCookie(request) === null) return false;
  await authenticateUser(request, ctx);
  const member = request.member!;
  const shopId = request.headers['lojal-shop'];
  const role = typeof shopId === 'string' ? await roleInShop(ctx.db, member.userId, shopId) : null;
  if (role === null)
    throw problems.notFound(`Shop ${typeof shopId === 'string' ? shopId : ''}`.trim());
  const shop = await ctx.db
    .selectFrom('shops')
    .selectAll()
    .where('id', '=', shopId as string)
    .executeTakeFirstOrThrow();
  member.role = role;
  if (!rolesFor(request.method, request.routeOptions.url ?? '').includes(role)) {
    throw new Problem(403, 'forbidden', 'Forbidden', `The ${role} role may not use this route.`);
  }
  request.shop = shop;
  return true;
}
