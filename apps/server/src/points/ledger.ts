import { sql } from 'kysely';
import type { Tx } from '../events/domain-events.ts';
import { emptyAccount, type Account, type Lot } from './account.ts';

/**
 * The only writer of points. A transaction opens the accounts it will post to (locked, in
 * customer order so two writers never deadlock), the pure functions in account.ts decide the
 * entries, and saveAccounts writes entries, lots, allocations and the cached balances.
 */
export interface OpenOptions {
  /** Customers whose open lots are needed (debits, reversals, expiry); others get none. */
  withLots?: Iterable<string>;
  /** Lots needed even if empty now (a debit being reversed gives points back to them). */
  lotIds?: string[];
  /** Idempotency keys to check: those already posted are skipped by the posting functions. */
  keys?: string[];
}

const CHUNK = 1000;

export async function openAccounts(
  tx: Tx,
  shopId: string,
  customerIds: string[],
  options: OpenOptions = {},
): Promise<Map<string, Account>> {
  const ids = [...new Set(customerIds)].sort();
  const accounts = new Map<string, Account>();
  if (ids.length === 0) return accounts;
  await sql`
    INSERT INTO point_accounts (shop_id, customer_id)
    SELECT ${shopId}, id FROM unnest(${ids}::text[]) AS t(id) ORDER BY id
    ON CONFLICT DO NOTHING`.execute(tx);
  const rows = await sql<{
    customer_id: string;
    balance: number;
    debt: number;
    lifetime_earned: number;
  }>`
    SELECT customer_id, balance, debt, lifetime_earned FROM point_accounts
    WHERE shop_id = ${shopId} AND customer_id = ANY(${ids}::text[])
    ORDER BY customer_id FOR UPDATE`.execute(tx);
  for (const row of rows.rows) {
    accounts.set(row.customer_id, {
      ...emptyAccount(shopId, row.customer_id),
      balance: row.balance,
      debt: row.debt,
      lifetimeEarned: row.lifetime_earned,
    });
  }

  if (options.keys && options.keys.length > 0) {
    const posted = await tx
      .selectFrom('point_entries')
      .select(['customer_id', 'idempotency_key'])
      .where('shop_id', '=', shopId)
      .where('idempotency_key', '=', sql<string>`any(${options.keys}::text[])`)
      .execute();
    for (const row of posted) accounts.get(row.customer_id)?.postedKeys.add(row.idempotency_key);
  }

  const withLots = [...new Set(options.withLots ?? [])].filter((id) => accounts.has(id));
  if (withLots.length > 0) {
    const lots = await sql<{
      customer_id: string;
      entry_id: string;
      points: number;
      remaining: number;
      available_at: Date;
      expires_at: Date | null;
      owed: number;
      expired: number;
    }>`
      SELECT customer_id, entry_id, points, remaining, available_at, expires_at, owed, expired
      FROM point_lots
      WHERE shop_id = ${shopId} AND customer_id = ANY(${withLots}::text[])
        AND (remaining > 0 OR entry_id = ANY(${options.lotIds ?? []}::text[]))
      ORDER BY customer_id, entry_id`.execute(tx);
    for (const row of lots.rows) {
      const lot: Lot = {
        entryId: row.entry_id,
        points: row.points,
        remaining: row.remaining,
        availableAt: row.available_at,
        expiresAt: row.expires_at,
        owed: row.owed,
        expired: row.expired,
      };
      accounts.get(row.customer_id)!.lots.push(lot);
    }
  }
  return accounts;
}

/** Writes everything the accounts posted, in a few statements. */
export async function saveAccounts(tx: Tx, accounts: Iterable<Account>, now: Date): Promise<void> {
  const changed = [...accounts].filter((a) => a.entries.length > 0 || a.touchedLots.size > 0);
  if (changed.length === 0) return;
  const shopId = changed[0]!.shopId;

  const entries = changed.flatMap((a) => a.entries);
  for (const rows of chunks(entries)) {
    await tx
      .insertInto('point_entries')
      .values(
        rows.map((e) => ({
          shop_id: shopId,
          id: e.id,
          customer_id: e.customerId,
          points: e.points,
          kind: e.kind,
          cause: e.cause,
          idempotency_key: e.idempotencyKey,
          balance_after: e.balanceAfter,
          order_id: e.orderId ?? null,
          rule_id: e.ruleId ?? null,
          rule_code: e.ruleCode ?? null,
          programme_version: e.programmeVersion ?? null,
          redemption_id: e.redemptionId ?? null,
          reverses_entry_id: e.reversesEntryId ?? null,
          refund_id: e.refundId ?? null,
          absorbed: e.absorbed,
          already_expired: e.alreadyExpired,
          reason: e.reason ?? null,
          actor: e.actor ?? null,
          available_at: e.availableAt,
          expires_at: e.expiresAt,
          effective_at: e.effectiveAt,
          recorded_at: now,
        })),
      )
      .execute();
  }

  const lots = changed.flatMap((a) => [...a.touchedLots.values()].map((lot) => ({ a, lot })));
  for (const rows of chunks(lots)) {
    await tx
      .insertInto('point_lots')
      .values(
        rows.map(({ a, lot }) => ({
          shop_id: shopId,
          entry_id: lot.entryId,
          customer_id: a.customerId,
          points: lot.points,
          remaining: lot.remaining,
          available_at: lot.availableAt,
          expires_at: lot.expiresAt,
          owed: lot.owed,
          expired: lot.expired,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['shop_id', 'entry_id']).doUpdateSet((eb) => ({
          remaining: eb.ref('excluded.remaining'),
          owed: eb.ref('excluded.owed'),
          expired: eb.ref('excluded.expired'),
        })),
      )
      .execute();
  }

  const allocations = changed.flatMap((a) => a.allocations);
  for (const rows of chunks(allocations)) {
    await tx
      .insertInto('point_allocations')
      .values(
        rows.map((al) => ({
          shop_id: shopId,
          entry_id: al.entryId,
          lot_id: al.lotId,
          points: al.points,
        })),
      )
      .execute();
  }

  await sql`
    UPDATE point_accounts p SET balance = r.balance, debt = r.debt,
      lifetime_earned = r.lifetime_earned, updated_at = ${now}
    FROM unnest(${changed.map((a) => a.customerId)}::text[], ${changed.map((a) => a.balance)}::bigint[],
                ${changed.map((a) => a.debt)}::bigint[], ${changed.map((a) => a.lifetimeEarned)}::bigint[])
      AS r(customer_id, balance, debt, lifetime_earned)
    WHERE p.shop_id = ${shopId} AND p.customer_id = r.customer_id`.execute(tx);

  for (const account of changed) {
    account.entries = [];
    account.allocations = [];
    account.touchedLots.clear();
  }
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}
