import { sql } from 'kysely';
import { referralCodeKey } from '../referrals/referral-code.ts';
import {
  keepReferralCodes,
  referralCodesHeldByOthers,
  type KeptCode,
} from '../referrals/keep-referral-codes.ts';
import {
  addChange,
  loadBatchRows,
  type BatchOutcome,
  type ImportBatch,
  type RowFailure,
} from './import-batch.ts';
import { creditImportedLots, lotProblem, type ImportedLot } from './apply-point-rows.ts';
import { assignImportedTiers, checkImportedTiers, type ImportedTier } from './apply-tier-rows.ts';

const EXTRAS = ['points', 'pendingPoints', 'tier', 'referralCode'];

/**
 * Customers, set-based from the staged rows: a row names the customer by the shop's own id
 * (or, in another programme's export, by an e-mail Lojal already knows). New customers are
 * inserted; known ones get the file's non-empty fields where they differ; an erased customer
 * is never brought back. Consent answers go to the consent log (source "import", with the
 * file's source and date). Points, tier and referral code on the same row are checked before
 * anything of the row is written, then posted through their features' use cases.
 */
export async function applyCustomerRows(batch: ImportBatch): Promise<BatchOutcome> {
  const failed: RowFailure[] = [];
  const changes: Record<string, number> = {};
  failed.push(...(await resolveByEmail(batch)));
  failed.push(...(await refuseErased(batch, failed)));

  const extras = await loadExtras(batch, failed);
  failed.push(...(await checkExtras(batch, extras)));

  const skip = failed.map((f) => f.line);
  const upserted = await sql<{ created: boolean }>`
    INSERT INTO customers AS c (shop_id, id, external_id, email, phone, first_name, last_name,
      birthday, accepts_email_marketing, accepts_sms_marketing, tags, created_at, updated_at)
    SELECT ${batch.shop.id}, r.data->>'lojalId', r.data->>'customerId', r.data->>'email',
           r.data->>'phone', r.data->>'firstName', r.data->>'lastName', (r.data->>'birthday')::date,
           (r.data->>'acceptsEmailMarketing')::boolean, (r.data->>'acceptsSmsMarketing')::boolean,
           COALESCE(ARRAY(SELECT jsonb_array_elements_text(r.data->'tags')), '{}'),
           ${batch.now}, ${batch.now}
    FROM import_rows r
    WHERE ${inBatch(batch, skip)}
    ON CONFLICT (shop_id, external_id) DO UPDATE SET
      email = COALESCE(excluded.email, c.email),
      phone = COALESCE(excluded.phone, c.phone),
      first_name = COALESCE(excluded.first_name, c.first_name),
      last_name = COALESCE(excluded.last_name, c.last_name),
      birthday = COALESCE(excluded.birthday, c.birthday),
      accepts_email_marketing = COALESCE(excluded.accepts_email_marketing, c.accepts_email_marketing),
      accepts_sms_marketing = COALESCE(excluded.accepts_sms_marketing, c.accepts_sms_marketing),
      tags = CASE WHEN cardinality(excluded.tags) > 0 THEN excluded.tags ELSE c.tags END,
      updated_at = excluded.updated_at
    WHERE c.redacted_at IS NULL AND (
      COALESCE(excluded.email, c.email), COALESCE(excluded.phone, c.phone),
      COALESCE(excluded.first_name, c.first_name), COALESCE(excluded.last_name, c.last_name),
      COALESCE(excluded.birthday, c.birthday),
      COALESCE(excluded.accepts_email_marketing, c.accepts_email_marketing),
      COALESCE(excluded.accepts_sms_marketing, c.accepts_sms_marketing),
      CASE WHEN cardinality(excluded.tags) > 0 THEN excluded.tags ELSE c.tags END
    ) IS DISTINCT FROM (c.email, c.phone, c.first_name, c.last_name, c.birthday,
      c.accepts_email_marketing, c.accepts_sms_marketing, c.tags)
    RETURNING (xmax = 0) AS created`.execute(batch.tx);
  const created = upserted.rows.filter((r) => r.created).length;
  addChange(changes, 'customers.created', created);
  addChange(changes, 'customers.updated', upserted.rows.length - created);
  addChange(changes, 'consents.recorded', await recordConsents(batch, skip));

  const kept = extras.filter((e) => !skip.includes(e.line));
  const outcome = await applyExtras(batch, kept);
  for (const [name, n] of Object.entries(outcome.changes)) addChange(changes, name, n);
  return { failed: [...failed, ...outcome.failed], changes };
}

/** The batch's rows still standing, as a WHERE clause over import_rows r. */
function inBatch(batch: ImportBatch, skip: number[]) {
  return sql`r.shop_id = ${batch.shop.id} AND r.import_id = ${batch.importId}
    AND r.line > ${batch.from} AND r.line <= ${batch.to} AND r.error IS NULL
    AND NOT (r.line = ANY(${skip}::bigint[]))`;
}

