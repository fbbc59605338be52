import type { EntryCause, EntryKind } from '../db/schema.ts';
import { newId } from '../shared/ids.ts';

/**
 * A customer's points account held in memory while a transaction decides what to post: pure
 * functions below change it, and ledger.ts writes the result. The invariant kept by every
 * function: balance = Σ entry points = Σ lot remaining − debt.
 */
export interface Account {
  shopId: string;
  customerId: string;
  balance: number;
  debt: number;
  lifetimeEarned: number;
  /** Open lots (remaining > 0), oldest first; only loaded when a posting needs them. */
  lots: Lot[];
  /** Lots changed or created here, by entry id. */
  touchedLots: Map<string, Lot>;
  entries: NewEntry[];
  allocations: Allocation[];
  /** Idempotency keys known to be posted already (loaded or posted here). */
  postedKeys: Set<string>;
}

export interface Lot {
  entryId: string;
  points: number;
  remaining: number;
  availableAt: Date;
  expiresAt: Date | null;
  /** Absorbed by the shop when the lot's order was reversed: points returned to it are kept. */
  owed: number;
  /** Expired and not yet matched by a reversal of the lot's own entry. */
  expired: number;
}

export interface Allocation {
  entryId: string;
  lotId: string;
  points: number;
}

/** Where an entry came from: the columns that explain it. */
export interface Cause {
  cause: EntryCause;
  orderId?: string | null;
  ruleId?: string | null;
  ruleCode?: string | null;
  programmeVersion?: number | null;
  redemptionId?: string | null;
  reversesEntryId?: string | null;
  refundId?: string | null;
  reason?: string | null;
  actor?: string | null;
}

export interface NewEntry extends Cause {
  id: string;
  customerId: string;
  points: number;
  kind: EntryKind;
  idempotencyKey: string;
  balanceAfter: number;
  absorbed: number;
  /** Of a reversal: points of the original lot that had expired already, so nothing to take. */
  alreadyExpired: number;
  availableAt: Date | null;
  expiresAt: Date | null;
  effectiveAt: Date;
}

export interface CreditInput extends Cause {
  points: number;
  kind: 'earn' | 'adjust';
  key: string;
  at: Date;
  availableAt: Date;
  expiresAt: Date | null;
}

/**
 * Adds points as a new lot. Points owed from an earlier refund are repaid first, so the lot
 * keeps only what is left after the debt.
 */
export function credit(account: Account, input: CreditInput): NewEntry | null {
  if (input.points <= 0) throw new Error('a credit must add points');
  if (account.postedKeys.has(input.key)) return null;
  const entry = post(account, input, input.points, input.kind, {
    availableAt: input.availableAt,
    expiresAt: input.expiresAt,
  });
  const repaid = Math.min(account.debt, input.points);
  account.debt -= repaid;
  addLot(account, {
    entryId: entry.id,
    points: input.points,
    remaining: input.points - repaid,
    availableAt: input.availableAt,
    expiresAt: input.expiresAt,
    owed: 0,
    expired: 0,
  });
  if (input.kind === 'earn') account.lifetimeEarned += input.points;
  return entry;
}

/** Points that can be spent at `now`: available, unexpired lots less any debt. */
export function availablePoints(account: Account, now: Date): number {
  return sum(spendableLots(account, now).map((lot) => lot.remaining)) - account.debt;
}

export function pendingPoints(account: Account, now: Date): number {
  return sum(
    account.lots
      .filter((lot) => lot.remaining > 0 && lot.availableAt > now)
      .map((l) => l.remaining),
  );
}

export interface DebitInput extends Cause {
  points: number;
  kind: 'redeem' | 'adjust';
  key: string;
  at: Date;
}

/**
 * Spends points from the oldest available lots first. Returns null when the key was posted
 * already and 'insufficient' when the available points do not cover it (nothing changes).
 */
