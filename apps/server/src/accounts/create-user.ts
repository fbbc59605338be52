import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import { idMaker } from '../shared/ids.ts';
import { checkNewPassword, hashPassword } from './passwords.ts';
import type { MemberRole } from './roles.ts';
import { findUserByEmail, normalizeEmail } from './users.ts';

/**
 * A login with its first membership, for the instance's own setup (the demo owner, a first
 * owner from the command line); everyone else joins through an invitation.
 */
export async function createUserInShop(
  db: Db,
  clock: Clock,
  o: { email: string; name: string; password: string; shopId: string; role: MemberRole },
): Promise<{ id: string }> {
  checkNewPassword(o.password);
  if (await findUserByEmail(db, o.email))
    throw problems.conflict(`${o.email} has a login already.`);
  const now = clock.now();
  const id = idMaker(() => now.getTime())('usr');
  const passwordHash = await hashPassword(o.password);
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('users')
      .values({
        id,
        email: normalizeEmail(o.email),
        name: o.name,
        password_hash: passwordHash,
        created_at: now,
        password_changed_at: now,
      })
      .execute();
    await tx
      .insertInto('memberships')
      .values({ shop_id: o.shopId, user_id: id, role: o.role, created_at: now })
      .execute();
  });
  return { id };
}
