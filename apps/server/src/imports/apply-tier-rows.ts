import { sql } from 'kysely';
import { applyTierDecisions, loadTierStates } from '../tiers/apply-tier-decisions.ts';
import { decideManual } from '../tiers/evaluate-tier.ts';
import { findTierProgramme } from '../tiers/find-tier-programme.ts';
import type { TierProgramme } from '../tiers/tier-schema.ts';
import { addMonths } from '../shared/zoned-time.ts';
import type { Tx } from '../db/connect.ts';
import { addChange, type BatchOutcome, type ImportBatch, type RowFailure } from './import-batch.ts';

/** A tier to keep for a customer (Lojal id), named in the file by its id or its name. */
export interface ImportedTier {
  line: number;
  customerId: string;
  tier: string;
  until?: string;
}

/** Finds a tier by its id or its name in either language, without case. */
export function tierNamed(programme: TierProgramme | null, name: string): string | null {
  const wanted = name.trim().toLowerCase();
  const tier = programme?.tiers.find(
    (t) =>
      t.id === wanted || t.name.pl.toLowerCase() === wanted || t.name.en.toLowerCase() === wanted,
  );
  return tier?.id ?? null;
}

/** Rows whose tier the shop's programme does not have (checked before anything is written). */
export async function checkImportedTiers(
  tx: Tx,
  shopId: string,
  tiers: ImportedTier[],
  now: Date,
): Promise<RowFailure[]> {
  if (tiers.length === 0) return [];
  const programme = await findTierProgramme(tx, shopId);
  const failed: RowFailure[] = [];
  for (const t of tiers) {
    if (!programme) failed.push({ line: t.line, error: 'tier: the shop has no tier programme' });
    else if (!tierNamed(programme, t.tier)) {
      failed.push({
        line: t.line,
        error: `tier: no tier "${t.tier}"; the programme has ${programme.tiers.map((x) => x.id).join(', ')}`,
      });
    } else if (t.until && new Date(t.until) <= now) {
      failed.push({ line: t.line, error: 'until: is not in the future' });
    }
  }
  return failed;
}

/**
 * Keeps the tier each customer had in the other programme: a manual assignment (tiers/ use
 * cases) until the file's date, or for 12 months, after which the computed tier applies. No
 * tier event is written, so no "you reached a tier" message goes out for an old tier. A
 * customer who holds that manual tier already is left as they are.
 */
export async function assignImportedTiers(
  batch: ImportBatch,
  tiers: ImportedTier[],
): Promise<BatchOutcome> {
  const changes: Record<string, number> = {};
  if (tiers.length === 0) return { failed: [], changes };
  const { tx, shop, now } = batch;
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`tiers:${shop.id}`}))`.execute(tx);
  const programme = (await findTierProgramme(tx, shop.id))!;
  const states = await loadTierStates(
    tx,
    shop.id,
    tiers.map((t) => t.customerId),
  );
  const decisions = [];
  for (const t of tiers) {
    const tierId = tierNamed(programme, t.tier)!;
    const state = states.get(t.customerId) ?? null;
    const until = t.until ? new Date(t.until) : addMonths(now, 12);
    if (
      state?.manualTierId === tierId &&
      (!t.until || state.manualUntil?.getTime() === until.getTime())
    ) {
      addChange(changes, 'tiers.unchanged', 1);
      continue;
    }
    const decision = decideManual(programme, state, { tierId, until });
    states.set(t.customerId, decision.state);
    decisions.push({
      customerId: t.customerId,
      decision: { ...decision, events: [] },
      value: null,
      manual: { reason: `${batch.label}, line ${t.line}`, actor: batch.actor },
    });
    addChange(changes, 'tiers.assigned', 1);
  }
  await applyTierDecisions(tx, shop.id, decisions, now);
  return { failed: [], changes };
}
