import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Tx } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import type { ShopRow } from '../shops/shop.ts';
import { shopsById } from '../shops/shops-by-id.ts';
import { flowVersions } from './active-flows.ts';
import { evaluateCondition } from './evaluate-condition.ts';
import type { FlowDefinition, FlowStep } from './flow-definition.ts';
import { grantStep } from './grant-step.ts';
import { messagingSettings, type MessagingSettings } from './messaging-settings.ts';
import { nextLocalTime } from './quiet-hours.ts';
import { queueMessage } from './queue-message.ts';
import { cancelQueuedMessages } from './cancel-queued-messages.ts';

/** A step that keeps failing is retried this often, with growing pauses, then the run fails. */
const MAX_ATTEMPTS = 5;

interface RunRow {
  shop_id: string;
  id: string;
  flow_id: string;
  flow_version: number;
  customer_id: string;
  step_index: number;
  due_at: Date;
  variant: string | null;
  context: Record<string, unknown>;
  attempts: number;
}

/**
 * Walks every run whose next step is due, a batch at a time: each run goes on from its step
 * until it has to wait or ends, in one transaction with the batch, so a step's effects (a
 * queued message, a coupon, points) and the run's progress commit together — a crash repeats
 * the batch, never half of it. A run whose step fails is retried later on its own savepoint.
 * Returns the runs advanced.
 */
export async function advanceDueRuns(db: Db, clock: Clock, batch = 200): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await db.transaction().execute(async (tx) => {
      const now = clock.now();
      const runs = (await tx
        .selectFrom('flow_runs')
        .select([
          'shop_id',
          'id',
          'flow_id',
          'flow_version',
          'customer_id',
          'step_index',
          'due_at',
          'variant',
          'context',
          'attempts',
        ])
        .where('status', '=', 'active')
        .where('due_at', '<=', now)
        .orderBy('due_at')
        .limit(batch)
        .forUpdate()
        .skipLocked()
        .execute()) as RunRow[];
      const shopIds = [...new Set(runs.map((r) => r.shop_id))];
      const shops = await shopsById(tx, shopIds);
      const settings = await messagingSettings(tx, shopIds);
      for (const shopId of shopIds) {
        const mine = runs.filter((r) => r.shop_id === shopId);
        const definitions = await flowVersions(
          tx,
          shopId,
          mine.map((r) => ({ flowId: r.flow_id, version: r.flow_version })),
        );
        for (const run of mine) {
          const definition = definitions.get(`${run.flow_id}@${run.flow_version}`)!;
          await sql`SAVEPOINT run_step`.execute(tx);
          try {
            await walk(tx, now, shops.get(shopId)!, settings.get(shopId)!, run, definition);
            await sql`RELEASE SAVEPOINT run_step`.execute(tx);
          } catch (error) {
            await sql`ROLLBACK TO SAVEPOINT run_step`.execute(tx);
            await failStep(tx, now, run, error);
          }
        }
      }
      return runs.length;
    });
    total += done;
    if (done < batch) return total;
  }
}

async function failStep(tx: Tx, now: Date, run: RunRow, error: unknown): Promise<void> {
  const attempts = run.attempts + 1;
  const message = error instanceof Error ? error.message : String(error);
  const giveUp = attempts >= MAX_ATTEMPTS;
  await tx
    .updateTable('flow_runs')
    .set({
      attempts,
      last_error: message.slice(0, 500),
      ...(giveUp
        ? { status: 'failed', ended_at: now, due_at: null, end_reason: 'step_failed' }
        : { due_at: new Date(now.getTime() + 60_000 * 4 ** (attempts - 1)) }),
    })
    .where('shop_id', '=', run.shop_id)
    .where('id', '=', run.id)
    .execute();
  if (giveUp)
    await cancelQueuedMessages(tx, [{ shopId: run.shop_id, runId: run.id, reason: 'run_failed' }]);
}

/** Which A/B variant a run takes: stable for the run, spread by the weights. */
export function pickVariant(
  runId: string,
  stepId: string,
  variants: Array<{ key: string; weight: number }>,
  holdoutWeight: number,
): string {
  const all = [
    ...variants,
    ...(holdoutWeight > 0 ? [{ key: 'holdout', weight: holdoutWeight }] : []),
  ];
  const total = all.reduce((s, v) => s + v.weight, 0);
  const hash = createHash('sha256').update(`${runId}:${stepId}`).digest().readUInt32BE(0);
  let point = (hash / 2 ** 32) * total;
  for (const v of all) {
    if (point < v.weight) return v.key;
    point -= v.weight;
  }
  return all[all.length - 1]!.key;
}

