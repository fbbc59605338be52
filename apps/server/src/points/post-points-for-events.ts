import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import type { DomainEvent, Reaction } from '../events/domain-events.ts';
import { addDays, addMonths } from '../shared/zoned-time.ts';
import { credit, reverseCredit, type Account } from './account.ts';
import type { Fact, OrderFact } from './earning-rules.ts';
import { pointsForFact, type EarnedByRule, type EarnIntent } from './evaluate-rules.ts';
import { openAccounts, saveAccounts } from './ledger.ts';
import { liveProgramme, type ProgrammeVersion } from './live-programme.ts';
import { loadOrderFacts, type EarningOrder } from './load-order-facts.ts';
import { loadTierBenefits } from '../tiers/load-tier-benefits.ts';

type PointsEvent = Extract<
  DomainEvent,
  {
    type:
      | 'order.paid'
      | 'order.refunded'
      | 'order.cancelled'
      | 'customer.created'
      | 'activity.recorded';
  }
>;

/** An earn entry of an order and how much of it has been taken back so far. */
interface OrderCredit {
  id: string;
  customerId: string;
  orderId: string;
  points: number;
  reversed: number;
}

/**
 * Points for a batch of domain events, in the ingestion transaction: orders and activities
 * earn under the live programme, refunds and cancellations take back the order's original
 * entries in proportion (whatever the rules are now). Decisions are pure (evaluate-rules,
 * account); this function gathers the facts and hands the entries to the ledger.
 */
