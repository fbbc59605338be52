import type { Db, Tx } from '../db/connect.ts';
import { withoutSecrets, type AuditEntry } from './audit-entry.ts';

/** Appends one entry; the table refuses to change or remove it afterwards. */
export async function recordAudit(db: Db | Tx, entry: AuditEntry): Promise<void> {
  const json = (value: unknown) =>
    value === undefined ? null : JSON.stringify(withoutSecrets(value));
  await db
    .insertInto('audit_log')
    .values({
      shop_id: entry.shopId,
      at: entry.at,
      actor_type: entry.actor.type,
      actor_id: entry.actor.id,
      actor_name: entry.actor.name,
      action: entry.action,
      target_type: entry.target.type,
      target_id: entry.target.id,
      before: json(entry.before),
      after: json(entry.after),
    })
    .execute();
}
