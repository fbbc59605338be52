import type { StaffRole } from './staff-roles.ts';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { hashToken, newToken } from '../shared/secrets.ts';
import type { ShopRow } from '../shops/shop.ts';
import type { StaffMembersTable } from '../db/schema.ts';
import type { Selectable } from 'kysely';

export const STAFF_TOKEN_PREFIX = 'lojal_st_';

type StaffRow = Selectable<StaffMembersTable>;

function staffView(s: Omit<StaffRow, 'token_hash' | 'shop_id'>) {
  return {
    id: s.id,
    name: s.name,
    role: s.role,
    hint: s.token_hint,
    createdAt: s.created_at.toISOString(),
    revokedAt: s.revoked_at?.toISOString() ?? null,
  };
}

/**
 * A staff device's credential, made with the shop's API key. The token is shown once and only
 * its SHA-256 is kept; it can stamp cards and nothing else.
 */
export async function createStaffMember(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  input: { name: string; role: StaffRole },
) {
  const token = newToken(STAFF_TOKEN_PREFIX);
  const row = await db
    .insertInto('staff_members')
    .values({
      shop_id: shop.id,
      id: newId('stf'),
      name: input.name,
      role: input.role,
      token_hash: hashToken(token),
      token_hint: token.slice(0, STAFF_TOKEN_PREFIX.length + 4) + '…' + token.slice(-4),
      created_at: clock.now(),
    })
    .returning(['id', 'name', 'role', 'token_hint', 'created_at', 'revoked_at'])
    .executeTakeFirstOrThrow();
  return { ...staffView(row), token };
}

export async function listStaffMembers(db: Db, shop: ShopRow) {
  const rows = await db
    .selectFrom('staff_members')
    .select(['id', 'name', 'role', 'token_hint', 'created_at', 'revoked_at'])
    .where('shop_id', '=', shop.id)
    .orderBy('id')
    .execute();
  return rows.map(staffView);
}

/** The device stops stamping at once; the stamps it gave keep its name. */
export async function revokeStaffMember(db: Db, clock: Clock, shop: ShopRow, id: string) {
  const row = await db
    .updateTable('staff_members')
    .set({ revoked_at: clock.now() })
    .where('shop_id', '=', shop.id)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!row) throw problems.notFound(`Staff member ${id}`);
}
