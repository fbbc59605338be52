import type { Db, Tx } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { exportCustomerData, type CustomerExport } from '../customers/export-customer-data.ts';
import { recordAudit } from '../audit/record-audit.ts';

/**
 * A platform relayed a customer's request for their data (Shopify customers/data_request): the
 * export is made now, in the shop's language, and kept for the merchant to download and hand
 * over (`GET /v1/customers/{id}/data-exports`); the audit log records it. Erasure deletes it.
 */
export async function answerDataRequest(
  tx: Tx,
  clock: Clock,
  input: { shopId: string; customerId: string; source: string; requestRef: string | null },
): Promise<void> {
  const customer = await tx
    .selectFrom('customers')
    .innerJoin('shops', 'shops.id', 'customers.shop_id')
    .select(['customers.external_id', 'shops.locale'])
    .where('customers.shop_id', '=', input.shopId)
    .where('customers.id', '=', input.customerId)
    .executeTakeFirstOrThrow();
  const data = await exportCustomerData(tx as unknown as Db, clock, {
    shopId: input.shopId,
    externalId: customer.external_id,
    lang: customer.locale === 'pl' ? 'pl' : 'en',
  });
  const id = newId('cdx');
  await tx
    .insertInto('customer_data_exports')
    .values({
      shop_id: input.shopId,
      id,
      customer_id: input.customerId,
      source: input.source,
      request_ref: input.requestRef,
      export: JSON.stringify(data),
      created_at: clock.now(),
    })
    .execute();
  await recordAudit(tx, {
    shopId: input.shopId,
    at: clock.now(),
    actor: { type: 'system', id: null, name: input.source },
    action: 'customers/data_request',
    target: { type: 'customers', id: customer.external_id },
    after: { exportId: id, requestRef: input.requestRef },
  });
}

/** The stored answers to a customer's data requests, newest first (without their contents). */
export async function listDataExports(db: Db, shopId: string, customerId: string) {
  const rows = await db
    .selectFrom('customer_data_exports')
    .select(['id', 'source', 'request_ref', 'created_at', 'downloaded_at'])
    .where('shop_id', '=', shopId)
    .where('customer_id', '=', customerId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    source: r.source,
    requestRef: r.request_ref,
    createdAt: r.created_at.toISOString(),
    downloadedAt: r.downloaded_at?.toISOString() ?? null,
  }));
}

/** One stored answer, marked downloaded; null when there is none. */
export async function downloadDataExport(
  db: Db,
  clock: Clock,
  shopId: string,
  customerId: string,
  exportId: string,
): Promise<CustomerExport | null> {
  const row = await db
    .updateTable('customer_data_exports')
    .set({ downloaded_at: clock.now() })
    .where('shop_id', '=', shopId)
    .where('customer_id', '=', customerId)
    .where('id', '=', exportId)
    .returning('export')
    .executeTakeFirst();
  return row ? (row.export as CustomerExport) : null;
}
