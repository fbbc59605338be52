import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { FlowDefinition } from './flow-definition.ts';

export interface ActiveFlow {
  shopId: string;
  id: string;
  version: number;
  definition: FlowDefinition;
}

/** The active flows of these shops, each with its current definition. */
export async function activeFlows(db: Kysely<Database>, shopIds: string[]): Promise<ActiveFlow[]> {
  if (shopIds.length === 0) return [];
  const rows = await db
    .selectFrom('flows')
    .select(['shop_id', 'id', 'version', 'definition'])
    .where('shop_id', 'in', shopIds)
    .where('status', '=', 'active')
    .execute();
  return rows.map((r) => ({
    shopId: r.shop_id,
    id: r.id,
    version: r.version,
    definition: r.definition as FlowDefinition,
  }));
}

/** The definitions of these flow versions, keyed `flowId@version`. */
export async function flowVersions(
  db: Kysely<Database>,
  shopId: string,
  keys: Array<{ flowId: string; version: number }>,
): Promise<Map<string, FlowDefinition>> {
  const out = new Map<string, FlowDefinition>();
  if (keys.length === 0) return out;
  const rows = await db
    .selectFrom('flow_versions')
    .select(['flow_id', 'version', 'definition'])
    .where('shop_id', '=', shopId)
    .where('flow_id', 'in', [...new Set(keys.map((k) => k.flowId))])
    .execute();
  for (const r of rows) out.set(`${r.flow_id}@${r.version}`, r.definition as FlowDefinition);
  return out;
}
