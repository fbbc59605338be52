import { checkReferences, type Reference } from '../db/check-references.ts';
import { BUILT_IN_SEGMENT_IDS } from '../segments/built-in-segments.ts';
import { templateKeys } from '../messaging/ready-templates.ts';
import type { Db } from '../db/connect.ts';
import type { Tx } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { flowDefinitionSchema, type FlowDefinition } from './flow-definition.ts';
import { readyFlow } from './ready-flows.ts';
import { cancelQueuedMessages } from './cancel-queued-messages.ts';

const READY_TEMPLATE_KEYS: ReadonlySet<string> = new Set(templateKeys);

export type FlowStatus = 'active' | 'paused' | 'archived';

export interface FlowView {
  id: string;
  name: string;
  readyKey: string | null;
  status: FlowStatus;
  version: number;
  definition: FlowDefinition;
  createdAt: string;
  updatedAt: string;
}

interface FlowRow {
  id: string;
  name: string;
  ready_key: string | null;
  status: FlowStatus;
  version: number;
  definition: unknown;
  created_at: Date;
  updated_at: Date;
}

export function flowView(row: FlowRow): FlowView {
  return {
    id: row.id,
    name: row.name,
    readyKey: row.ready_key,
    status: row.status,
    version: row.version,
    definition: row.definition as FlowDefinition,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A new flow (active unless said), with its first version. */
export async function createFlow(
  db: Db | Tx,
  clock: Clock,
  shopId: string,
  input: { name: string; definition: FlowDefinition; status?: FlowStatus; readyKey?: string },
): Promise<FlowView> {
  const definition = flowDefinitionSchema.parse(input.definition);
  const now = clock.now();
  const id = newId('flw');
  // The flow and its first version together: an active flow without a version could start nothing.
  if (!db.isTransaction)
    return (db as Db).transaction().execute((tx) => createFlow(tx, clock, shopId, input));
  await checkFlowReferences(db, shopId, definition);
  const row = await db
    .insertInto('flows')
    .values({
      shop_id: shopId,
      id,
      name: input.name,
      ready_key: input.readyKey ?? null,
      status: input.status ?? 'active',
      version: 1,
      definition: JSON.stringify(definition),
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .insertInto('flow_versions')
    .values({
      shop_id: shopId,
      flow_id: id,
      version: 1,
      definition: JSON.stringify(definition),
      created_at: now,
    })
    .execute();
  return flowView(row);
}

/**
 * Replaces a flow's definition with a new version. Runs under way keep the version they
 * started with; new runs take this one.
 */
export async function updateFlow(
  db: Db,
  clock: Clock,
  shopId: string,
  flowId: string,
  input: {
    name?: string;
    definition?: FlowDefinition;
    status?: FlowStatus;
    /** The version the change was made from: another version saved since → 409, nothing saved. */
    expectedVersion?: number;
  },
): Promise<FlowView> {
  return db.transaction().execute(async (tx) => {
    const current = await tx
      .selectFrom('flows')
      .selectAll()
      .where('shop_id', '=', shopId)
      .where('id', '=', flowId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw problems.notFound(`Flow ${flowId}`);
    if (input.expectedVersion !== undefined && input.expectedVersion !== current.version)
      throw problems.conflict(
        `The flow is at version ${current.version} now, not ${input.expectedVersion}: someone saved it meanwhile. Load it again and redo the change.`,
      );
    const now = clock.now();
    let version = current.version;
    if (input.definition) {
      const definition = flowDefinitionSchema.parse(input.definition);
      await checkFlowReferences(tx, shopId, definition);
      version += 1;
      await tx
        .insertInto('flow_versions')
        .values({
          shop_id: shopId,
          flow_id: flowId,
          version,
          definition: JSON.stringify(definition),
          created_at: now,
        })
        .execute();
      input = { ...input, definition };
    }
    const row = await tx
      .updateTable('flows')
      .set({
        name: input.name ?? current.name,
        status: input.status ?? current.status,
        version,
        ...(input.definition && { definition: JSON.stringify(input.definition) }),
        updated_at: now,
      })
      .where('shop_id', '=', shopId)
      .where('id', '=', flowId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (input.status === 'archived' || input.status === 'paused') {
      // Paused or archived: nobody walks on; runs under way end here, with what they queued.
      const ended = await tx
        .updateTable('flow_runs')
        .set({ status: 'exited', end_reason: `flow_${input.status}`, ended_at: now, due_at: null })
        .where('shop_id', '=', shopId)
        .where('flow_id', '=', flowId)
        .where('status', '=', 'active')
        .returning('id')
        .execute();
      await cancelQueuedMessages(
        tx,
        ended.map((r) => ({ shopId, runId: r.id, reason: `flow_${input.status}` })),
      );
    }
    return flowView(row);
  });
}

/** Switches on a ready-made flow (again): created on first use, reactivated after. */
export async function enableReadyFlow(
  db: Db | Tx,
  clock: Clock,
  shop: { id: string; locale: string },
  key: string,
): Promise<FlowView> {
  const ready = readyFlow(key);
  if (!ready) throw problems.notFound(`Ready-made flow ${key}`);
  const existing = await db
    .selectFrom('flows')
    .selectAll()
    .where('shop_id', '=', shop.id)
    .where('ready_key', '=', key)
    .executeTakeFirst();
  if (existing) {
    const row = await db
      .updateTable('flows')
      .set({ status: 'active', updated_at: clock.now() })
      .where('shop_id', '=', shop.id)
      .where('id', '=', existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return flowView(row);
  }
  const name = shop.locale === 'pl' ? ready.name.pl : ready.name.en;
  return createFlow(db, clock, shop.id, { name, definition: ready.definition, readyKey: key });
}

export async function listFlows(db: Db, shopId: string): Promise<FlowView[]> {
  const rows = await db
    .selectFrom('flows')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('status', '!=', 'archived')
    .orderBy('id')
    .execute();
  return rows.map(flowView);
}

export async function getFlow(db: Db, shopId: string, flowId: string): Promise<FlowView> {
  const row = await db
    .selectFrom('flows')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('id', '=', flowId)
    .executeTakeFirst();
  if (!row) throw problems.notFound(`Flow ${flowId}`);
  return flowView(row);
}

/**
 * The rewards, segments, webhook endpoints and templates a flow names must be this shop's own
 * (or built in: a built-in segment, a ready-made template).
 */
function checkFlowReferences(db: Db | Tx, shopId: string, definition: FlowDefinition) {
  const references: Reference[] = [];
  definition.steps.forEach((step, i) => {
    const at = (field: string) => `definition.steps.${i}.${field}`;
    if (step.type === 'condition' && step.segmentId !== undefined)
      references.push({ path: at('segmentId'), kind: 'segment', id: step.segmentId });
    if (step.type === 'grant' && step.grant.kind === 'reward')
      references.push({ path: at('grant.rewardId'), kind: 'reward', id: step.grant.rewardId });
    if (step.type === 'send')
      references.push({ path: at('template'), kind: 'template', id: step.template });
    if (step.type === 'webhook')
      references.push({ path: at('endpointId'), kind: 'webhookEndpoint', id: step.endpointId });
  });
  return checkReferences(db, shopId, references, {
    segment: BUILT_IN_SEGMENT_IDS,
    template: READY_TEMPLATE_KEYS,
  });
}
