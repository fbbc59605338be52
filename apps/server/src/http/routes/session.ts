import { z } from 'zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { problemSchema } from '../schemas.ts';
import { Problem, problems } from '../../shared/errors.ts';
import { logIn } from '../../accounts/log-in.ts';
import { endSession, endUserSessions, startSession } from '../../accounts/sessions.ts';
import { findUser, roleInShop, shopsOfUser } from '../../accounts/users.ts';
import { removeMember } from '../../accounts/team.ts';
import { confirmTotp, disableTotp, enrolTotp } from '../../accounts/second-factor.ts';
import { acceptInvitation } from '../../accounts/invitations.ts';
import { completePasswordReset, requestPasswordReset } from '../../accounts/password-reset.ts';
import { sendPasswordResetMail } from '../../accounts/account-mail.ts';
import { MEMBER_ROLES } from '../../accounts/roles.ts';
import { PASSWORD_MAX } from '../../accounts/passwords.ts';
import { recordAudit } from '../../audit/record-audit.ts';
import { isLocale } from '../../shared/i18n.ts';
import {
  checkSameOrigin,
  clearSessionCookie,
  sessionCookie,
  sessionLifetime,
  setSessionCookie,
} from '../session-auth.ts';
import { countFailure, refuseWhenThrottled, takeAttempt } from '../account-throttle.ts';

const userSchema = z.object({ id: z.string(), email: z.string(), name: z.string() });
const userShopSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(MEMBER_ROLES as [string, ...string[]]),
});
const signedInSchema = z
  .object({ user: userSchema, shops: z.array(userShopSchema) })
  .meta({ id: 'SignedIn' });
const responses = { 403: problemSchema };
const email = z.string().trim().min(3).max(254).email();
const password = z.string().min(1).max(PASSWORD_MAX);
const otp = z.string().regex(/^\d{6}$/, 'six digits');

const wrongLogin = () => problems.unauthorized('The e-mail address or the password is not right.');

