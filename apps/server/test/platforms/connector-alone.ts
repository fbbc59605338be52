import type {
  ConnectorContext,
  Json,
  PlatformConnector,
  PulledRecord,
} from '../../src/connections/connector.ts';
import { CallSpacer, platformHttp } from '../../src/connections/platform-http.ts';

/**
 * For a connector's own unit tests: what it answers, page by page, with no database (its keys,
 * cursors, calls). Whatever goes through Lojal (stored records, orders, points) is tested through
 * the connections runtime instead: platform-scenarios.ts `connectedShop` and `pullToEnd`.
 */
export function connectorAlone<C, S>(
  connector: PlatformConnector<C, S>,
  input: { credentials: unknown; settings: unknown; now: Date; spacer?: CallSpacer },
): ConnectorContext<C, S> {
  return {
    shopId: 'shp_test',
    connectionId: 'con_test',
    credentials: connector.credentialsSchema.parse(input.credentials),
    settings: connector.settingsSchema.parse(input.settings),
    // the runtime's own HTTP client, spaced by the connector's limit
    http: platformHttp({
      connector: connector as PlatformConnector,
      spacer: input.spacer ?? new CallSpacer(connector.rateLimit),
      policy: { ports: 'any', privateNetworks: true },
    }),
    shop: { timezone: 'Europe/Warsaw', currency: 'PLN', publicUrl: 'http://localhost:3000' },
    now: input.now,
  };
}

/**
 * Calls `pull` from `cursor` until the connector says done, as the runtime's job does; every
 * record, in order. `between` runs after each page that is not the last (a change on the
 * platform while it is being read).
 */
export async function pullPages<C, S>(
  connector: PlatformConnector<C, S>,
  ctx: ConnectorContext<C, S>,
  input: { mode: 'sync' | 'backfill'; since: Date; until?: Date | null; cursor?: Json },
  between?: (page: number) => void,
): Promise<{
  records: PulledRecord[];
  cursor: Json;
  pages: number;
  reachedAt: Date | null;
  total?: number;
}> {
  let cursor: Json = input.cursor ?? null;
  const records: PulledRecord[] = [];
  let reachedAt: Date | null = null;
  let total: number | undefined;
  for (let pages = 1; pages <= 10_000; pages++) {
    const page = await connector.pull(ctx, {
      cursor,
      mode: input.mode,
      since: input.since,
      until: input.until ?? null,
    });
    records.push(...page.records);
    cursor = page.cursor;
    reachedAt = page.reachedAt ?? reachedAt;
    total = page.total ?? total;
    if (page.done) return { records, cursor, pages, reachedAt, total };
    between?.(pages);
  }
  throw new Error('pull never finished');
}
