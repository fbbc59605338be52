import type { Db } from '../db/connect.ts';
import { hashToken } from '../shared/secrets.ts';
import type { ShopRow } from '../shops/shop.ts';
import type { StaffRole } from './staff-roles.ts';

export interface StaffIdentity {
  id: string;
  name: string;
  role: StaffRole;
}

/**
 * A staff token resolves to exactly one shop (like an API key, found by its hash: the one
 * lookup not scoped by shop). Not cached, so a revoked device stops at once.
 */
export async function authenticateStaff(
  db: Db,
  token: string,
): Promise<{ staff: StaffIdentity; shop: ShopRow } | null> {
  const row = await db
    .selectFrom('staff_members as s')
    .innerJoin('shops', 'shops.id', 's.shop_id')
    .selectAll('shops')
    .select(['s.id as staff_id', 's.name as staff_name', 's.role as staff_role'])
    .where('s.token_hash', '=', hashToken(token))
    .where('s.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  const { staff_id, staff_name, staff_role, ...shop } = row;
  return { staff: { id: staff_id, name: staff_name, role: staff_role }, shop };
}
