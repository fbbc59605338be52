import type { Db, Tx } from '../db/connect.ts';
import { Problem, problems } from '../shared/errors.ts';
import { managesShop, type MemberRole } from './roles.ts';

/**
 * Who is changing the team: a member with a role, or an API key (null), which acts with full
 * access like an owner (API.md).
 */
export type TeamActor = { userId: string; role: MemberRole } | null;

export interface TeamMember {
  userId: string;
  email: string;
  name: string;
  role: MemberRole;
  twoFactor: boolean;
  joinedAt: string;
}

export async function listMembers(db: Db | Tx, shopId: string): Promise<TeamMember[]> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select([
      'users.id',
      'users.email',
      'users.name',
      'users.totp_enabled_at',
      'memberships.role',
      'memberships.created_at',
    ])
    .where('memberships.shop_id', '=', shopId)
    .orderBy('memberships.created_at')
    .orderBy('users.id')
    .execute();
  return rows.map((r) => ({
    userId: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    twoFactor: r.totp_enabled_at !== null,
    joinedAt: r.created_at.toISOString(),
  }));
}

const ownerOnly = (detail: string) => new Problem(403, 'owner-required', 'Owner required', detail);
const lastOwner = () =>
  problems.conflict('The shop must keep at least one owner: make someone else owner first.');

/** Only an owner (or an API key) may make owners or touch an owner's membership. */
function checkMayTouch(actor: TeamActor, currentRole: MemberRole, newRole?: MemberRole): void {
  if (actor === null || actor.role === 'owner') return;
  if (currentRole === 'owner') throw ownerOnly('Only an owner may change or remove an owner.');
  if (newRole === 'owner') throw ownerOnly('Only an owner may make someone an owner.');
}

async function lockedMember(tx: Tx, shopId: string, userId: string) {
  // Owners are counted under a lock on the shop's memberships, so two owners cannot both step
  // down at once and leave the shop without one.
  const members = await tx
    .selectFrom('memberships')
    .select(['user_id', 'role'])
    .where('shop_id', '=', shopId)
    .forUpdate()
    .execute();
  const member = members.find((m) => m.user_id === userId);
  if (!member) throw problems.notFound(`Member ${userId}`);
  const owners = members.filter((m) => m.role === 'owner').length;
  return { role: member.role, owners };
}

export async function changeMemberRole(
  db: Db,
  shopId: string,
  userId: string,
  role: MemberRole,
  actor: TeamActor,
): Promise<TeamMember> {
  return db.transaction().execute(async (tx) => {
    const member = await lockedMember(tx, shopId, userId);
    checkMayTouch(actor, member.role, role);
    if (member.role === 'owner' && role !== 'owner' && member.owners === 1) throw lastOwner();
    await tx
      .updateTable('memberships')
      .set({ role })
      .where('shop_id', '=', shopId)
      .where('user_id', '=', userId)
      .execute();
    return (await listMembers(tx, shopId)).find((m) => m.userId === userId)!;
  });
}

/**
 * Takes the person out of the shop. Their sessions stay, for their other shops, but every
 * request names the shop and is checked against memberships, so this shop is closed to them
 * from the next request on.
 */
export async function removeMember(
  db: Db,
  shopId: string,
  userId: string,
  actor: TeamActor,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const member = await lockedMember(tx, shopId, userId);
    if (actor !== null && actor.userId !== userId) {
      if (!managesShop(actor.role)) {
        throw new Problem(403, 'forbidden', 'Forbidden', 'Only owners and admins remove others.');
      }
      checkMayTouch(actor, member.role);
    }
    if (member.role === 'owner' && member.owners === 1) throw lastOwner();
    await tx
      .deleteFrom('memberships')
      .where('shop_id', '=', shopId)
      .where('user_id', '=', userId)
      .execute();
  });
}