/** Rows of another programme's export that name the customer only by e-mail. */
async function resolveByEmail(batch: ImportBatch): Promise<RowFailure[]> {
  const rows = await sql<{ line: string; matches: string; external_id: string | null }>`
    WITH wanted AS (
      SELECT r.line, r.data->>'email' AS email FROM import_rows r
      WHERE ${inBatch(batch, [])} AND NOT (r.data ? 'customerId')
    ), found AS (
      SELECT w.line, count(c.id) AS matches, min(c.external_id) AS external_id
      FROM wanted w
      LEFT JOIN customers c ON c.shop_id = ${batch.shop.id} AND lower(c.email) = w.email
      GROUP BY w.line
    ), resolved AS (
      UPDATE import_rows r SET data = r.data || jsonb_build_object('customerId', f.external_id)
      FROM found f
      WHERE f.matches = 1 AND r.shop_id = ${batch.shop.id} AND r.import_id = ${batch.importId}
        AND r.line = f.line
    )
    SELECT line, matches FROM found WHERE matches <> 1`.execute(batch.tx);
  return rows.rows.map((r) => ({
    line: Number(r.line),
    error:
      Number(r.matches) === 0
        ? 'email: no customer with this e-mail in Lojal (connect the shop first, or give customer_id)'
        : 'email: several customers in Lojal have this e-mail; give customer_id',
  }));
}

async function refuseErased(batch: ImportBatch, failed: RowFailure[]): Promise<RowFailure[]> {
  const rows = await sql<{ line: string }>`
    SELECT r.line FROM import_rows r
    JOIN customers c ON c.shop_id = r.shop_id AND c.external_id = r.data->>'customerId'
    WHERE ${inBatch(
      batch,
      failed.map((f) => f.line),
    )} AND c.redacted_at IS NOT NULL`.execute(batch.tx);
  return rows.rows.map((r) => ({
    line: Number(r.line),
    error: "customer_id: this customer's personal data was erased; it is not imported again",
  }));
}

interface Extras {
  line: number;
  externalId: string;
  points?: number;
  pointsExpireAt?: string;
  pendingPoints?: number;
  tier?: string;
  referralCode?: string;
  /** Filled once the customer exists. */
  customerId?: string;
}

async function loadExtras(batch: ImportBatch, failed: RowFailure[]): Promise<Extras[]> {
  const rows = await loadBatchRows(
    batch,
    failed.map((f) => f.line),
  );
  return rows
    .filter((r) => EXTRAS.some((name) => r.record[name] !== undefined))
    .map((r) => ({
      line: r.line,
      externalId: String(r.record.customerId),
      points: r.record.points as number | undefined,
      pointsExpireAt: r.record.pointsExpireAt as string | undefined,
      pendingPoints: r.record.pendingPoints as number | undefined,
      tier: r.record.tier as string | undefined,
      referralCode: r.record.referralCode as string | undefined,
    }));
}

/** Everything about a row's points, tier and code that could refuse it, before any write. */
async function checkExtras(batch: ImportBatch, extras: Extras[]): Promise<RowFailure[]> {
  const failed: RowFailure[] = [];
  for (const e of extras) {
    const problem = lotProblem({ expiresAt: e.pointsExpireAt }, batch.now);
    if (problem)
      failed.push({ line: e.line, error: problem.replace('expires_at', 'points_expire_at') });
  }
  const withTier = extras.filter((e) => e.tier !== undefined);
  failed.push(
    ...(await checkImportedTiers(
      batch.tx,
      batch.shop.id,
      withTier.map((e) => ({ line: e.line, customerId: e.externalId, tier: e.tier! })),
      batch.now,
    )),
  );
  const withCode = extras.filter((e) => e.referralCode !== undefined);
  failed.push(...(await checkCodes(batch, withCode)));
  return failed;
}

async function checkCodes(batch: ImportBatch, rows: Extras[]): Promise<RowFailure[]> {
  if (rows.length === 0) return [];
  const failed: RowFailure[] = [];
  const owners = await sql<{ id: string; external_id: string }>`
    SELECT id, external_id FROM customers
    WHERE shop_id = ${batch.shop.id} AND external_id = ANY(${rows.map((r) => r.externalId)}::text[])`.execute(
    batch.tx,
  );
  const lojalId = new Map(owners.rows.map((o) => [o.external_id, o.id]));
  // A customer not yet in Lojal holds no code, so any holder is someone else.
  const codes = rows.map((r) => ({
    customerId: lojalId.get(r.externalId) ?? `new:${r.externalId}`,
    code: r.referralCode!,
  }));
  const taken = await referralCodesHeldByOthers(batch.tx, batch.shop.id, codes);
  const firstLine = new Map<string, number>();
  for (const r of rows) {
    const key = referralCodeKey(r.referralCode!);
    if (taken.has(key)) {
      failed.push({
        line: r.line,
        error: `referral_code: "${r.referralCode}" belongs to another customer`,
      });
    } else if (firstLine.has(key)) {
      failed.push({
        line: r.line,
        error: `referral_code: "${r.referralCode}" is also on line ${firstLine.get(key)}`,
      });
    } else firstLine.set(key, r.line);
  }
  return failed;
}

