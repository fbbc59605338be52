import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { actorOf, shopOf } from '../auth.ts';
import { problemSchema } from '../schemas.ts';
import { takeAttempt } from '../account-throttle.ts';
import { MEMBER_ROLES, type MemberRole } from '../../accounts/roles.ts';
import {
  changeMemberRole,
  listMembers,
  removeMember,
  type TeamActor,
} from '../../accounts/team.ts';
import { inviteMember, listInvitations, revokeInvitation } from '../../accounts/invitations.ts';
import { sendInvitationMail } from '../../accounts/account-mail.ts';
import { isLocale } from '../../shared/i18n.ts';

const role = z.enum(MEMBER_ROLES as [MemberRole, ...MemberRole[]]);
const memberSchema = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    role,
    twoFactor: z.boolean(),
    joinedAt: z.string(),
  })
  .meta({ id: 'TeamMember' });
const invitationSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role,
    invitedBy: z.string(),
    createdAt: z.string(),
    expiresAt: z.string(),
    status: z.enum(['pending', 'accepted', 'expired', 'revoked']),
  })
  .meta({ id: 'Invitation' });
const responses = { 403: problemSchema };

/** The member acting, or null for an API key (full access, like an owner). */
function teamActor(request: FastifyRequest): TeamActor {
  const member = request.member;
  return member?.role ? { userId: member.userId, role: member.role } : null;
}

export function teamRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['merchant accounts'];

  r.get(
    '/v1/team/members',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: "The shop's team: who can sign in to its dashboard, with which role",
        response: { 200: z.object({ data: z.array(memberSchema) }), ...responses },
      },
    },
    async (request) => ({ data: await listMembers(ctx.db, shopOf(request).id) }),
  );

  r.patch(
    '/v1/team/members/:userId',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: "Change a member's role (only owners make or unmake owners; one owner stays)",
        params: z.object({ userId: z.string().min(1).max(100) }),
        body: z.object({ role }),
        response: { 200: memberSchema, ...responses },
      },
    },
    async (request) =>
      changeMemberRole(
        ctx.db,
        shopOf(request).id,
        request.params.userId,
        request.body.role,
        teamActor(request),
      ),
  );

  r.delete(
    '/v1/team/members/:userId',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: 'Remove a member, or leave the shop yourself; takes effect on their next request',
        description:
          'Owners and admins remove others; admins cannot remove owners; the last owner cannot ' +
          'leave (409).',
        params: z.object({ userId: z.string().min(1).max(100) }),
        response: { 204: z.null(), ...responses },
      },
    },
    async (request, reply) => {
      await removeMember(ctx.db, shopOf(request).id, request.params.userId, teamActor(request));
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/v1/team/invitations',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: "The shop's invitations, newest first",
        response: { 200: z.object({ data: z.array(invitationSchema) }), ...responses },
      },
    },
    async (request) => ({ data: await listInvitations(ctx.db, ctx.clock, shopOf(request).id) }),
  );

  r.post(
    '/v1/team/invitations',
    {
      config: { auth: 'shop', idempotent: true },
      schema: {
        tags,
        summary: 'Invite an e-mail address into the team with a role: a one-use link, 7 days',
        description:
          'The link goes by e-mail (SMTP_URL, or the account_mail table without it), in the ' +
          "shop's language. Only owners invite owners. Limited per address and per invited " +
          'e-mail (429).',
        body: z.object({ email: z.string().trim().min(3).max(254).email(), role }),
        response: { 201: invitationSchema, ...responses },
      },
    },
    async (request, reply) => {
      const shop = shopOf(request);
      takeAttempt(ctx, request, 'invite', request.body.email);
      const { invitation, token } = await inviteMember(ctx.db, ctx.clock, ctx.box, {
        shopId: shop.id,
        email: request.body.email,
        role: request.body.role,
        invitedBy: actorOf(request),
        actor: teamActor(request),
      });
      await sendInvitationMail(ctx.accountMailer, {
        id: invitation.id,
        to: invitation.email,
        token,
        locale: isLocale(shop.locale) ? shop.locale : 'pl',
        timezone: shop.timezone,
        shopName: shop.name,
        inviter: request.member?.name ?? shop.name,
        role: invitation.role,
        expiresAt: new Date(invitation.expiresAt),
      });
      return reply.status(201).send(invitation);
    },
  );

  r.delete(
    '/v1/team/invitations/:invitationId',
    {
      config: { auth: 'shop' },
      schema: {
        tags,
        summary: 'Withdraw a pending invitation; its link stops working',
        params: z.object({ invitationId: z.string().min(1).max(100) }),
        response: { 204: z.null(), ...responses },
      },
    },
    async (request, reply) => {
      await revokeInvitation(ctx.db, ctx.clock, shopOf(request).id, request.params.invitationId);
      return reply.status(204).send(null);
    },
  );
}
