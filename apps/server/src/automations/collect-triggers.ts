import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import type { DomainEvent, Reaction } from '../events/domain-events.ts';
import { recordTrigger, type AutomationTrigger } from '../events/record-trigger.ts';
import { attributeConversions } from './attribute-conversions.ts';
import { forgetCustomerMessages } from './forget-customer-messages.ts';

type AutomationEvent = Extract<
  DomainEvent,
  {
    type:
      | 'customer.created'
      | 'order.paid'
      | 'order.fulfilled'
      | 'order.refunded'
      | 'activity.recorded';
  }
>;

/**
 * Ingestion's part in automation, kept small: events some active flow starts or exits on become
 * rows in the trigger outbox (the flow engine does the rest on its own time), and a paid order
 * is credited to the message that led to it.
 */
export const automationsReaction: Reaction = {
  name: 'automations',
  on: [
    'customer.created',
    'order.paid',
    'order.fulfilled',
    'order.refunded',
    'activity.recorded',
    'customer.redacted',
  ],
  async react(tx, clock, events) {
    await forgetCustomerMessages(
      tx,
      events.flatMap((e) =>
        e.type === 'customer.redacted' ? [{ shopId: e.shopId, customerId: e.customerId }] : [],
      ),
      clock.now(),
    );
    const mine = events.filter((e) => e.type !== 'customer.redacted') as AutomationEvent[];
    if (mine.length === 0) return;
    await attributeConversions(
      tx,
      mine.flatMap((e) =>
        e.type === 'order.paid' && e.customerId
          ? [{ shopId: e.shopId, customerId: e.customerId, orderId: e.orderId, at: e.at }]
          : [],
      ),
    );
    await collectTriggers(tx, mine);
    await milestoneTriggers(tx, mine);
  },
};

/**
 * Points milestones: customers of this batch whose lifetime points reached a milestone flow's
 * threshold and who have no run of it for that milestone yet. Runs after the points reaction,
 * so this batch's points count.
 */
async function milestoneTriggers(tx: Tx, events: AutomationEvent[]): Promise<void> {
  const touched = events.flatMap((e) =>
    e.type === 'order.paid'
      ? e.customerId
        ? [{ shopId: e.shopId, customerId: e.customerId, at: e.at }]
        : []
      : e.type === 'activity.recorded'
        ? [{ shopId: e.shopId, customerId: e.customerId, at: e.at }]
        : [],
  );
  if (touched.length === 0) return;
  const { rows } = await sql<{
    shop_id: string;
    customer_id: string;
    flow_id: string;
    points: number;
  }>`
    SELECT DISTINCT a.shop_id, a.customer_id, f.id AS flow_id, (f.definition->'trigger'->>'points')::bigint AS points
    FROM unnest(${touched.map((t) => t.shopId)}::text[], ${touched.map((t) => t.customerId)}::text[]) AS t(shop_id, customer_id)
    JOIN flows f ON f.shop_id = t.shop_id AND f.status = 'active' AND f.definition->'trigger'->>'type' = 'points.milestone'
    JOIN point_accounts a ON a.shop_id = t.shop_id AND a.customer_id = t.customer_id
      AND a.lifetime_earned >= (f.definition->'trigger'->>'points')::bigint
    WHERE NOT EXISTS (
      SELECT 1 FROM flow_runs r WHERE r.shop_id = f.shop_id AND r.flow_id = f.id AND r.customer_id = a.customer_id
        AND r.trigger_key = 'milestone:' || (f.definition->'trigger'->>'points'))
      AND NOT EXISTS (
      SELECT 1 FROM automation_triggers x WHERE x.shop_id = f.shop_id AND x.customer_id = a.customer_id
        AND x.type = 'points.milestone' AND x.data->>'flowId' = f.id AND x.processed_at IS NULL)`.execute(
    tx,
  );
  const at = new Map(touched.map((t) => [`${t.shopId} ${t.customerId}`, t.at]));
  await recordTrigger(
    tx,
    rows.map((r) => ({
      shopId: r.shop_id,
      customerId: r.customer_id,
      type: 'points.milestone',
      data: { flowId: r.flow_id, key: `milestone:${r.points}`, points: Number(r.points) },
      at: at.get(`${r.shop_id} ${r.customer_id}`)!,
    })),
  );
}

