import type { Db } from '../db/connect.ts';
import type { ConnectionDeps } from './connection-deps.ts';
import type { ConnectionRow } from './connection-context.ts';

export type ConnectionState =
  /** Runs on its schedule. */
  | 'active'
  | 'paused'
  /** Stopped until the merchant acts (credentials refused, address gone): see `attention`. */
  | 'error'
  /** Behind by most of the platform's retention: changes will be lost if it does not catch up. */
  | 'alert'
  /** Failing and retrying (platform down, rate-limited). */
  | 'retrying';

/** What `GET /v1/connections/{id}` answers: everything a merchant needs to trust the sync. */
export interface ConnectionStatus {
  id: string;
  platform: string;
  name: string;
  accountName: string | null;
  state: ConnectionState;
  attention: string | null;
  settings: Record<string, unknown>;
  pushCodes: boolean;
  pull: {
    lastAt: string | null;
    lastOkAt: string | null;
    nextAt: string | null;
    /** Seconds between now and the newest change Lojal has caught up to. */
    lagSeconds: number | null;
    failuresInARow: number;
    recordsPulled: number;
  };
  push: {
    lastAt: string | null;
    lastOkAt: string | null;
    failuresInARow: number;
    codes: { pending: number; created: number; disabled: number; failing: number };
  };
  backfill: {
    from: string;
    until: string | null;
    earnPoints: boolean;
    imported: number;
    total: number | null;
    doneAt: string | null;
  } | null;
  errors: Array<{ at: string; direction: string; kind: string; message: string }>;
  createdAt: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function connectionStatuses(
  deps: Pick<ConnectionDeps, 'db' | 'clock' | 'connectors'>,
  shopId: string,
  connectionId?: string,
): Promise<ConnectionStatus[]> {
  let query = deps.db.selectFrom('connections').selectAll().where('shop_id', '=', shopId);
  if (connectionId) query = query.where('id', '=', connectionId);
  const rows = await query.orderBy('created_at').execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [codes, errors] = await Promise.all([
    codeCounts(deps.db, shopId, ids),
    deps.db
      .selectFrom('connection_errors')
      .select(['connection_id', 'at', 'direction', 'kind', 'message'])
      .where('shop_id', '=', shopId)
      .where('connection_id', 'in', ids)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .execute(),
  ]);
  const now = deps.clock.now();
  return rows.map((row) => {
    const connector = deps.connectors[row.platform as keyof typeof deps.connectors];
    const lagSeconds = row.synced_to
      ? Math.max(0, Math.round((now.getTime() - row.synced_to.getTime()) / 1000))
      : null;
    return {
      id: row.id,
      platform: row.platform,
      name: connector?.name ?? row.platform,
      accountName: row.account_name,
      state: stateOf(row, lagSeconds, connector?.retentionMs),
      attention: row.needs_attention,
      settings: row.settings,
      pushCodes: row.push_codes,
      pull: {
        lastAt: iso(row.last_pull_at),
        lastOkAt: iso(row.last_pull_ok_at),
        nextAt: row.paused_at || row.needs_attention ? null : iso(row.next_pull_at),
        lagSeconds,
        failuresInARow: row.pull_failures,
        recordsPulled: Number(row.records_pulled),
      },
      push: {
        lastAt: iso(row.last_push_at),
        lastOkAt: iso(row.last_push_ok_at),
        failuresInARow: row.push_failures,
        codes: codes.get(row.id) ?? { pending: 0, created: 0, disabled: 0, failing: 0 },
      },
      backfill: row.backfill_from
        ? {
            from: row.backfill_from.toISOString(),
            until: iso(row.backfill_until),
            earnPoints: row.backfill_earn_points,
            imported: row.backfill_imported,
            total: row.backfill_total,
            doneAt: iso(row.backfill_done_at),
          }
        : null,
      errors: errors
        .filter((e) => e.connection_id === row.id)
        .slice(0, 20)
        .map((e) => ({
          at: e.at.toISOString(),
          direction: e.direction,
          kind: e.kind,
          message: e.message,
        })),
      createdAt: row.created_at.toISOString(),
    };
  });
}

function stateOf(
  row: ConnectionRow,
  lagSeconds: number | null,
  retentionMs: number | undefined,
): ConnectionState {
  if (row.paused_at) return 'paused';
  if (row.needs_attention) return 'error';
  // Alert with a third of the platform's memory still left, while catching up can still save it.
  if (retentionMs && lagSeconds !== null && lagSeconds * 1000 > (retentionMs * 2) / 3)
    return 'alert';
  if (row.pull_failures > 0 || row.push_failures > 0) return 'retrying';
  return 'active';
}

async function codeCounts(db: Db, shopId: string, ids: string[]) {
  const rows = await db
    .selectFrom('platform_codes')
    .select((eb) => [
      'connection_id',
      'state',
      eb.fn.countAll<string>().as('n'),
      eb.fn.count<string>(eb.case().when('last_error', 'is not', null).then(1).end()).as('failing'),
    ])
    .where('shop_id', '=', shopId)
    .where('connection_id', 'in', ids)
    .groupBy(['connection_id', 'state'])
    .execute();
  const counts = new Map<
    string,
    { pending: number; created: number; disabled: number; failing: number }
  >();
  for (const r of rows) {
    const c = counts.get(r.connection_id) ?? { pending: 0, created: 0, disabled: 0, failing: 0 };
    c[r.state] = Number(r.n);
    if (r.state === 'pending') c.failing = Number(r.failing);
    counts.set(r.connection_id, c);
  }
  return counts;
}
