import { sql } from 'kysely';
import type { Db, Tx } from '../db/connect.ts';
import { withoutSecrets, type AuditEntry } from './audit-entry.ts';

const json = (value: unknown) =>
  value === undefined ? null : JSON.stringify(withoutSecrets(value));

function columns(entry: AuditEntry) {
  return {
    shop_id: entry.shopId,
    at: entry.at,
    actor_type: entry.actor.type,
    actor_id: entry.actor.id,
    actor_name: entry.actor.name,
    action: entry.action,
    target_type: entry.target.type,
    target_id: entry.target.id,
    before: json(entry.before),
  };
}

/** Appends one entry; the table refuses to change or remove it afterwards. */
export async function recordAudit(db: Db | Tx, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ ...columns(entry), after: json(entry.after) })
    .execute();
}

/**
 * Announces a write before it runs: who, when, what, on what, and the state before it. The
 * write then either confirms it (`confirmAudit`), or drops it when refused (`dropAuditIntent`);
 * an intent nobody came back for is logged as unconfirmed by `recordAbandonedIntents`.
 */
export async function announceAudit(db: Db, entry: AuditEntry): Promise<AuditIntent> {
  const row = await db
    .insertInto('audit_intents')
    .values(columns(entry))
    .returning('id')
    .executeTakeFirstOrThrow();
  return { shopId: entry.shopId, id: row.id };
}

/** An announced write, found again by its shop and id (the table's key). */
export interface AuditIntent {
  shopId: string;
  id: number;
}

/**
 * The write answered: its entry is appended and its intent removed, both or neither. A write
 * slower than the sweep's cutoff finds its intent already logged as unconfirmed: that entry
 * stands, and no second one is written.
 */
export async function confirmAudit(db: Db, intent: AuditIntent, entry: AuditEntry): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const removed = await tx
      .deleteFrom('audit_intents')
      .where('shop_id', '=', intent.shopId)
      .where('id', '=', intent.id)
      .executeTakeFirst();
    if (removed.numDeletedRows === 0n) return;
    await recordAudit(tx, entry);
  });
}

/** The write was refused (a 4xx): it changed nothing, so nothing is recorded. */
export async function dropAuditIntent(db: Db, intent: AuditIntent): Promise<void> {
  await db
    .deleteFrom('audit_intents')
    .where('shop_id', '=', intent.shopId)
    .where('id', '=', intent.id)
    .execute();
}

/**
 * Intents older than `olderThan` belong to writes whose answer was never seen: the process
 * died, or the database went away between the write and its entry. Each is appended to the
 * log as unconfirmed (the write may or may not have taken effect) and removed, in one
 * statement, so two sweeps never log one twice. Returns how many.
 */
export async function recordAbandonedIntents(db: Db, olderThan: Date): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    WITH abandoned AS (
      DELETE FROM audit_intents WHERE at < ${olderThan}
      RETURNING shop_id, at, actor_type, actor_id, actor_name, action, target_type, target_id,
                before, id
    ), logged AS (
      INSERT INTO audit_log (shop_id, at, actor_type, actor_id, actor_name, action, target_type,
                             target_id, before, outcome)
      SELECT shop_id, at, actor_type, actor_id, actor_name, action, target_type, target_id,
             before, 'unconfirmed'
      FROM abandoned ORDER BY id
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM logged`.execute(db);
  return rows[0]?.n ?? 0;
}