async function walk(
  tx: Tx,
  now: Date,
  shop: ShopRow,
  settings: MessagingSettings,
  run: RunRow,
  flow: FlowDefinition,
): Promise<void> {
  const steps = flow.steps;
  const context = { ...run.context };
  let variant = run.variant;
  let index = run.step_index;
  // The moment the step was due, not when the worker got to it: waits count from there, so a
  // late round does not push the whole series later.
  let at = run.due_at;
  const log: Array<{
    index: number;
    step: FlowStep;
    outcome: string;
    detail?: Record<string, unknown>;
  }> = [];
  let end: { status: 'completed' | 'exited'; reason: string } | null = null;
  let dueAt: Date | null = null;
  const jumpTo = (target: string | undefined, from: number) => {
    if (target === undefined) return from + 1;
    if (target === 'exit') return steps.length;
    return steps.findIndex((s) => s.id === target);
  };

  while (index < steps.length) {
    const step = steps[index]!;
    if (step.type === 'wait') {
      let until = new Date(
        at.getTime() +
          ((step.duration?.days ?? 0) * 1440 +
            (step.duration?.hours ?? 0) * 60 +
            (step.duration?.minutes ?? 0)) *
            60_000,
      );
      if (step.untilTime) until = nextLocalTime(until, shop.timezone, step.untilTime);
      log.push({ index, step, outcome: 'waiting', detail: { until: until.toISOString() } });
      index += 1;
      if (until.getTime() > now.getTime()) {
        dueAt = until;
        break;
      }
      at = until;
      continue;
    }
    if (step.type === 'condition') {
      const passed = await evaluateCondition(tx, shop, run.customer_id, step, now);
      log.push({ index, step, outcome: passed ? 'passed' : 'failed' });
      if (passed) index += 1;
      else {
        if (step.else === 'exit') {
          end = { status: 'exited', reason: `condition:${step.id}` };
          break;
        }
        index = jumpTo(step.else, index);
      }
      continue;
    }
    if (step.type === 'split') {
      variant = pickVariant(run.id, step.id, step.variants, step.holdoutWeight);
      log.push({ index, step, outcome: variant });
      if (variant === 'holdout') {
        end = { status: 'completed', reason: 'holdout' };
        break;
      }
      index = jumpTo(step.variants.find((v) => v.key === variant)?.goto, index);
      continue;
    }
    if (step.type === 'send' || step.type === 'webhook') {
      const grants = (context.grants ?? {}) as Record<string, unknown>;
      const message = await queueMessage(tx, {
        shopId: shop.id,
        customerId: run.customer_id,
        channel: step.type === 'send' ? step.channel : 'webhook',
        purpose: step.type === 'send' ? step.purpose : 'transactional',
        template: step.type === 'send' ? step.template : 'webhook.flow_step',
        locale: shop.locale,
        sendKey: `flow:${run.id}:${step.id}`,
        at,
        timezone: shop.timezone,
        quiet: settings.quiet,
        toAddress:
          step.type === 'webhook'
            ? step.endpointId
            : await addressFor(tx, shop.id, run.customer_id, step.channel),
        variables: {
          context,
          ...(step.type === 'send' && step.withGrantOf ? { grant: grants[step.withGrantOf] } : {}),
        },
        flow: { flowId: run.flow_id, runId: run.id, stepId: step.id, variant },
      });
      log.push({
        index,
        step,
        outcome: message.queued ? 'queued' : 'already_queued',
        detail: { messageId: message.id },
      });
      index += 1;
      continue;
    }
    if (step.type === 'grant') {
      const outcome = await grantStep(tx, {
        shop,
        customerId: run.customer_id,
        grant: step.grant,
        key: `flow:${run.id}:${step.id}`,
        at,
        reason: `flow ${run.flow_id}, step ${step.id}`,
      });
      context.grants = {
        ...((context.grants ?? {}) as Record<string, unknown>),
        [step.id]: outcome,
      };
      log.push({
        index,
        step,
        outcome: 'skipped' in outcome ? outcome.skipped : 'granted',
        detail: { ...outcome },
      });
      index += 1;
      continue;
    }
    // step.type === 'task'
    const taskId = newId('tsk');
    await tx
      .insertInto('customer_tasks')
      .values({
        shop_id: shop.id,
        id: taskId,
        customer_id: run.customer_id,
        title: step.title,
        due_at: new Date(at.getTime() + 86_400_000),
        source: `flow:${run.flow_id}`,
        created_by: `flow:${run.flow_id}`,
      })
      .execute();
    log.push({ index, step, outcome: 'task_opened', detail: { taskId } });
    index += 1;
  }
  if (!end && index >= steps.length && dueAt === null)
    end = { status: 'completed', reason: 'done' };

  if (log.length > 0) {
    await tx
      .insertInto('flow_run_steps')
      .values(
        log.map((l) => ({
          shop_id: run.shop_id,
          run_id: run.id,
          step_index: l.index,
          step_id: l.step.id,
          kind: l.step.type,
          outcome: l.outcome,
          detail: JSON.stringify(l.detail ?? {}),
          at: now,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  await tx
    .updateTable('flow_runs')
    .set({
      step_index: index,
      variant,
      context: JSON.stringify(context),
      attempts: 0,
      last_error: null,
      ...(end
        ? { status: end.status, end_reason: end.reason, ended_at: now, due_at: null }
        : { due_at: dueAt }),
    })
    .where('shop_id', '=', run.shop_id)
    .where('id', '=', run.id)
    .execute();
  if (end?.status === 'exited')
    await cancelQueuedMessages(tx, [
      { shopId: run.shop_id, runId: run.id, reason: `run_exited:${end.reason}` },
    ]);
}

async function addressFor(
  tx: Tx,
  shopId: string,
  customerId: string,
  channel: 'email' | 'sms' | 'push',
): Promise<string | null> {
  if (channel === 'push') return null;
  const c = await tx
    .selectFrom('customers')
    .select(['email', 'phone'])
    .where('shop_id', '=', shopId)
    .where('id', '=', customerId)
    .executeTakeFirst();
  return (channel === 'email' ? c?.email?.toLowerCase() : c?.phone) ?? null;
}