export function debit(account: Account, input: DebitInput): NewEntry | 'insufficient' | null {
  if (input.points <= 0) throw new Error('a debit must take points');
  if (account.postedKeys.has(input.key)) return null;
  if (availablePoints(account, input.at) < input.points) return 'insufficient';
  const entry = post(account, input, -input.points, input.kind, {});
  takeFromLots(account, entry.id, spendableLots(account, input.at), input.points);
  return entry;
}

export interface ReverseCreditInput {
  original: { id: string; customerId: string; orderId: string | null };
  points: number;
  key: string;
  at: Date;
  refundId?: string | null;
  reason: string;
  /** What to do with points that were already spent: owe them, or the shop absorbs them. */
  shortfall: 'negative' | 'absorb';
}

/**
 * Takes back (part of) an earned entry: first from its own lot (pending points are simply
 * cancelled), then, for points already spent, from the customer's other available lots and
 * as debt — or the shop absorbs them. Either way the entry records what happened.
 */
export function reverseCredit(account: Account, input: ReverseCreditInput): NewEntry | null {
  if (input.points <= 0 || account.postedKeys.has(input.key)) return null;
  const ownLot = account.lots.find((lot) => lot.entryId === input.original.id);
  const fromOwn = Math.min(ownLot?.remaining ?? 0, input.points);
  // Points of the lot that expired were not spent: there is nothing to take back for them.
  const alreadyExpired = Math.min(ownLot?.expired ?? 0, input.points - fromOwn);
  let shortfall = input.points - fromOwn - alreadyExpired;
  let fromOthers = 0;
  if (shortfall > 0 && input.shortfall === 'negative') {
    const others = spendableLots(account, input.at).filter((l) => l !== ownLot);
    fromOthers = Math.min(shortfall, sum(others.map((l) => l.remaining)));
    shortfall -= fromOthers;
  }
  const absorbed = input.shortfall === 'absorb' ? shortfall : 0;
  const owed = input.shortfall === 'negative' ? shortfall : 0;
  const taken = fromOwn + fromOthers + owed;
  const entry = post(
    account,
    {
      cause: 'reversal',
      orderId: input.original.orderId,
      reversesEntryId: input.original.id,
      refundId: input.refundId ?? null,
      reason: input.reason,
      key: input.key,
      at: input.at,
    },
    -taken,
    'reverse',
    {},
    absorbed,
  );
  entry.alreadyExpired = alreadyExpired;
  if (ownLot && fromOwn > 0) takeFromLots(account, entry.id, [ownLot], fromOwn);
  if (ownLot && (alreadyExpired > 0 || absorbed > 0)) {
    ownLot.expired -= alreadyExpired;
    ownLot.owed += absorbed;
    account.touchedLots.set(ownLot.entryId, ownLot);
  }
  if (fromOthers > 0) {
    const others = spendableLots(account, input.at).filter((l) => l !== ownLot);
    takeFromLots(account, entry.id, others, fromOthers);
  }
  account.debt += owed;
  return entry;
}

export interface ReverseDebitInput {
  original: { id: string; orderId: string | null; redemptionId: string | null };
  /** What the debit took from each lot; the points go back where they came from. */
  allocations: Array<{ lotId: string; points: number }>;
  key: string;
  at: Date;
  reason: string;
}

/**
 * Gives back the points of a debit (a redemption whose coupon expired unused, say) to the lots
 * they were taken from. A lot that has expired meanwhile expires again at the next sweep.
 */
