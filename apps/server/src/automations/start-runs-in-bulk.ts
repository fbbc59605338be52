import { sql } from 'kysely';
import type { Insertable } from 'kysely';
import type { FlowRunsTable } from '../db/schema.ts';
import type { Tx } from '../db/connect.ts';
import { newId } from '../shared/ids.ts';
import type { ActiveFlow } from './active-flows.ts';
import type { FlowTrigger } from './flow-definition.ts';
import { cancelQueuedMessages } from './cancel-queued-messages.ts';

export interface TriggerRow {
  shop_id: string;
  id: string;
  customer_id: string;
  type: string;
  data: Record<string, unknown>;
  occurred_at: Date;
}

/** A customer's latest run of a flow, as the batch changes it. */
interface RunState {
  shopId: string;
  id: string;
  status: 'active' | 'completed' | 'exited' | 'failed';
  startedAt: Date;
  orderId: string | null;
  /** What ends the run early: its own version's `exitOn`, not the flow's newest. */
  exitOn: string[];
  /** A run this batch creates (inserted at the end), or one already in the database. */
  created: Insertable<FlowRunsTable> | null;
  exitReason?: string;
}

/**
 * The same decisions as trigger-by-trigger processing, in a handful of statements for the whole
 * batch: the customers' latest runs and the orders' ranks are read at once, each trigger is
 * applied in order to that state in memory (exits, then starts), and the outcome is written in
 * one insert and one update. Ingestion-heavy shops send thousands of triggers a minute.
 */
export async function startRunsInBulk(
  tx: Tx,
  triggers: TriggerRow[],
  flows: ActiveFlow[],
  now: Date,
  staleMs: number,
): Promise<void> {
  const pairs = [...new Map(triggers.map((t) => [`${t.shop_id} ${t.customer_id}`, t])).values()];
  const { rows: latest } = await sql<{
    shop_id: string;
    flow_id: string;
    customer_id: string;
    id: string;
    status: RunState['status'];
    started_at: Date;
    order_id: string | null;
    exit_on: string[] | null;
  }>`
    SELECT l.*, (SELECT array_agg(e->>'type') FROM jsonb_array_elements(v.definition->'exitOn') e) AS exit_on
    FROM (
      SELECT DISTINCT ON (r.shop_id, r.flow_id, r.customer_id)
             r.shop_id, r.flow_id, r.customer_id, r.id, r.status, r.started_at,
             r.context->>'orderId' AS order_id, r.flow_version
      FROM flow_runs r
      WHERE (r.shop_id, r.customer_id) IN (
        SELECT * FROM unnest(${pairs.map((p) => p.shop_id)}::text[], ${pairs.map((p) => p.customer_id)}::text[]))
      ORDER BY r.shop_id, r.flow_id, r.customer_id, r.started_at DESC, r.id DESC
    ) l
    -- A run under way leaves on what its own version says, not on what a later version says.
    LEFT JOIN flow_versions v
      ON l.status = 'active' AND v.shop_id = l.shop_id AND v.flow_id = l.flow_id AND v.version = l.flow_version`.execute(
    tx,
  );
  const state = new Map<string, RunState>();
  const key = (shopId: string, flowId: string, customerId: string) =>
    `${shopId} ${flowId} ${customerId}`;
  for (const r of latest)
    state.set(key(r.shop_id, r.flow_id, r.customer_id), {
      shopId: r.shop_id,
      id: r.id,
      status: r.status,
      startedAt: r.started_at,
      orderId: r.order_id,
      exitOn: r.exit_on ?? [],
      created: null,
    });
  const ranks = await orderRanks(tx, triggers, flows);

  for (const trigger of triggers) {
    const shopFlows = flows.filter((f) => f.shopId === trigger.shop_id);
    const orderId = typeof trigger.data.orderId === 'string' ? trigger.data.orderId : null;
    for (const flow of shopFlows) {
      const run = state.get(key(flow.shopId, flow.id, trigger.customer_id));
      if (!run || run.status !== 'active' || run.startedAt > trigger.occurred_at) continue;
      if (!run.exitOn.includes(trigger.type)) continue;
      // The order that started a run is not a reason to leave it (a refund of it is).
      if (trigger.type === 'order.paid' && orderId !== null && run.orderId === orderId) continue;
      run.status = 'exited';
      run.exitReason = `exit:${trigger.type}`;
    }
    if (now.getTime() - trigger.occurred_at.getTime() > staleMs) continue;
    for (const flow of shopFlows) {
      if (flow.definition.trigger.type !== trigger.type) continue;
      if (typeof trigger.data.flowId === 'string' && trigger.data.flowId !== flow.id) continue;
      if (!matches(flow.definition.trigger, trigger, ranks)) continue;
      const k = key(flow.shopId, flow.id, trigger.customer_id);
      const last = state.get(k);
      const reentry = flow.definition.reentry;
      if (last) {
        if (last.status === 'active' || reentry.mode === 'never') continue;
        if (
          reentry.mode === 'after_days' &&
          trigger.occurred_at.getTime() - last.startedAt.getTime() < reentry.days * 86_400_000
        )
          continue;
      }
      const row: Insertable<FlowRunsTable> = {
        shop_id: flow.shopId,
        id: newId('frn'),
        flow_id: flow.id,
        flow_version: flow.version,
        customer_id: trigger.customer_id,
        trigger_key: typeof trigger.data.key === 'string' ? trigger.data.key : trigger.id,
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
      };
      state.set(k, {
        shopId: flow.shopId,
        id: row.id as string,
        status: 'active',
        startedAt: trigger.occurred_at,
        orderId,
        exitOn: flow.definition.exitOn.map((e) => e.type),
        created: row,
      });
    }
  }

  const inserts: Array<Insertable<FlowRunsTable>> = [];
  const exits: Array<{ shopId: string; id: string; reason: string }> = [];
  for (const run of state.values()) {
    if (run.created) {
      inserts.push(
        run.status === 'exited'
          ? {
              ...run.created,
              status: 'exited',
              end_reason: run.exitReason!,
              ended_at: now,
              due_at: null,
            }
          : run.created,
      );
    } else if (run.status === 'exited' && run.exitReason) {
      exits.push({ shopId: run.shopId, id: run.id, reason: run.exitReason });
    }
  }
  if (inserts.length > 0)
    await tx
      .insertInto('flow_runs')
      .values(inserts)
      .onConflict((oc) => oc.doNothing())
      .execute();
  if (exits.length > 0) {
    await sql`
      UPDATE flow_runs r SET status = 'exited', end_reason = x.reason, ended_at = ${now}, due_at = NULL
      FROM unnest(${exits.map((e) => e.shopId)}::text[], ${exits.map((e) => e.id)}::text[], ${exits.map((e) => e.reason)}::text[])
        AS x(shop_id, id, reason)
      WHERE r.shop_id = x.shop_id AND r.id = x.id AND r.status = 'active'`.execute(tx);
    // What they still had waiting is not sent.
    await cancelQueuedMessages(
      tx,
      exits.map((e) => ({
        shopId: e.shopId,
        runId: e.id,
        reason: `run_exited:${e.reason.slice(5)}`,
      })),
    );
  }
}