export function sessionRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const lifetime = sessionLifetime(ctx.config);

  /** A fresh session (never one the browser brought along) and its cookie. */
  async function signIn(request: FastifyRequest, reply: FastifyReply, userId: string) {
    const previous = sessionCookie(request);
    if (previous) await endSession(ctx.db, ctx.clock, previous);
    const session = await startSession(ctx.db, ctx.clock, userId, lifetime);
    setSessionCookie(reply, ctx.config, session.token, Math.floor(lifetime.absoluteMs / 1000));
  }

  r.post(
    '/v1/session',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['merchant accounts'],
        summary: 'Sign in to the dashboard: sets the lojal_session cookie',
        description:
          'The cookie is HttpOnly, SameSite=Lax, Path=/, and Secure when LOJAL_PUBLIC_URL is ' +
          'https. A wrong e-mail or password is the same 401; a user with a second factor gets ' +
          '401 `otp-required` until `otp` is sent. Too many failures for one account or one ' +
          'address in 15 minutes → 429 with Retry-After.',
        security: [],
        body: z.object({ email, password, otp: otp.optional() }),
        response: { 200: signedInSchema, 401: problemSchema, ...responses },
      },
    },
    async (request, reply) => {
      // A foreign page must not sign a browser in to someone else's account (login CSRF).
      checkSameOrigin(request, ctx.config, false);
      refuseWhenThrottled(ctx, request, 'login', request.body.email);
      const outcome = await logIn(ctx.db, ctx.clock, ctx.box, request.body);
      if (outcome.kind === 'otp-required') {
        throw new Problem(
          401,
          'otp-required',
          'Second factor required',
          'Send the current code of your authenticator app as "otp".',
        );
      }
      if (outcome.kind !== 'ok') {
        countFailure(ctx, request, 'login', request.body.email);
        if (outcome.kind === 'otp-invalid') {
          throw new Problem(401, 'otp-invalid', 'Wrong code', 'The code does not match.');
        }
        throw wrongLogin();
      }
      await signIn(request, reply, outcome.user.id);
      return { user: outcome.user, shops: outcome.shops };
    },
  );

  r.delete(
    '/v1/session',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['merchant accounts'],
        summary: 'Sign out everywhere: every session of this person ends',
        security: [{ session: [] }],
        response: { 204: z.null(), ...responses },
      },
    },
    async (request, reply) => {
      await endUserSessions(ctx.db, ctx.clock, request.member!.userId);
      clearSessionCookie(reply, ctx.config);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/v1/me',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['merchant accounts'],
        summary: 'The signed-in person and their shops with their role in each',
        security: [{ session: [] }],
        response: {
          200: z.object({
            user: userSchema.extend({ twoFactor: z.boolean() }),
            shops: z.array(userShopSchema),
          }),
          ...responses,
        },
      },
    },
    async (request) => {
      const user = await findUser(ctx.db, request.member!.userId);
      if (!user) throw problems.unauthorized('Sign in first (POST /v1/session).');
      return {
        user: {
          id: user.id,
          email: user.email,
          name: user.name,
          twoFactor: !!user.totp_enabled_at,
        },
        shops: await shopsOfUser(ctx.db, user.id),
      };
    },
  );

  r.delete(
    '/v1/me/shops/:shopId',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['merchant accounts'],
        summary: 'Leave a shop (the last owner cannot: 409)',
        security: [{ session: [] }],
        params: z.object({ shopId: z.string().min(1).max(100) }),
        response: { 204: z.null(), ...responses },
      },
    },
    async (request, reply) => {
      const { userId, name } = request.member!;
      const { shopId } = request.params;
      const role = await roleInShop(ctx.db, userId, shopId);
      if (!role) throw problems.notFound(`Shop ${shopId}`);
      await removeMember(ctx.db, shopId, userId, { userId, role });
      // Not a shop route, so the audit trail's hook does not see it: recorded here.
      await recordAudit(ctx.db, {
        shopId,
        at: ctx.clock.now(),
        actor: { type: 'user', id: userId, name },
        action: 'DELETE /v1/me/shops/:shopId',
        target: { type: 'members', id: userId },
        before: { userId, role },
        after: null,
      });
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/v1/me/totp',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['merchant accounts'],
        summary:
          'Start a second factor (owners and admins): a TOTP secret for an authenticator app',
        description: 'Not required at sign-in until POST /v1/me/totp/confirm with a first code.',
        security: [{ session: [] }],
        response: {
          201: z.object({
            secret: z.string().describe('base32, for typing into the app'),
            uri: z.string().describe('otpauth:// URI, for a QR code'),
          }),
          ...responses,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await enrolTotp(ctx.db, ctx.box, request.member!.userId)),
  );

  r.post(
    '/v1/me/totp/confirm',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['merchant accounts'],
        summary: 'Turn the second factor on with a first code from the app',
        security: [{ session: [] }],
        body: z.object({ otp }),
        response: { 204: z.null(), ...responses },
      },
    },
    async (request, reply) => {
      await confirmTotp(ctx.db, ctx.clock, ctx.box, request.member!.userId, request.body.otp);
      return reply.status(204).send(null);
    },
  );

  r.delete(
    '/v1/me/totp',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['merchant accounts'],
        summary: 'Turn the second factor off (needs a current code)',
        security: [{ session: [] }],
        body: z.object({ otp }),
        response: { 204: z.null(), ...responses },
      },
    },
    async (request, reply) => {
      await disableTotp(ctx.db, ctx.clock, ctx.box, request.member!.userId, request.body.otp);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/v1/invitations/accept',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['merchant accounts'],
        summary: 'Accept an invitation from its e-mailed link, and sign in',
        description:
          'A new person sends `name` and the password they choose (10 to 200 characters); ' +
          'someone with a Lojal login sends their password. A link works once and for 7 days ' +
          '(410 `invitation-invalid` after).',
        security: [],
        body: z.object({
          token: z.string().min(1).max(2000),
          password,
          name: z.string().trim().min(1).max(200).optional(),
        }),
        response: { 200: signedInSchema, 410: problemSchema, ...responses },
      },
    },
    async (request, reply) => {
      checkSameOrigin(request, ctx.config, false);
      const account = request.body.token.slice(0, 64);
      refuseWhenThrottled(ctx, request, 'accept', account);
      let accepted;
      try {
        accepted = await acceptInvitation(ctx.db, ctx.clock, ctx.box, request.body);
      } catch (error) {
        if (error instanceof Problem && error.status === 401) {
          countFailure(ctx, request, 'accept', account);
        }
        throw error;
      }
      await recordAudit(ctx.db, {
        shopId: accepted.shopId,
        at: ctx.clock.now(),
        actor: { type: 'user', id: accepted.user.id, name: accepted.user.name },
        action: 'POST /v1/invitations/accept',
        target: { type: 'members', id: accepted.user.id },
        before: null,
        after: { userId: accepted.user.id, email: accepted.user.email, role: accepted.role },
      });
      await signIn(request, reply, accepted.user.id);
      return { user: accepted.user, shops: await shopsOfUser(ctx.db, accepted.user.id) };
    },
  );

  r.post(
    '/v1/password-resets',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['merchant accounts'],
        summary:
          'E-mail a password reset link (the same 202 whether or not the address has a login)',
        description: 'The link works once, for one hour. Limited per address and per e-mail (429).',
        security: [],
        body: z.object({ email, locale: z.enum(['pl', 'en']).optional() }),
        response: { 202: z.object({ status: z.literal('sent-if-known') }), ...responses },
      },
    },
    async (request, reply) => {
      takeAttempt(ctx, request, 'reset', request.body.email);
      const reset = await requestPasswordReset(ctx.db, ctx.clock, ctx.box, request.body.email);
      if (reset) {
        const [shop] = await ctx.db
          .selectFrom('memberships')
          .innerJoin('shops', 'shops.id', 'memberships.shop_id')
          .select(['shops.locale', 'shops.timezone'])
          .where('memberships.user_id', '=', reset.userId)
          .orderBy('memberships.created_at')
          .limit(1)
          .execute();
        const locale = request.body.locale ?? (isLocale(shop?.locale) ? shop.locale : 'pl');
        // Not awaited: an address with a login answers as fast as one without.
        void sendPasswordResetMail(ctx.accountMailer, {
          id: reset.id,
          to: reset.email,
          token: reset.token,
          locale,
          timezone: shop?.timezone ?? 'Europe/Warsaw',
          expiresAt: reset.expiresAt,
        }).catch((error: unknown) => request.log.error({ err: error }, 'reset mail not sent'));
      }
      return reply.status(202).send({ status: 'sent-if-known' as const });
    },
  );

  r.post(
    '/v1/password-resets/complete',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['merchant accounts'],
        summary: 'Set a new password with the e-mailed link; every session of the person ends',
        security: [],
        body: z.object({ token: z.string().min(1).max(2000), password }),
        response: { 204: z.null(), 410: problemSchema, ...responses },
      },
    },
    async (request, reply) => {
      await completePasswordReset(ctx.db, ctx.clock, ctx.box, request.body);
      return reply.status(204).send(null);
    },
  );
}
