import type { Db } from '../db/connect.ts';
import type { AuditActorType } from '../db/schema.ts';

const ACTOR_TYPES: readonly string[] = ['user', 'api_key', 'staff', 'system'];

export interface AuditLogQuery {
  from?: Date | undefined;
  to?: Date | undefined;
  /** An actor's id (usr_…, key_…, stf_…), or a kind of actor (user, api_key, staff, system). */
  actor?: string | undefined;
  action?: string | undefined;
  /** The page after this entry: the previous page's nextBefore. */
  before?: number | undefined;
  limit: number;
}

/** A shop's audit log, newest first, a page at a time (API.md "Merchant accounts"). */
export async function listAuditLog(db: Db, shopId: string, q: AuditLogQuery) {
  let query = db
    .selectFrom('audit_log')
    .selectAll()
    .where('shop_id', '=', shopId)
    .orderBy('id', 'desc')
    .limit(q.limit + 1);
  if (q.from) query = query.where('at', '>=', q.from);
  if (q.to) query = query.where('at', '<', q.to);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.before !== undefined) query = query.where('id', '<', q.before);
  if (q.actor) {
    query = ACTOR_TYPES.includes(q.actor)
      ? query.where('actor_type', '=', q.actor as AuditActorType)
      : query.where('actor_id', '=', q.actor);
  }
  const rows = await query.execute();
  const page = rows.slice(0, q.limit);
  return {
    data: page.map((r) => ({
      id: String(r.id),
      at: r.at.toISOString(),
      actor: { type: r.actor_type, id: r.actor_id, name: r.actor_name },
      action: r.action,
      target: { type: r.target_type, id: r.target_id },
      ...(r.before !== null && { before: r.before }),
      ...(r.after !== null && { after: r.after }),
      // Logged by the sweep from an intent: the write may or may not have taken effect.
      ...(r.outcome === 'unconfirmed' && { unconfirmed: true as const }),
    })),
    nextBefore: rows.length > q.limit ? String(page[page.length - 1]!.id) : null,
  };
}
