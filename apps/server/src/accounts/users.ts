import type { Db, Tx } from '../db/connect.ts';
import type { MemberRole } from './roles.ts';

/** E-mail addresses are one person whatever their case or surrounding spaces. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function findUserByEmail(db: Db | Tx, email: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', normalizeEmail(email)))
    .executeTakeFirst();
}

export function findUser(db: Db | Tx, userId: string) {
  return db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
}

export interface UserShop {
  id: string;
  name: string;
  role: MemberRole;
}

/** The shops a user belongs to, with the role in each, oldest membership first. */
export function shopsOfUser(db: Db | Tx, userId: string): Promise<UserShop[]> {
  return db
    .selectFrom('memberships')
    .innerJoin('shops', 'shops.id', 'memberships.shop_id')
    .select(['shops.id', 'shops.name', 'memberships.role'])
    .where('memberships.user_id', '=', userId)
    .orderBy('memberships.created_at')
    .orderBy('shops.id')
    .execute();
}

/** The user's role in the shop, or null when they are not (or no longer) a member. */
export async function roleInShop(
  db: Db | Tx,
  userId: string,
  shopId: string,
): Promise<MemberRole | null> {
  const row = await db
    .selectFrom('memberships')
    .select('role')
    .where('user_id', '=', userId)
    .where('shop_id', '=', shopId)
    .executeTakeFirst();
  return row?.role ?? null;
}

export function userView(user: { id: string; email: string; name: string }) {
  return { id: user.id, email: user.email, name: user.name };
}
