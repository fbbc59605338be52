import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { newId } from '../shared/ids.ts';

export interface AutomationTrigger {
  shopId: string;
  customerId: string;
  /** e.g. `tier.changed`, `tier.at_risk`, `referral.qualified`, `survey.answered`. */
  type: string;
  data?: Record<string, unknown>;
  at: Date;
}

/**
 * How a feature tells the flow engine that something happened to a customer: a row in the
 * trigger outbox, written in the caller's transaction so the fact and the trigger commit
 * together. The engine picks it up on its next round; writing it costs one insert.
 */
export async function recordTrigger(
  db: Kysely<Database>,
  trigger: AutomationTrigger | AutomationTrigger[],
): Promise<void> {
  const all = Array.isArray(trigger) ? trigger : [trigger];
  if (all.length === 0) return;
  await db
    .insertInto('automation_triggers')
    .values(
      all.map((t) => ({
        shop_id: t.shopId,
        id: newId('atr'),
        customer_id: t.customerId,
        type: t.type,
        data: JSON.stringify(t.data ?? {}),
        occurred_at: t.at,
      })),
    )
    .execute();
}
