import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Tx } from '../events/domain-events.ts';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { activeFlows, type ActiveFlow } from './active-flows.ts';
import type { FlowTrigger } from './flow-definition.ts';
import { cancelQueuedMessages } from './cancel-queued-messages.ts';
import { startRunsInBulk, type TriggerRow } from './start-runs-in-bulk.ts';

/** Triggers older than this start nothing (an import of history must not mail old customers). */
export const STALE_TRIGGER_MS = 3 * 86_400_000;

/**
 * Consumes the trigger outbox in the order things happened: each trigger first ends the runs
 * it is an exit for, then starts the flows it matches — one run per customer per flow at a
 * time, within the flow's re-entry rule, never twice for one trigger. A batch is decided in
 * bulk (start-runs-in-bulk.ts); the one-by-one path below is its fallback and its reference.
 * Returns the triggers consumed.
 */
export async function startRuns(db: Db, clock: Clock, limit = 500): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const triggers = (await tx
      .selectFrom('automation_triggers')
      .select(['shop_id', 'id', 'customer_id', 'type', 'data', 'occurred_at'])
      .where('processed_at', 'is', null)
      .orderBy('occurred_at')
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute()) as TriggerRow[];
    if (triggers.length === 0) return 0;
    const now = clock.now();
    const flows = await activeFlows(tx, [...new Set(triggers.map((t) => t.shop_id))]);
    const failed: Array<{ shopId: string; id: string; error: string }> = [];
    await sql`SAVEPOINT triggers_in_bulk`.execute(tx);
    try {
      await startRunsInBulk(tx, triggers, flows, now, STALE_TRIGGER_MS);
      await sql`RELEASE SAVEPOINT triggers_in_bulk`.execute(tx);
    } catch {
      // Something in the batch breaks (a broken flow): again one trigger at a time, each on its
      // own savepoint, so the failing one is parked with its error and the rest go on.
      await sql`ROLLBACK TO SAVEPOINT triggers_in_bulk`.execute(tx);
      for (const trigger of triggers) {
        const shopFlows = flows.filter((f) => f.shopId === trigger.shop_id);
        await sql`SAVEPOINT trigger_start`.execute(tx);
        try {
          await exitRuns(tx, trigger, shopFlows, now);
          if (now.getTime() - trigger.occurred_at.getTime() <= STALE_TRIGGER_MS) {
            for (const flow of shopFlows) {
              if (flow.definition.trigger.type !== trigger.type) continue;
              if (typeof trigger.data.flowId === 'string' && trigger.data.flowId !== flow.id)
                continue;
              if (!(await matches(tx, flow.definition.trigger, trigger))) continue;
              await startRun(tx, flow, trigger, now);
            }
          }
          await sql`RELEASE SAVEPOINT trigger_start`.execute(tx);
        } catch (error) {
          await sql`ROLLBACK TO SAVEPOINT trigger_start`.execute(tx);
          failed.push({
            shopId: trigger.shop_id,
            id: trigger.id,
            error: String((error as Error).message ?? error).slice(0, 500),
          });
        }
      }
    }
    for (const f of failed)
      await tx
        .updateTable('automation_triggers')
        .set({ error: f.error })
        .where('shop_id', '=', f.shopId)
        .where('id', '=', f.id)
        .execute();
    await tx
      .updateTable('automation_triggers')
      .set({ processed_at: now })
      .where(
        sql<boolean>`(shop_id, id) IN (SELECT * FROM unnest(${triggers.map((t) => t.shop_id)}::text[], ${triggers.map((t) => t.id)}::text[]))`,
      )
      .execute();
    return triggers.length;
  });
}

async function exitRuns(tx: Tx, trigger: TriggerRow, flows: ActiveFlow[], now: Date) {
  const exiting = flows
    .filter((f) => f.definition.exitOn.some((e) => e.type === trigger.type))
    .map((f) => f.id);
  if (exiting.length === 0) return;
  // The order that started a run is not a reason to leave it (a refund of it is).
  const orderId =
    trigger.type === 'order.paid' && typeof trigger.data.orderId === 'string'
      ? trigger.data.orderId
      : null;
  const exited = await tx
    .updateTable('flow_runs')
    .set({ status: 'exited', end_reason: `exit:${trigger.type}`, ended_at: now, due_at: null })
    .where('shop_id', '=', trigger.shop_id)
    .where('customer_id', '=', trigger.customer_id)
    .where('flow_id', 'in', exiting)
    .where('status', '=', 'active')
    .where('started_at', '<=', trigger.occurred_at)
    .$if(orderId !== null, (q) =>
      q.where(sql<boolean>`coalesce(context->>'orderId', '') <> ${orderId}`),
    )
    .returning('id')
    .execute();
  await cancelQueuedMessages(
    tx,
    trigger.shop_id,
    exited.map((r) => r.id),
    `run_exited:${trigger.type}`,
  );
}

async function matches(tx: Tx, t: FlowTrigger, trigger: TriggerRow): Promise<boolean> {
  const data = trigger.data;
  switch (t.type) {
    case 'order.paid':
      return t.nth === undefined || (await orderRank(tx, trigger)) === t.nth;
    case 'tier.changed':
      return t.direction === undefined || data.direction === t.direction;
    case 'survey.answered':
      return t.category === undefined || data.category === t.category;
    case 'activity':
      return data.activityType === t.activityType;
    default:
      return true;
  }
}

/** 1 for the customer's first paid, not cancelled order, counted in the order they were placed. */
async function orderRank(tx: Tx, trigger: TriggerRow): Promise<number | null> {
  const { rows } = await sql<{ rank: number | null }>`
    SELECT (SELECT count(*) FROM orders p
            WHERE p.shop_id = o.shop_id AND p.customer_id = o.customer_id
              AND p.paid_at IS NOT NULL AND p.cancelled_at IS NULL
              AND (p.placed_at, p.id) <= (o.placed_at, o.id))::int AS rank
    FROM orders o
    WHERE o.shop_id = ${trigger.shop_id} AND o.id = ${String(trigger.data.orderId)}
      AND o.paid_at IS NOT NULL AND o.cancelled_at IS NULL`.execute(tx);
  return rows[0]?.rank ?? null;
}

async function startRun(tx: Tx, flow: ActiveFlow, trigger: TriggerRow, now: Date): Promise<void> {
  const reentry = flow.definition.reentry;
  const last = await tx
    .selectFrom('flow_runs')
    .select(['status', 'started_at'])
    .where('shop_id', '=', flow.shopId)
    .where('flow_id', '=', flow.id)
    .where('customer_id', '=', trigger.customer_id)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (last) {
    if (last.status === 'active' || reentry.mode === 'never') return;
    if (
      reentry.mode === 'after_days' &&
      trigger.occurred_at.getTime() - last.started_at.getTime() < reentry.days * 86_400_000
    )
      return;
  }
  const key = typeof trigger.data.key === 'string' ? trigger.data.key : trigger.id;
  await tx
    .insertInto('flow_runs')
    .values({
      shop_id: flow.shopId,
      id: newId('frn', trigger.occurred_at.getTime()),
      flow_id: flow.id,
      flow_version: flow.version,
      customer_id: trigger.customer_id,
      trigger_key: key,
      status: 'active',
      step_index: 0,
      // A sender's clock ahead of ours must not hold the first step back.
      due_at: trigger.occurred_at > now ? now : trigger.occurred_at,
      context: JSON.stringify({
        trigger: trigger.type,
        triggerAt: trigger.occurred_at,
        ...trigger.data,
      }),
      started_at: trigger.occurred_at,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}
