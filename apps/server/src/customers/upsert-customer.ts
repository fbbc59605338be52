import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import type { CustomerFacts } from '../ingest/facts.ts';
import { emit, type Tx } from '../events/domain-events.ts';
import {
  mergeCustomerFacts,
  type CustomerColumn,
  type CustomerState,
} from './merge-customer-facts.ts';

/**
 * Creates the customer on first sight or applies the fields the facts hold newer data for.
 * Returns Lojal's customer id.
 */
export async function upsertCustomer(
  tx: Tx,
  clock: Clock,
  shopId: string,
  facts: CustomerFacts,
): Promise<string> {
  let row = await findForUpdate(tx, shopId, facts.externalId);
  if (!row) {
    const id = newId('cus');
    const { changes, fieldTimes } = mergeCustomerFacts(
      { values: {}, fieldTimes: {}, redacted: false },
      facts,
    );
    const inserted = await tx
      .insertInto('customers')
      .values({
        shop_id: shopId,
        id,
        external_id: facts.externalId,
        ...(changes as Record<string, never>),
        field_times: JSON.stringify(fieldTimes),
        source_updated_at: facts.asOf,
      })
      .onConflict((oc) => oc.columns(['shop_id', 'external_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) {
      await emit(tx, clock, { type: 'customer.created', shopId, customerId: id, at: facts.asOf });
      return id;
    }
    // Another transaction created it between our read and insert: merge into theirs.
    row = await findForUpdate(tx, shopId, facts.externalId);
    if (!row) throw new Error(`customer ${facts.externalId} vanished during upsert`);
  }
  const state: CustomerState = {
    values: row as unknown as CustomerState['values'],
    fieldTimes: row.field_times,
    redacted: row.redacted_at !== null,
  };
  const { changes, fieldTimes } = mergeCustomerFacts(state, facts);
  const changed = Object.keys(changes).length > 0;
  const timesChanged = JSON.stringify(fieldTimes) !== JSON.stringify(row.field_times);
  if (changed || timesChanged) {
    const newest =
      row.source_updated_at && row.source_updated_at > facts.asOf
        ? row.source_updated_at
        : facts.asOf;
    await tx
      .updateTable('customers')
      .set({
        ...(changes as Partial<Record<CustomerColumn, never>>),
        field_times: JSON.stringify(fieldTimes),
        source_updated_at: newest,
        ...(changed && { updated_at: clock.now() }),
      })
      .where('shop_id', '=', shopId)
      .where('id', '=', row.id)
      .execute();
  }
  if (changed) {
    await emit(tx, clock, { type: 'customer.updated', shopId, customerId: row.id, at: facts.asOf });
  }
  return row.id;
}

function findForUpdate(tx: Tx, shopId: string, externalId: string) {
  return tx
    .selectFrom('customers')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('external_id', '=', externalId)
    .forUpdate()
    .executeTakeFirst();
}
