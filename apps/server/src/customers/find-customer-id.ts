import type { Db } from '../db/connect.ts';
import type { Tx } from '../db/connect.ts';
import { problems } from '../shared/errors.ts';

/** Lojal's id of a customer named by the shop's own id; 404 when the shop has no such customer. */
export async function findCustomerId(
  db: Db | Tx,
  shopId: string,
  externalId: string,
  { allowRedacted = true } = {},
): Promise<string> {
  let query = db
    .selectFrom('customers')
    .select('id')
    .where('shop_id', '=', shopId)
    .where('external_id', '=', externalId);
  if (!allowRedacted) query = query.where('redacted_at', 'is', null);
  const customer = await query.executeTakeFirst();
  if (!customer) throw problems.notFound(`Customer ${externalId}`);
  return customer.id;
}
