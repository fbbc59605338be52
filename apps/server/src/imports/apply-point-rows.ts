import { credit } from '../points/account.ts';
import { openAccounts, saveAccounts } from '../points/ledger.ts';
import { liveProgramme } from '../points/live-programme.ts';
import { addDays, addMonths } from '../shared/zoned-time.ts';
import { addChange, type BatchOutcome, type ImportBatch, type RowFailure } from './import-batch.ts';

/** One lot of points to bring in for a customer (Lojal id), from one line of the file. */
export interface ImportedLot {
  line: number;
  customerId: string;
  /** Names the lot within the customer: "opening", "pending" or the file's lot_id. */
  lotId: string;
  points: number;
  earnedAt?: string;
  availableAt?: string;
  expiresAt?: string;
  /** Pending points of another programme: available after the shop's return window. */
  pending?: boolean;
}

/**
 * Credits imported lots through the points ledger (account.ts decides, ledger.ts writes), so
 * the ledger's invariants hold as for any other credit. Each lot's idempotency key names the
 * customer and the lot, so importing it again posts nothing. A lot already expired is refused;
 * a lot without an expiry gets the programme's, counted from when it became available.
 */
export async function creditImportedLots(
  batch: ImportBatch,
  lots: ImportedLot[],
): Promise<BatchOutcome> {
  const failed: RowFailure[] = [];
  const changes: Record<string, number> = {};
  const { tx, shop, now } = batch;
  const wanted = lots.filter((lot) => lot.points > 0);
  if (wanted.length === 0) return { failed, changes };
  const { programme } = await liveProgramme(tx, shop.id);
  const months = programme.settings.expiryMonths;
  const keyOf = (lot: ImportedLot) => `import:${lot.customerId}:${lot.lotId}`;
  const accounts = await openAccounts(
    tx,
    shop.id,
    wanted.map((l) => l.customerId),
    { keys: wanted.map(keyOf) },
  );
  for (const lot of wanted) {
    const at = lot.earnedAt ? new Date(lot.earnedAt) : now;
    const availableAt = lot.availableAt
      ? new Date(lot.availableAt)
      : lot.pending
        ? addDays(now, shop.return_window_days)
        : at;
    const expiresAt = lot.expiresAt
      ? new Date(lot.expiresAt)
      : months === null
        ? null
        : addMonths(availableAt > now ? availableAt : now, months);
    const problem = lotProblem(lot, now);
    if (problem) {
      failed.push({ line: lot.line, error: problem });
      continue;
    }
    const entry = credit(accounts.get(lot.customerId)!, {
      points: lot.points,
      kind: 'adjust',
      cause: 'adjustment',
      reason: `${batch.label}, line ${lot.line}`,
      actor: batch.actor,
      key: keyOf(lot),
      at: at > now ? now : at,
      availableAt,
      expiresAt,
    });
    if (entry) {
      addChange(changes, 'points.lots', 1);
      addChange(changes, 'points.points', lot.points);
    } else addChange(changes, 'points.unchanged', 1);
  }
  await saveAccounts(tx, accounts.values(), now);
  return { failed, changes };
}

/** Why a lot cannot be imported (checked before anything of its row is written), or null. */
export function lotProblem(lot: Pick<ImportedLot, 'expiresAt'>, now: Date): string | null {
  return lot.expiresAt && new Date(lot.expiresAt) <= now
    ? 'expires_at: the lot has expired already'
    : null;
}
