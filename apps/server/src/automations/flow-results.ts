import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { differenceOfShares } from '../analytics/measure-lift.ts';
import { getFlow } from './manage-flows.ts';

/** A run counts as converted when its customer pays an order within this many days of the start. */
export const RUN_CONVERSION_DAYS = 14;

/**
 * How a flow does: runs by outcome, every step's outcomes, its messages per step and variant
 * (queued → sent → delivered / opened / clicked / converted, and why some were not sent), and
 * the A/B comparison — each variant's conversion (a paid order within 14 days of entering the
 * flow) against the holdout, or against the first variant when there is no holdout, with the
 * difference's 95% confidence interval and p-value. Messages count their sends (handed to the
 * channel), and the revenue of the orders they converted (less refunds, cancelled ones left out),
 * as GET /v1/analytics/messages does; runs are counted per version as well.
 */
export async function flowResults(db: Db, shop: { id: string; currency: string }, flowId: string) {
  const shopId = shop.id;
  const flow = await getFlow(db, shopId, flowId);
  const [runs, versions, steps, messages, variants] = await Promise.all([
    db
      .selectFrom('flow_runs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('shop_id', '=', shopId)
      .where('flow_id', '=', flowId)
      .groupBy('status')
      .execute(),
    // Which version each run walks: a new version takes new runs, runs under way keep theirs.
    sql<{ version: number; runs: number; active: number }>`
      SELECT flow_version AS version, count(*)::int AS runs,
             count(*) FILTER (WHERE status = 'active')::int AS active
      FROM flow_runs WHERE shop_id = ${shopId} AND flow_id = ${flowId}
      GROUP BY 1 ORDER BY 1`.execute(db),
    db
      .selectFrom('flow_run_steps as s')
      .innerJoin('flow_runs as r', (j) =>
        j.onRef('r.shop_id', '=', 's.shop_id').onRef('r.id', '=', 's.run_id'),
      )
      .select(['s.step_id', 's.kind', 's.outcome', (eb) => eb.fn.countAll<number>().as('n')])
      .where('r.shop_id', '=', shopId)
      .where('r.flow_id', '=', flowId)
      .groupBy(['s.step_id', 's.kind', 's.outcome'])
      .execute(),
    sql<{
      step_id: string;
      variant: string | null;
      status: string;
      status_reason: string | null;
      n: number;
      sent: number;
      opened: number;
      clicked: number;
      converted: number;
      revenue: string;
    }>`
      SELECT m.step_id, m.variant, m.status,
             CASE WHEN m.status = 'suppressed' THEN m.status_reason END AS status_reason,
             count(*)::int AS n, count(m.sent_at)::int AS sent, count(m.opened_at)::int AS opened,
             count(m.clicked_at)::int AS clicked, count(m.converted_at)::int AS converted,
             coalesce(sum(o.total - o.refunded_amount) FILTER (WHERE o.cancelled_at IS NULL), 0)::bigint AS revenue
      FROM messages m
      LEFT JOIN orders o ON o.shop_id = m.shop_id AND o.id = m.converted_order_id
      WHERE m.shop_id = ${shopId} AND m.flow_id = ${flowId}
      GROUP BY 1, 2, 3, 4`.execute(db),
    sql<{ variant: string; runs: number; converted: number }>`
      SELECT r.variant, count(*)::int AS runs,
             count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM orders o
               WHERE o.shop_id = r.shop_id AND o.customer_id = r.customer_id
                 AND o.paid_at IS NOT NULL AND o.cancelled_at IS NULL
                 AND o.placed_at > r.started_at
                 AND o.placed_at <= r.started_at + make_interval(days => ${RUN_CONVERSION_DAYS})
                 AND coalesce(r.context->>'orderId', '') <> o.id))::int AS converted
      FROM flow_runs r
      WHERE r.shop_id = ${shopId} AND r.flow_id = ${flowId} AND r.variant IS NOT NULL
      GROUP BY r.variant ORDER BY r.variant`.execute(db),
  ]);

  const perStep = new Map<string, Record<string, number>>();
  for (const s of steps) {
    const entry = perStep.get(s.step_id) ?? {};
    entry[s.outcome] = Number(s.n);
    perStep.set(s.step_id, entry);
  }
  const messageRows = new Map<string, ReturnType<typeof emptyCounts>>();
  for (const m of messages.rows) {
    const key = `${m.step_id}\u0000${m.variant ?? ''}`;
    const c = messageRows.get(key) ?? emptyCounts(m.step_id, m.variant);
    c.total += m.n;
    c.sent += m.sent;
    c.byStatus[m.status] = (c.byStatus[m.status] ?? 0) + m.n;
    if (m.status_reason) c.notSent[m.status_reason] = (c.notSent[m.status_reason] ?? 0) + m.n;
    c.opened += m.opened;
    c.clicked += m.clicked;
    c.converted += m.converted;
    c.revenue += Number(m.revenue);
    messageRows.set(key, c);
  }
  const groups = variants.rows;
  const control = groups.find((g) => g.variant === 'holdout') ?? groups[0];
  return {
    flowId,
    name: flow.name,
    version: flow.version,
    since: flow.createdAt,
    currency: shop.currency,
    runs: Object.fromEntries(runs.map((r) => [r.status, Number(r.n)])),
    versions: versions.rows,
    steps: flow.definition.steps.map((s) => ({
      stepId: s.id,
      type: s.type,
      outcomes: perStep.get(s.id) ?? {},
    })),
    messages: [...messageRows.values()],
    variants: groups.map((g) => ({
      variant: g.variant,
      runs: g.runs,
      converted: g.converted,
      conversionRate: g.runs > 0 ? Number((g.converted / g.runs).toFixed(4)) : null,
      againstControl:
        control && g !== control
          ? {
              control: control.variant,
              ...differenceOfShares(g.converted, g.runs, control.converted, control.runs),
            }
          : null,
    })),
    conversionDays: RUN_CONVERSION_DAYS,
  };
}

function emptyCounts(stepId: string, variant: string | null) {
  return {
    stepId,
    variant,
    total: 0,
    sent: 0,
    byStatus: {} as Record<string, number>,
    notSent: {} as Record<string, number>,
    opened: 0,
    clicked: 0,
    converted: 0,
    revenue: 0,
  };
}