async function collectTriggers(tx: Tx, events: AutomationEvent[]): Promise<void> {
  const shopIds = [...new Set(events.map((e) => e.shopId))];
  const { rows } = await sql<{ shop_id: string; type: string }>`
    SELECT DISTINCT f.shop_id, t.type
    FROM flows f
    CROSS JOIN LATERAL (
      SELECT f.definition->'trigger'->>'type' AS type
      UNION ALL
      -- Every version's exits: runs under way leave on their own version's (start-runs-in-bulk).
      SELECT e->>'type'
      FROM flow_versions v, jsonb_array_elements(v.definition->'exitOn') e
      WHERE v.shop_id = f.shop_id AND v.flow_id = f.id
    ) t
    WHERE f.status = 'active' AND f.shop_id = ANY(${shopIds}::text[])`.execute(tx);
  const wanted = new Set(rows.map((r) => `${r.shop_id} ${r.type}`));
  const wants = (shopId: string, type: string) => wanted.has(`${shopId} ${type}`);

  const needOwner = events.filter(
    (e) => (e.type === 'order.fulfilled' || e.type === 'order.refunded') && wants(e.shopId, e.type),
  ) as Array<Extract<AutomationEvent, { orderId: string }>>;
  const owners = new Map<string, string | null>();
  if (needOwner.length > 0) {
    const found = await tx
      .selectFrom('orders')
      .select(['shop_id', 'id', 'customer_id'])
      .where(
        sql<boolean>`(shop_id, id) IN (SELECT * FROM unnest(${needOwner.map((e) => e.shopId)}::text[], ${needOwner.map((e) => e.orderId)}::text[]))`,
      )
      .execute();
    for (const o of found) owners.set(`${o.shop_id} ${o.id}`, o.customer_id);
  }

  const triggers: AutomationTrigger[] = [];
  for (const e of events) {
    const base = { shopId: e.shopId, at: e.at };
    switch (e.type) {
      case 'customer.created':
        if (wants(e.shopId, e.type))
          triggers.push({ ...base, customerId: e.customerId, type: e.type });
        break;
      case 'order.paid':
        if (e.customerId && wants(e.shopId, e.type))
          triggers.push({
            ...base,
            customerId: e.customerId,
            type: e.type,
            data: { orderId: e.orderId },
          });
        break;
      case 'order.fulfilled':
      case 'order.refunded': {
        const customerId = owners.get(`${e.shopId} ${e.orderId}`);
        if (customerId)
          triggers.push({
            ...base,
            customerId,
            type: e.type,
            data:
              e.type === 'order.refunded'
                ? { orderId: e.orderId, refundId: e.refundId, amount: e.amount }
                : { orderId: e.orderId },
          });
        break;
      }
      case 'activity.recorded':
        if (wants(e.shopId, 'activity'))
          triggers.push({
            ...base,
            customerId: e.customerId,
            type: 'activity',
            // The sender's payload first: it may not overwrite what the engine relies on.
            data: {
              ...withoutEngineKeys(e.data),
              activityType: e.activityType,
              activityId: e.activityId,
            },
          });
        break;
    }
  }
  await recordTrigger(tx, triggers);
}

/** Keys of a trigger's data the engine reads (dedupe key, target flow, the run's grants…). */
const ENGINE_KEYS = new Set([
  'key',
  'flowId',
  'grants',
  'orderId',
  'trigger',
  'triggerAt',
  'activityType',
  'activityId',
]);

function withoutEngineKeys(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([k]) => !ENGINE_KEYS.has(k)));
}
