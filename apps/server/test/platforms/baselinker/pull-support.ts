import type {
  ConnectorContext,
  Json,
  PlatformConnector,
  PulledRecord,
} from '../../../src/connections/connector.ts';
import { CallSpacer, platformHttp } from '../../../src/connections/platform-http.ts';
import type { InboundSource } from '../../../src/db/schema.ts';
import { InboxWriter } from '../../../src/ingest/inbox-writer.ts';
import type { Db } from '../../../src/db/connect.ts';

/**
 * Drives a connector the way the connections runtime does (connections-contract.md), until the
 * runtime is on main: a spaced HTTP client per connection, pages looped to `done`, each page's
 * records stored in the raw event log as deliveries `pull:<key>` of the platform's source.
 */
export function connectorContext<C, S>(
  connector: PlatformConnector<C, S>,
  input: { credentials: unknown; settings: unknown; now: Date; spacer?: CallSpacer },
): ConnectorContext<C, S> {
  return {
    shopId: 'shp_test',
    connectionId: 'con_test',
    credentials: connector.credentialsSchema.parse(input.credentials),
    settings: connector.settingsSchema.parse(input.settings),
    http: platformHttp({
      connector: connector as PlatformConnector,
      spacer: input.spacer ?? new CallSpacer(connector.rateLimit),
      policy: { ports: 'any', privateNetworks: true },
    }),
    shop: { timezone: 'Europe/Warsaw', currency: 'PLN', publicUrl: 'http://localhost:3000' },
    now: input.now,
  };
}

export async function pullAll<C, S>(
  connector: PlatformConnector<C, S>,
  ctx: ConnectorContext<C, S>,
  input: { mode: 'sync' | 'backfill'; since: Date; until?: Date | null; cursor?: Json },
  maxPages = 500,
): Promise<{ records: PulledRecord[]; cursor: Json; pages: number; reachedAt: Date | null }> {
  let cursor: Json = input.cursor ?? null;
  const records: PulledRecord[] = [];
  let reachedAt: Date | null = null;
  for (let pages = 1; pages <= maxPages; pages++) {
    const page = await connector.pull(ctx, {
      cursor,
      mode: input.mode,
      since: input.since,
      until: input.until ?? null,
    });
    records.push(...page.records);
    cursor = page.cursor;
    reachedAt = page.reachedAt ?? reachedAt;
    if (page.done) return { records, cursor, pages, reachedAt };
  }
  throw new Error(`no end after ${maxPages} pages`);
}

/** Stores records as the runtime will: one delivery `pull:<key>` each, a repeat stored once. */
export async function storeRecords(
  db: Db,
  shopId: string,
  source: InboundSource,
  records: PulledRecord[],
): Promise<{ stored: number; duplicates: number }> {
  const writer = new InboxWriter(db);
  const results = await Promise.all(
    records.map((r) =>
      writer.write({
        shopId,
        source,
        topic: r.topic,
        deliveryId: `pull:${r.key}`,
        idempotencyKey: null,
        requestHash: null,
        verified: true,
        headers: {},
        body: Buffer.from(r.body),
        occurredAt: r.occurredAt ?? null,
      }),
    ),
  );
  const duplicates = results.filter((r) => r.duplicate).length;
  return { stored: results.length - duplicates, duplicates };
}
