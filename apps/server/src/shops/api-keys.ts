import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';

export async function listApiKeys(db: Db, shopId: string) {
  const rows = await db
    .selectFrom('api_keys')
    .select(['id', 'token_hint', 'label', 'created_at', 'revoked_at'])
    .where('shop_id', '=', shopId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    hint: r.token_hint,
    label: r.label,
    createdAt: r.created_at.toISOString(),
    revokedAt: r.revoked_at?.toISOString() ?? null,
  }));
}

/**
 * Revokes a key at once. The last active key cannot be revoked, so a shop never locks itself
 * out (the operator can still issue a new one).
 */
export async function revokeApiKey(
  db: Db,
  clock: Clock,
  shopId: string,
  keyId: string,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const active = await tx
      .selectFrom('api_keys')
      .select(['id'])
      .where('shop_id', '=', shopId)
      .where('revoked_at', 'is', null)
      .forUpdate()
      .execute();
    if (!active.some((k) => k.id === keyId)) {
      const exists = await tx
        .selectFrom('api_keys')
        .select('id')
        .where('shop_id', '=', shopId)
        .where('id', '=', keyId)
        .executeTakeFirst();
      if (!exists) throw problems.notFound(`API key ${keyId}`);
      return; // already revoked: revoking again changes nothing
    }
    if (active.length === 1) {
      throw problems.conflict("This is the shop's last active API key; create another one first.");
    }
    await tx
      .updateTable('api_keys')
      .set({ revoked_at: clock.now() })
      .where('shop_id', '=', shopId)
      .where('id', '=', keyId)
      .execute();
  });
}