export async function postPointsForEvents(tx: Tx, events: PointsEvent[], now: Date): Promise<void> {
  if (events.length === 0) return;
  const shopId = events[0]!.shopId;
  const shop = await tx
    .selectFrom('shops')
    .select(['timezone', 'return_window_days'])
    .where('id', '=', shopId)
    .executeTakeFirstOrThrow();
  const live = await liveProgramme(tx, shopId);

  const orderIds = [...new Set(events.flatMap((e) => ('orderId' in e ? [e.orderId] : [])))];
  const orders = await loadOrderFacts(tx, shopId, orderIds);
  const credits = await loadOrderCredits(tx, shopId, orderIds);
  const refundedBefore = refundedBeforeBatch(events, orders);

  const history = await loadCappedHistory(tx, shopId, live, customersOf(events, orders));
  // The tier held when the batch is processed: the order that lifts a customer to a tier
  // still earns at the rate of the tier before (tiers react after points).
  const tiers = await loadTierBenefits(tx, shopId, customersOf(events, orders), now);
  const intents = new Map<PointsEvent, { customerId: string; at: Date; intents: EarnIntent[] }>();
  for (const event of events) {
    const earning = earningFact(event, orders);
    if (!earning) continue;
    const ctx = {
      programme: live.programme,
      version: live.version,
      timezone: shop.timezone,
      customerId: earning.customerId,
      at: event.at,
      tierMultiplier: tiers.get(earning.customerId)?.pointsMultiplier ?? 1,
      history: history.get(earning.customerId) ?? [],
    };
    history.set(earning.customerId, ctx.history);
    intents.set(event, { ...earning, intents: pointsForFact(ctx, earning.fact) });
  }

  // Reversals need the customers' open lots and the original lots, even if emptied since.
  const reversedCredits = events.flatMap((e) =>
    e.type === 'order.refunded' || e.type === 'order.cancelled'
      ? (credits.get(e.orderId) ?? [])
      : [],
  );
  // The customers who hold the entries being reversed too: an order may have changed hands.
  const accounts = await openAccounts(
    tx,
    shopId,
    [...customersOf(events, orders), ...reversedCredits.map((c) => c.customerId)],
    {
      withLots: reversedCredits.map((c) => c.customerId),
      lotIds: reversedCredits.map((c) => c.id),
      keys: [...intents.values()].flatMap((i) => i.intents.map((x) => x.key)),
    },
  );

  const settings = live.programme.settings;
  /** Takes back the order's earned entries up to `share` of their points. */
  const takeBack = (
    orderId: string,
    share: number,
    cause: { key: string; at: Date; refundId: string | null; reason: string },
  ) => {
    for (const c of credits.get(orderId) ?? []) {
      const points = Math.round(c.points * share) - c.reversed;
      if (points <= 0) continue;
      const entry = reverseCredit(accounts.get(c.customerId)!, {
        original: { id: c.id, customerId: c.customerId, orderId: c.orderId },
        points,
        key: `reverse:${c.id}:${cause.key}`,
        at: cause.at,
        refundId: cause.refundId,
        reason: cause.reason,
        shortfall: settings.refundShortfall,
      });
      if (entry) c.reversed += points;
    }
  };

  for (const [index, event] of events.entries()) {
    const earned = intents.get(event);
    if (earned) {
      const account = accounts.get(earned.customerId)!;
      // An order's points wait for its return window; anything else is spendable once processed.
      const availableAt =
        event.type === 'order.paid' ? addDays(event.at, shop.return_window_days) : now;
      for (const intent of earned.intents) {
        const entry = credit(account, {
          points: intent.points,
          kind: 'earn',
          cause: event.type === 'order.paid' ? 'order' : 'rule',
          orderId: event.type === 'order.paid' ? event.orderId : null,
          ruleId: intent.ruleId,
          ruleCode: intent.ruleCode,
          programmeVersion: intent.programmeVersion,
          key: intent.key,
          at: event.at,
          availableAt,
          expiresAt:
            settings.expiryMonths === null ? null : addMonths(availableAt, settings.expiryMonths),
        });
        if (entry && entry.orderId) {
          const list = credits.get(entry.orderId) ?? [];
          list.push({
            id: entry.id,
            customerId: account.customerId,
            orderId: entry.orderId,
            points: entry.points,
            reversed: 0,
          });
          credits.set(entry.orderId, list);
        }
      }
      if (event.type === 'order.paid') {
        // A refund or cancellation that was applied before the payment arrived (platforms
        // send them in any order) takes its share of the points as soon as they exist.
        const order = orders.get(event.orderId)!;
        const cancelledLater = events
          .slice(index + 1)
          .some((e) => e.type === 'order.cancelled' && e.orderId === event.orderId);
        const refunded = refundedBefore.get(event.orderId) ?? 0;
        const share =
          order.cancelled && !cancelledLater
            ? 1
            : order.total > 0
              ? Math.min(1, refunded / order.total)
              : 0;
        if (share > 0) {
          takeBack(event.orderId, share, {
            key: 'before-paid',
            at: event.at,
            refundId: null,
            reason: order.cancelled && !cancelledLater ? 'cancellation' : 'refund',
          });
        }
      }
    }
    if (event.type === 'order.refunded') {
      const order = orders.get(event.orderId);
      if (!order) continue;
      const refunded = (refundedBefore.get(event.orderId) ?? 0) + event.amount;
      refundedBefore.set(event.orderId, refunded);
      takeBack(event.orderId, order.total > 0 ? Math.min(1, refunded / order.total) : 1, {
        key: `refund:${event.refundId}`,
        at: event.at,
        refundId: event.refundId,
        reason: 'refund',
      });
    }
    if (event.type === 'order.cancelled') {
      takeBack(event.orderId, 1, {
        key: 'cancel',
        at: event.at,
        refundId: null,
        reason: 'cancellation',
      });
    }
  }
  await saveAccounts(tx, accounts.values(), now);
}

