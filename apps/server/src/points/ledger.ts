import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import { emptyAccount, type Account, type Lot, type NewEntry } from './account.ts';

/**
 * The only writer of points (and of gift-card money: the same ledger, another book). A
 * transaction opens the accounts it will post to (locked, in holder order so two writers never
 * deadlock), the pure functions in account.ts decide the entries, and saveAccounts writes
 * entries, lots, allocations and the cached balances.
 */

/** A set of ledger tables: accounts, entries, lots and allocations, keyed by their holder. */
export interface LedgerBook {
  accounts: 'point_accounts' | 'gift_card_accounts';
  entries: 'point_entries' | 'gift_card_entries';
  lots: 'point_lots' | 'gift_card_lots';
  allocations: 'point_allocations' | 'gift_card_allocations';
  /** The column naming the account's holder. */
  holder: 'customer_id' | 'gift_card_id';
}

/** Customers' points. */
export const POINTS: LedgerBook = {
  accounts: 'point_accounts',
  entries: 'point_entries',
  lots: 'point_lots',
  allocations: 'point_allocations',
  holder: 'customer_id',
};

/** Gift cards' balances, in minor units of the card's currency. */
export const GIFT_CARDS: LedgerBook = {
  accounts: 'gift_card_accounts',
  entries: 'gift_card_entries',
  lots: 'gift_card_lots',
  allocations: 'gift_card_allocations',
  holder: 'gift_card_id',
};

export interface OpenOptions {
  /** The book; points unless said. */
  book?: LedgerBook;
  /** Customers whose open lots are needed (debits, reversals, expiry); others get none. */
  withLots?: Iterable<string>;
  /** Lots needed even if empty now (a debit being reversed gives points back to them). */
  lotIds?: string[];
  /** Idempotency keys to check: those already posted are skipped by the posting functions. */
  keys?: string[];
}

