import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../db/connect.ts';

/**
 * Erasure (RODO art. 17) for the audit log: entries about the person (`targets`: the customer,
 * their notes, tasks and reviews) or holding one of `values` (their addresses, old codes) keep
 * who did what and when; before and after become {"redacted": true}. The erasure requests
 * themselves keep their reason (it names nobody). The log refuses every other change
 * (`lojal.erasing` lets this one through, for this transaction only).
 */
export async function scrubAudit(
  tx: Tx,
  shopId: string,
  targets: string[],
  values: string[],
): Promise<void> {
  const redacted = sql`'{"redacted": true}'::jsonb`;
  const about = (text: RawBuilder<unknown>) => sql`
    shop_id = ${shopId} AND action NOT LIKE '%/erasure'
    AND (target_id = ANY(${targets}::text[])
         OR EXISTS (SELECT 1 FROM unnest(${values}::text[]) v
                    WHERE position(lower(v) IN lower(${text})) > 0))`;
  await sql`SELECT set_config('lojal.erasing', 'on', true)`.execute(tx);
  await sql`
    UPDATE audit_log SET
      before = CASE WHEN before IS NULL THEN NULL ELSE ${redacted} END,
      after = CASE WHEN after IS NULL THEN NULL ELSE ${redacted} END
    WHERE ${about(sql`coalesce(before::text, '') || coalesce(after::text, '')`)}
      AND (coalesce(before, ${redacted}) <> ${redacted} OR coalesce(after, ${redacted}) <> ${redacted})`.execute(
    tx,
  );
  await sql`SELECT set_config('lojal.erasing', 'off', true)`.execute(tx);
  await sql`
    UPDATE audit_intents SET before = ${redacted}
    WHERE ${about(sql`coalesce(before::text, '')`)} AND before IS NOT NULL AND before <> ${redacted}`.execute(
    tx,
  );
}