/** Posts the checked points, tiers and codes of rows whose customer now exists. */
export async function applyExtras(batch: ImportBatch, extras: Extras[]): Promise<BatchOutcome> {
  const changes: Record<string, number> = {};
  if (extras.length === 0) return { failed: [], changes };
  const ids = await sql<{ id: string; external_id: string }>`
    SELECT id, external_id FROM customers
    WHERE shop_id = ${batch.shop.id} AND external_id = ANY(${extras.map((e) => e.externalId)}::text[])`.execute(
    batch.tx,
  );
  const lojalId = new Map(ids.rows.map((o) => [o.external_id, o.id]));
  const rows = extras
    .map((e) => ({ ...e, customerId: lojalId.get(e.externalId) }))
    .filter((e): e is Extras & { customerId: string } => e.customerId !== undefined);
  const lots: ImportedLot[] = rows.flatMap((e) => [
    ...(e.points
      ? [
          {
            line: e.line,
            customerId: e.customerId,
            lotId: 'opening',
            points: e.points,
            expiresAt: e.pointsExpireAt,
          },
        ]
      : []),
    ...(e.pendingPoints
      ? [
          {
            line: e.line,
            customerId: e.customerId,
            lotId: 'pending',
            points: e.pendingPoints,
            pending: true,
          },
        ]
      : []),
  ]);
  const points = await creditImportedLots(batch, lots);
  const tiers: ImportedTier[] = rows
    .filter((e) => e.tier !== undefined)
    .map((e) => ({ line: e.line, customerId: e.customerId, tier: e.tier! }));
  const tierOutcome = await assignImportedTiers(batch, tiers);
  const codes: KeptCode[] = rows
    .filter((e) => e.referralCode !== undefined)
    .map((e) => ({ customerId: e.customerId, code: e.referralCode! }));
  const changed = await keepReferralCodes(batch.tx, batch.shop.id, codes, batch.now);
  addChange(changes, 'referralCodes.kept', changed);
  addChange(changes, 'referralCodes.unchanged', codes.length - changed);
  for (const o of [points, tierOutcome]) {
    for (const [name, n] of Object.entries(o.changes)) addChange(changes, name, n);
  }
  return { failed: [...points.failed, ...tierOutcome.failed], changes };
}

/**
 * Consent answers of the file: one consent-log entry per customer, channel and answer (source
 * "import", the file's source in `page`, its date), made current unless a later answer is on
 * record. An entry with the same answer and date already logged is not logged again.
 */
async function recordConsents(batch: ImportBatch, skip: number[]): Promise<number> {
  const result = await sql<{ n: string }>`
    WITH answers AS (
      SELECT c.id AS customer_id, ch.channel, (r.data->>ch.field)::boolean AS granted,
             COALESCE((r.data->>'consentAt')::timestamptz, ${batch.now}::timestamptz) AS at,
             r.data->>'consentSource' AS page
      FROM import_rows r
      JOIN customers c ON c.shop_id = r.shop_id AND c.external_id = r.data->>'customerId'
      CROSS JOIN (VALUES ('email', 'acceptsEmailMarketing'), ('sms', 'acceptsSmsMarketing')) AS ch(channel, field)
      WHERE ${inBatch(batch, skip)} AND r.data ? ch.field AND c.redacted_at IS NULL
    ), fresh AS (
      SELECT a.* FROM answers a
      WHERE NOT EXISTS (
        SELECT 1 FROM consent_events e
        WHERE e.shop_id = ${batch.shop.id} AND e.customer_id = a.customer_id AND e.channel = a.channel
          AND e.purpose = 'marketing' AND e.source = 'import' AND e.granted = a.granted
          AND e.occurred_at = a.at)
    ), logged AS (
      INSERT INTO consent_events (shop_id, id, customer_id, channel, purpose, granted, source, page, occurred_at)
      SELECT ${batch.shop.id}, 'cns_' || md5(${batch.importId} || f.customer_id || f.channel), f.customer_id,
             f.channel, 'marketing', f.granted, 'import', f.page, f.at
      FROM fresh f
      RETURNING id, customer_id, channel, granted, occurred_at
    ), current AS (
      INSERT INTO consents (shop_id, customer_id, channel, purpose, granted, changed_at, event_id)
      SELECT ${batch.shop.id}, l.customer_id, l.channel, 'marketing', l.granted, l.occurred_at, l.id
      FROM logged l
      ON CONFLICT (shop_id, customer_id, channel, purpose) DO UPDATE SET
        granted = excluded.granted, changed_at = excluded.changed_at, event_id = excluded.event_id
      WHERE consents.changed_at <= excluded.changed_at
    )
    SELECT count(*)::text AS n FROM logged`.execute(batch.tx);
  return Number(result.rows[0]?.n ?? 0);
}
