import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';

/**
 * The programme holdout: a share of customers kept out of the programme (they earn nothing),
 * so its lift can be measured against them. A customer's place is a hash of their id: stable,
 * random with respect to anything about them, and the same in SQL and here. Raising the share
 * only adds customers to the holdout.
 */
export function holdoutPosition(customerId: string): number {
  const digest = createHash('sha256').update(customerId).digest();
  return (digest.readUInt32BE(0) / 2 ** 32) * 100;
}

export function inHoldout(customerId: string, percent: number): boolean {
  return percent > 0 && holdoutPosition(customerId) < percent;
}

/** The same position computed by PostgreSQL for a customer id column. */
export function holdoutPositionSql(customerIdColumn: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`(('x' || substr(encode(sha256(convert_to(${customerIdColumn}, 'UTF8')), 'hex'), 1, 8))::bit(32)::bigint / 4294967296.0 * 100)`;
}
