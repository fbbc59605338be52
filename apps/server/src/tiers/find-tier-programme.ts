import type { Db } from '../db/connect.ts';
import type { Tx } from '../db/connect.ts';
import { tierProgrammeSchema, type TierProgramme } from './tier-schema.ts';

/** The shop's tier programme, or null while the shop has none (no customer has a tier). */
export async function findTierProgramme(
  db: Db | Tx,
  shopId: string,
): Promise<TierProgramme | null> {
  const row = await db
    .selectFrom('tier_programmes')
    .select('programme')
    .where('shop_id', '=', shopId)
    .executeTakeFirst();
  return row ? parseTierProgramme(row.programme) : null;
}

/** Stored programmes were validated on the way in; parsing fills defaults added since. */
export function parseTierProgramme(value: unknown): TierProgramme {
  return tierProgrammeSchema.parse(value);
}
