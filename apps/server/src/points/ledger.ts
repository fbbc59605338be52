import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import { emptyAccount, type Account, type Lot } from './account.ts';

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

  const entries = changed.flatMap((a) => a.entries);
  for (const rows of chunks(entries)) {
    await tx
      .insertInto(book.entries as 'point_entries')
      .values(
        rows.map((e) => ({
          shop_id: shopId,
          id: e.id,
          ...holderOf(book, e.customerId),
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
      .insertInto(book.lots as 'point_lots')
      .values(
        rows.map(({ a, lot }) => ({
          shop_id: shopId,
          entry_id: lot.entryId,
          ...holderOf(book, a.customerId),
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
      .insertInto(book.allocations as 'point_allocations')
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

/** The holder column of a row, named as the book names it. */
function holderOf(book: LedgerBook, id: string): { customer_id: string } {
  return { [book.holder]: id } as { customer_id: string };
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}