export async function openAccounts(
  tx: Tx,
  shopId: string,
  customerIds: string[],
  options: OpenOptions = {},
): Promise<Map<string, Account>> {
  const ids = [...new Set(customerIds)].sort();
  const accounts = new Map<string, Account>();
  if (ids.length === 0) return accounts;
  const book = options.book ?? POINTS;
  const holder = sql.ref(book.holder);
  await sql`
    INSERT INTO ${sql.table(book.accounts)} (shop_id, ${holder})
    SELECT ${shopId}, id FROM unnest(${ids}::text[]) AS t(id) ORDER BY id
    ON CONFLICT DO NOTHING`.execute(tx);
  const rows = await sql<{
    customer_id: string;
    balance: number;
    debt: number;
    lifetime_earned: number;
  }>`
    SELECT ${holder} AS customer_id, balance, debt, lifetime_earned FROM ${sql.table(book.accounts)}
    WHERE shop_id = ${shopId} AND ${holder} = ANY(${ids}::text[])
    ORDER BY ${holder} FOR UPDATE`.execute(tx);
  for (const row of rows.rows) {
    accounts.set(row.customer_id, {
      ...emptyAccount(shopId, row.customer_id),
      balance: row.balance,
      debt: row.debt,
      lifetimeEarned: row.lifetime_earned,
    });
  }

  if (options.keys && options.keys.length > 0) {
    const posted = await sql<{ customer_id: string; idempotency_key: string }>`
      SELECT ${holder} AS customer_id, idempotency_key FROM ${sql.table(book.entries)}
      WHERE shop_id = ${shopId} AND idempotency_key = ANY(${options.keys}::text[])`.execute(tx);
    for (const row of posted.rows) {
      accounts.get(row.customer_id)?.postedKeys.add(row.idempotency_key);
    }
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
      SELECT ${holder} AS customer_id, entry_id, points, remaining, available_at, expires_at, owed, expired
      FROM ${sql.table(book.lots)}
      WHERE shop_id = ${shopId} AND ${holder} = ANY(${withLots}::text[])
        AND (remaining > 0 OR entry_id = ANY(${options.lotIds ?? []}::text[]))
      ORDER BY ${holder}, entry_id`.execute(tx);
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
export async function saveAccounts(
  tx: Tx,
  accounts: Iterable<Account>,
  now: Date,
  book: LedgerBook = POINTS,
): Promise<void> {
  const changed = [...accounts].filter((a) => a.entries.length > 0 || a.touchedLots.size > 0);
  if (changed.length === 0) return;
  const shopId = changed[0]!.shopId;

  // Each table in one statement over arrays (unnest), whatever the number of rows: a few
  // parameters instead of one per value, and no statement per thousand rows (an import's
  // 50,000 opening lots).
  const holder = sql.ref(book.holder);
  const entries = changed.flatMap((a) => a.entries);
  if (entries.length > 0) {
    const col = <T>(f: (e: NewEntry) => T) => entries.map(f);
    await sql`
      INSERT INTO ${sql.table(book.entries)} (shop_id, id, ${holder}, points, kind, cause,
        idempotency_key, balance_after, order_id, rule_id, rule_code, programme_version,
        redemption_id, reverses_entry_id, refund_id, absorbed, already_expired, reason, actor,
        available_at, expires_at, effective_at, recorded_at)
      SELECT ${shopId}, e.id, e.holder, e.points, e.kind, e.cause, e.key, e.balance_after,
             e.order_id, e.rule_id, e.rule_code, e.programme_version, e.redemption_id,
             e.reverses_entry_id, e.refund_id, e.absorbed, e.already_expired, e.reason, e.actor,
             e.available_at, e.expires_at, e.effective_at, ${now}
      FROM unnest(${col((e) => e.id)}::text[], ${col((e) => e.customerId)}::text[],
        ${col((e) => e.points)}::bigint[], ${col((e) => e.kind)}::text[], ${col((e) => e.cause)}::text[],
        ${col((e) => e.idempotencyKey)}::text[], ${col((e) => e.balanceAfter)}::bigint[],
        ${col((e) => e.orderId ?? null)}::text[], ${col((e) => e.ruleId ?? null)}::text[],
        ${col((e) => e.ruleCode ?? null)}::text[], ${col((e) => e.programmeVersion ?? null)}::int[],
        ${col((e) => e.redemptionId ?? null)}::text[], ${col((e) => e.reversesEntryId ?? null)}::text[],
        ${col((e) => e.refundId ?? null)}::text[], ${col((e) => e.absorbed)}::bigint[],
        ${col((e) => e.alreadyExpired)}::bigint[], ${col((e) => e.reason ?? null)}::text[],
        ${col((e) => e.actor ?? null)}::text[], ${col((e) => e.availableAt)}::timestamptz[],
        ${col((e) => e.expiresAt)}::timestamptz[], ${col((e) => e.effectiveAt)}::timestamptz[])
        AS e(id, holder, points, kind, cause, key, balance_after, order_id, rule_id, rule_code,
             programme_version, redemption_id, reverses_entry_id, refund_id, absorbed,
             already_expired, reason, actor, available_at, expires_at, effective_at)`.execute(tx);
  }

  const lots = changed.flatMap((a) => [...a.touchedLots.values()].map((lot) => ({ a, lot })));
  if (lots.length > 0) {
    const col = <T>(f: (l: { a: Account; lot: Lot }) => T) => lots.map(f);
    await sql`
      INSERT INTO ${sql.table(book.lots)} AS l (shop_id, entry_id, ${holder}, points, remaining,
        available_at, expires_at, owed, expired)
      SELECT ${shopId}, t.entry_id, t.holder, t.points, t.remaining, t.available_at, t.expires_at,
             t.owed, t.expired
      FROM unnest(${col((l) => l.lot.entryId)}::text[], ${col((l) => l.a.customerId)}::text[],
        ${col((l) => l.lot.points)}::bigint[], ${col((l) => l.lot.remaining)}::bigint[],
        ${col((l) => l.lot.availableAt)}::timestamptz[], ${col((l) => l.lot.expiresAt)}::timestamptz[],
        ${col((l) => l.lot.owed)}::bigint[], ${col((l) => l.lot.expired)}::bigint[])
        AS t(entry_id, holder, points, remaining, available_at, expires_at, owed, expired)
      ON CONFLICT (shop_id, entry_id) DO UPDATE SET remaining = excluded.remaining,
        owed = excluded.owed, expired = excluded.expired`.execute(tx);
  }

  const allocations = changed.flatMap((a) => a.allocations);
  if (allocations.length > 0) {
    await sql`
      INSERT INTO ${sql.table(book.allocations)} (shop_id, entry_id, lot_id, points)
      SELECT ${shopId}, t.entry_id, t.lot_id, t.points
      FROM unnest(${allocations.map((al) => al.entryId)}::text[], ${allocations.map((al) => al.lotId)}::text[],
        ${allocations.map((al) => al.points)}::bigint[]) AS t(entry_id, lot_id, points)`.execute(
      tx,
    );
  }

  await sql`
    UPDATE ${sql.table(book.accounts)} p SET balance = r.balance, debt = r.debt,
      lifetime_earned = r.lifetime_earned, updated_at = ${now}
    FROM unnest(${changed.map((a) => a.customerId)}::text[], ${changed.map((a) => a.balance)}::bigint[],
                ${changed.map((a) => a.debt)}::bigint[], ${changed.map((a) => a.lifetimeEarned)}::bigint[])
      AS r(holder, balance, debt, lifetime_earned)
    WHERE p.shop_id = ${shopId} AND p.${sql.ref(book.holder)} = r.holder`.execute(tx);

  for (const account of changed) {
    account.entries = [];
    account.allocations = [];
    account.touchedLots.clear();
  }
}
