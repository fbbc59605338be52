import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { Problem, problems } from '../shared/errors.ts';
import { idMaker } from '../shared/ids.ts';
import type { SecretBox } from '../shared/secrets.ts';
import { signToken, verifyToken } from '../shared/signed-token.ts';
import { checkNewPassword, hashPassword, passwordMatches } from './passwords.ts';
import type { MemberRole } from './roles.ts';
import type { TeamActor } from './team.ts';
import { findUserByEmail, normalizeEmail, userView } from './users.ts';

/** How long an invitation link works. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface InvitationView {
  id: string;
  email: string;
  role: MemberRole;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  status: 'pending' | 'accepted' | 'expired' | 'revoked';
}

type InvitationRow = {
  id: string;
  email: string;
  role: MemberRole;
  invited_by: string;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
};

function invitationView(row: InvitationRow, now: Date): InvitationView {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    invitedBy: row.invited_by,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    status: row.accepted_at
      ? 'accepted'
      : row.revoked_at
        ? 'revoked'
        : row.expires_at <= now
          ? 'expired'
          : 'pending',
  };
}

/**
 * Invites an e-mail address into the shop with a role. Only owners (and API keys) invite
 * owners. The link is signed and names the invitation, which works once and until it expires.
 */
export async function inviteMember(
  db: Db,
  clock: Clock,
  box: SecretBox,
  o: { shopId: string; email: string; role: MemberRole; invitedBy: string; actor: TeamActor },
): Promise<{ invitation: InvitationView; token: string }> {
  if (o.role === 'owner' && o.actor !== null && o.actor.role !== 'owner') {
    throw new Problem(403, 'owner-required', 'Owner required', 'Only an owner may invite owners.');
  }
  const email = normalizeEmail(o.email);
  const member = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select('users.id')
    .where('memberships.shop_id', '=', o.shopId)
    .where((eb) => eb(eb.fn('lower', ['users.email']), '=', email))
    .executeTakeFirst();
  if (member) throw problems.conflict(`${email} is already a member of this shop.`);
  const now = clock.now();
  const row: InvitationRow & { shop_id: string } = {
    id: idMaker(() => now.getTime())('inv'),
    shop_id: o.shopId,
    email,
    role: o.role,
    invited_by: o.invitedBy,
    created_at: now,
    expires_at: new Date(now.getTime() + INVITATION_TTL_MS),
    accepted_at: null,
    revoked_at: null,
  };
  await db.insertInto('invitations').values(row).execute();
  const token = signToken(box, 'account-invitation', {
    inv: row.id,
    exp: Math.floor(row.expires_at.getTime() / 1000),
  });
  return { invitation: invitationView(row, now), token };
}

export async function listInvitations(db: Db, clock: Clock, shopId: string) {
  const rows = await db
    .selectFrom('invitations')
    .select([
      'id',
      'email',
      'role',
      'invited_by',
      'created_at',
      'expires_at',
      'accepted_at',
      'revoked_at',
    ])
    .where('shop_id', '=', shopId)
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
  const now = clock.now();
  return rows.map((r) => invitationView(r, now));
}

export async function revokeInvitation(db: Db, clock: Clock, shopId: string, id: string) {
  const revoked = await db
    .updateTable('invitations')
    .set({ revoked_at: clock.now() })
    .where('shop_id', '=', shopId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!revoked) throw problems.notFound(`Pending invitation ${id}`);
}

const invalidLink = () =>
  new Problem(
    410,
    'invitation-invalid',
    'Invitation not valid',
    'This invitation link is not valid, was already used, was withdrawn or has expired.',
  );

/**
 * Accepts an invitation: a new person chooses their name and password; someone who already
 * has a Lojal login proves it with their password. Either way the invitation is used up in the
 * same transaction that adds the membership, so a link works once even when clicked twice.
 */
export async function acceptInvitation(
  db: Db,
  clock: Clock,
  box: SecretBox,
  input: { token: string; password: string; name?: string | undefined },
) {
  const now = clock.now();
  const payload = verifyToken<{ inv?: unknown }>(box, 'account-invitation', input.token, now);
  if (!payload || typeof payload.inv !== 'string') throw invalidLink();
  const invitationId = payload.inv;
  const invitation = await db
    .selectFrom('invitations')
    .selectAll()
    .where('id', '=', invitationId)
    .executeTakeFirst();
  if (!invitation || invitation.accepted_at || invitation.revoked_at) throw invalidLink();
  if (invitation.expires_at <= now) throw invalidLink();
  const existing = await findUserByEmail(db, invitation.email);
  if (existing) {
    if (!(await passwordMatches(existing.password_hash, input.password))) {
      throw problems.unauthorized('The password is not the one of the existing Lojal login.');
    }
  } else {
    checkNewPassword(input.password);
    if (!input.name?.trim()) {
      throw problems.validation([{ path: 'name', message: 'a name is required for a new login' }]);
    }
  }
  const passwordHash = existing ? null : await hashPassword(input.password);
  return db.transaction().execute(async (tx) => {
    const used = await tx
      .updateTable('invitations')
      .set({ accepted_at: now })
      .where('id', '=', invitationId)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!used) throw invalidLink();
    let user = existing;
    if (!user) {
      user = {
        id: idMaker(() => now.getTime())('usr'),
        email: invitation.email,
        name: input.name!.trim(),
        password_hash: passwordHash!,
        totp_secret: null,
        totp_enabled_at: null,
        created_at: now,
        password_changed_at: now,
      };
      await tx.insertInto('users').values(user).execute();
    }
    await tx
      .insertInto('memberships')
      .values({
        shop_id: invitation.shop_id,
        user_id: user.id,
        role: invitation.role,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['shop_id', 'user_id']).doUpdateSet({ role: invitation.role }))
      .execute();
    return { user: userView(user), shopId: invitation.shop_id, role: invitation.role };
  });
}