function matches(t: FlowTrigger, trigger: TriggerRow, ranks: Map<string, number>): boolean {
  const data = trigger.data;
  switch (t.type) {
    case 'order.paid':
      return (
        t.nth === undefined || ranks.get(`${trigger.shop_id} ${String(data.orderId)}`) === t.nth
      );
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

/** Each paid order's place among its customer's paid, not cancelled orders (1 = the first). */
async function orderRanks(
  tx: Tx,
  triggers: TriggerRow[],
  flows: ActiveFlow[],
): Promise<Map<string, number>> {
  const ranks = new Map<string, number>();
  const shopsWithNth = new Set(
    flows
      .filter(
        (f) => f.definition.trigger.type === 'order.paid' && f.definition.trigger.nth !== undefined,
      )
      .map((f) => f.shopId),
  );
  const orders = triggers.filter(
    (t) =>
      t.type === 'order.paid' && shopsWithNth.has(t.shop_id) && typeof t.data.orderId === 'string',
  );
  if (orders.length === 0) return ranks;
  const { rows } = await sql<{ shop_id: string; id: string; rank: number }>`
    SELECT o.shop_id, o.id,
           (SELECT count(*) FROM orders p
            WHERE p.shop_id = o.shop_id AND p.customer_id = o.customer_id
              AND p.paid_at IS NOT NULL AND p.cancelled_at IS NULL
              AND (p.placed_at, p.id) <= (o.placed_at, o.id))::int AS rank
    FROM orders o
    WHERE (o.shop_id, o.id) IN (
      SELECT * FROM unnest(${orders.map((t) => t.shop_id)}::text[], ${orders.map((t) => String(t.data.orderId))}::text[]))
      AND o.paid_at IS NOT NULL AND o.cancelled_at IS NULL`.execute(tx);
  for (const r of rows) ranks.set(`${r.shop_id} ${r.id}`, r.rank);
  return ranks;
}