export function reverseDebit(account: Account, input: ReverseDebitInput): NewEntry | null {
  if (account.postedKeys.has(input.key)) return null;
  const returned: Array<{ lot: Lot; points: number }> = [];
  for (const allocation of input.allocations) {
    const lot = account.lots.find((l) => l.entryId === allocation.lotId);
    if (!lot) throw new Error(`lot ${allocation.lotId} of a reversed debit is not loaded`);
    // What the shop absorbed when this lot's order was reversed is kept back, not returned.
    const kept = Math.min(lot.owed, allocation.points);
    lot.owed -= kept;
    returned.push({ lot, points: allocation.points - kept });
    account.touchedLots.set(lot.entryId, lot);
  }
  const points = sum(returned.map((r) => r.points));
  const entry = post(
    account,
    {
      cause: 'reversal',
      orderId: input.original.orderId,
      redemptionId: input.original.redemptionId,
      reversesEntryId: input.original.id,
      reason: input.reason,
      key: input.key,
      at: input.at,
    },
    points,
    'reverse',
    {},
  );
  for (const r of returned) r.lot.remaining += r.points;
  // Returned points pay any debt first, like any credit.
  const repaid = Math.min(account.debt, points);
  account.debt -= repaid;
  let left = repaid;
  for (const { lot } of returned) {
    const take = Math.min(lot.remaining, left);
    lot.remaining -= take;
    left -= take;
  }
  return entry;
}

/** Removes what remains of every lot whose time has come, one entry per lot. */
export function expireLots(account: Account, now: Date): NewEntry[] {
  const out: NewEntry[] = [];
  for (const lot of account.lots) {
    if (lot.remaining <= 0 || !lot.expiresAt || lot.expiresAt > now) continue;
    // Expiry is idempotent by state (the lot is emptied under the account lock); the key only
    // has to be unique, as a lot given points back by a reversal can expire again.
    const key = `expire:${lot.entryId}:${newId('led')}`;
    const entry = post(
      account,
      { cause: 'expiry', reversesEntryId: lot.entryId, key, at: lot.expiresAt },
      -lot.remaining,
      'expire',
      {},
    );
    lot.expired += lot.remaining;
    takeFromLots(account, entry.id, [lot], lot.remaining);
    out.push(entry);
  }
  return out;
}

function post(
  account: Account,
  input: Cause & { key: string; at: Date },
  points: number,
  kind: EntryKind,
  times: { availableAt?: Date; expiresAt?: Date | null },
  absorbed = 0,
): NewEntry {
  account.balance += points;
  account.postedKeys.add(input.key);
  const entry: NewEntry = {
    id: newId('led'),
    customerId: account.customerId,
    points,
    kind,
    cause: input.cause,
    orderId: input.orderId ?? null,
    ruleId: input.ruleId ?? null,
    ruleCode: input.ruleCode ?? null,
    programmeVersion: input.programmeVersion ?? null,
    redemptionId: input.redemptionId ?? null,
    reversesEntryId: input.reversesEntryId ?? null,
    refundId: input.refundId ?? null,
    reason: input.reason ?? null,
    actor: input.actor ?? null,
    idempotencyKey: input.key,
    balanceAfter: account.balance,
    absorbed,
    alreadyExpired: 0,
    availableAt: times.availableAt ?? null,
    expiresAt: times.expiresAt ?? null,
    effectiveAt: input.at,
  };
  account.entries.push(entry);
  return entry;
}

function spendableLots(account: Account, now: Date): Lot[] {
  return account.lots.filter(
    (lot) => lot.remaining > 0 && lot.availableAt <= now && (!lot.expiresAt || lot.expiresAt > now),
  );
}

function takeFromLots(account: Account, entryId: string, lots: Lot[], points: number): void {
  let left = points;
  for (const lot of lots) {
    if (left === 0) break;
    const take = Math.min(lot.remaining, left);
    if (take === 0) continue;
    lot.remaining -= take;
    left -= take;
    account.touchedLots.set(lot.entryId, lot);
    account.allocations.push({ entryId, lotId: lot.entryId, points: take });
  }
  if (left !== 0) throw new Error('lots do not cover the points taken');
}

function addLot(account: Account, lot: Lot): void {
  account.lots.push(lot);
  account.touchedLots.set(lot.entryId, lot);
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export function emptyAccount(shopId: string, customerId: string): Account {
  return {
    shopId,
    customerId,
    balance: 0,
    debt: 0,
    lifetimeEarned: 0,
    lots: [],
    touchedLots: new Map(),
    entries: [],
    allocations: [],
    postedKeys: new Set(),
  };
}