function earningFact(
  event: PointsEvent,
  orders: Map<string, EarningOrder>,
): { customerId: string; at: Date; fact: Fact } | null {
  switch (event.type) {
    case 'order.paid': {
      const order = orders.get(event.orderId);
      if (!order?.customerId) return null; // a guest order earns nothing
      return { customerId: order.customerId, at: event.at, fact: order.fact };
    }
    case 'customer.created':
      return { customerId: event.customerId, at: event.at, fact: { kind: 'signup' } };
    case 'activity.recorded':
      return {
        customerId: event.customerId,
        at: event.at,
        fact: {
          kind: 'activity',
          activityId: event.activityId,
          externalId: event.externalId,
          type: event.activityType,
          data: event.data,
        },
      };
    default:
      return null;
  }
}

function customersOf(events: PointsEvent[], orders: Map<string, EarningOrder>): Set<string> {
  const ids = new Set<string>();
  for (const e of events) {
    if ('customerId' in e && e.customerId) ids.add(e.customerId);
    if ('orderId' in e) {
      const customerId = orders.get(e.orderId)?.customerId;
      if (customerId) ids.add(customerId);
    }
  }
  return ids;
}

/** The refunded amount of each order before this batch's refunds: the stored total less them. */
function refundedBeforeBatch(
  events: PointsEvent[],
  orders: Map<string, EarningOrder>,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, order] of orders) out.set(id, order.refundedAmount);
  for (const e of events) {
    if (e.type === 'order.refunded') out.set(e.orderId, (out.get(e.orderId) ?? 0) - e.amount);
  }
  return out;
}

async function loadOrderCredits(
  tx: Tx,
  shopId: string,
  orderIds: string[],
): Promise<Map<string, OrderCredit[]>> {
  const out = new Map<string, OrderCredit[]>();
  if (orderIds.length === 0) return out;
  const rows = await sql<{
    id: string;
    customer_id: string;
    order_id: string;
    points: number;
    reversed: number;
  }>`
    SELECT e.id, e.customer_id, e.order_id, e.points,
           COALESCE((SELECT sum(-r.points + r.absorbed + r.already_expired) FROM point_entries r
                     WHERE r.shop_id = e.shop_id AND r.order_id = e.order_id AND r.reverses_entry_id = e.id), 0)::bigint AS reversed
    FROM point_entries e
    WHERE e.shop_id = ${shopId} AND e.order_id = ANY(${orderIds}::text[]) AND e.kind = 'earn'
    ORDER BY e.id`.execute(tx);
  for (const row of rows.rows) {
    const list = out.get(row.order_id) ?? [];
    list.push({
      id: row.id,
      customerId: row.customer_id,
      orderId: row.order_id,
      points: row.points,
      reversed: row.reversed,
    });
    out.set(row.order_id, list);
  }
  return out;
}

/** Earlier awards under the live programme's capped rules, for the customers of this batch. */
async function loadCappedHistory(
  tx: Tx,
  shopId: string,
  live: ProgrammeVersion,
  customerIds: Set<string>,
): Promise<Map<string, EarnedByRule[]>> {
  const out = new Map<string, EarnedByRule[]>();
  const capped = live.programme.rules.filter((r) => r.active && r.cap);
  if (capped.length === 0 || customerIds.size === 0) return out;
  const rows = await tx
    .selectFrom('point_entries')
    .select(['customer_id', 'rule_id', 'points', 'effective_at'])
    .where('shop_id', '=', shopId)
    .where('customer_id', '=', sql<string>`any(${[...customerIds]}::text[])`)
    .where('rule_id', '=', sql<string>`any(${capped.map((r) => r.id)}::text[])`)
    .where('kind', '=', 'earn')
    .execute();
  for (const row of rows) {
    const list = out.get(row.customer_id) ?? [];
    list.push({ ruleId: row.rule_id!, points: row.points, at: row.effective_at });
    out.set(row.customer_id, list);
  }
  return out;
}

export const pointsReaction: Reaction = {
  name: 'points',
  on: ['order.paid', 'order.refunded', 'order.cancelled', 'customer.created', 'activity.recorded'],
  react: (tx, clock, events) => postPointsForEvents(tx, events as PointsEvent[], clock.now()),
};

export type { OrderFact, Account };
