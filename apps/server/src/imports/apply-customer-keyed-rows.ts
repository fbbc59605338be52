import { keepReferralCodes, referralCodesHeldByOthers } from '../referrals/keep-referral-codes.ts';
import { referralCodeKey } from '../referrals/referral-code.ts';
import {
  addChange,
  customerIdsByExternal,
  loadBatchRows,
  type BatchOutcome,
  type ImportBatch,
  type RowFailure,
  type StagedRow,
} from './import-batch.ts';
import { creditImportedLots } from './apply-point-rows.ts';
import { assignImportedTiers, checkImportedTiers } from './apply-tier-rows.ts';

/** The batch's rows with their customer's Lojal id; rows naming no known customer refused. */
async function rowsWithCustomers(
  batch: ImportBatch,
): Promise<{ rows: Array<StagedRow & { customerId: string }>; failed: RowFailure[] }> {
  const staged = await loadBatchRows(batch);
  const ids = await customerIdsByExternal(
    batch.tx,
    batch.shop.id,
    staged.map((r) => String(r.record.customerId)),
  );
  const failed: RowFailure[] = [];
  const rows = [];
  for (const row of staged) {
    const external = String(row.record.customerId);
    const customer = ids.get(external);
    if (!customer) {
      failed.push({
        line: row.line,
        error: `customer_id: no customer "${external}" (import the customers first)`,
      });
    } else if (customer.redacted) {
      failed.push({ line: row.line, error: 'customer_id: the customer was erased' });
    } else rows.push({ ...row, customerId: customer.id });
  }
  return { rows, failed };
}

/** Points lots (kind `points`): through the ledger, once per customer and lot id. */
export async function applyPointRows(batch: ImportBatch): Promise<BatchOutcome> {
  const { rows, failed } = await rowsWithCustomers(batch);
  const outcome = await creditImportedLots(
    batch,
    rows.map(({ line, record: r, customerId }) => ({
      line,
      customerId,
      lotId: (r.lotId as string | undefined) ?? 'opening',
      points: Number(r.points),
      earnedAt: r.earnedAt as string | undefined,
      availableAt: r.availableAt as string | undefined,
      expiresAt: r.expiresAt as string | undefined,
    })),
  );
  return { failed: [...failed, ...outcome.failed], changes: outcome.changes };
}

/** Tier assignments (kind `tiers`). */
export async function applyTierRows(batch: ImportBatch): Promise<BatchOutcome> {
  const { rows, failed } = await rowsWithCustomers(batch);
  const tiers = rows.map(({ line, record: r, customerId }) => ({
    line,
    customerId,
    tier: String(r.tier),
    until: r.until as string | undefined,
  }));
  const refused = await checkImportedTiers(batch.tx, batch.shop.id, tiers, batch.now);
  const outcome = await assignImportedTiers(
    batch,
    tiers.filter((t) => !refused.some((f) => f.line === t.line)),
  );
  return { failed: [...failed, ...refused], changes: outcome.changes };
}

/** Referral codes (kind `referral-codes`), kept exactly as written. */
export async function applyReferralCodeRows(batch: ImportBatch): Promise<BatchOutcome> {
  const { rows, failed } = await rowsWithCustomers(batch);
  const changes: Record<string, number> = {};
  const codes = rows.map(({ line, record: r, customerId }) => ({
    line,
    customerId,
    code: String(r.code),
  }));
  const taken = await referralCodesHeldByOthers(batch.tx, batch.shop.id, codes);
  const firstLine = new Map<string, number>();
  const kept = [];
  for (const c of codes) {
    const key = referralCodeKey(c.code);
    if (taken.has(key))
      failed.push({ line: c.line, error: `code: "${c.code}" belongs to another customer` });
    else if (firstLine.has(key)) {
      failed.push({
        line: c.line,
        error: `code: "${c.code}" is also on line ${firstLine.get(key)}`,
      });
    } else {
      firstLine.set(key, c.line);
      kept.push(c);
    }
  }
  const changed = await keepReferralCodes(batch.tx, batch.shop.id, kept, batch.now);
  addChange(changes, 'referralCodes.kept', changed);
  addChange(changes, 'referralCodes.unchanged', kept.length - changed);
  return { failed, changes };
}
