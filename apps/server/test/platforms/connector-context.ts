import { CallSpacer, platformHttp } from '../../src/connections/platform-http.ts';
import type {
  ConnectorContext,
  Json,
  PlatformConnector,
  PullInput,
  PulledRecord,
} from '../../src/connections/connector.ts';

/** A connector's context as the runtime builds it, reaching fakes on 127.0.0.1. */
export function connectorContext<C, S>(
  connector: PlatformConnector<C, S>,
  connection: { credentials: unknown; settings: unknown },
  now = new Date('2026-03-02T10:00:00Z'),
): ConnectorContext<C, S> {
  const http = platformHttp({
    connector: connector as PlatformConnector,
    spacer: new CallSpacer(connector.rateLimit),
    policy: { ports: 'any', privateNetworks: true },
  });
  return {
    shopId: 'shp_test',
    connectionId: 'con_test',
    credentials: connector.credentialsSchema.parse(connection.credentials),
    settings: connector.settingsSchema.parse(connection.settings),
    http,
    shop: { timezone: 'Europe/Warsaw', currency: 'PLN', publicUrl: 'http://localhost:3000' },
    now,
  };
}

/** Calls pull() page after page, as the runtime's job does, until the platform says done. */
export async function pullAll<C, S>(
  connector: PlatformConnector<C, S>,
  ctx: ConnectorContext<C, S>,
  input: Omit<PullInput, 'cursor'> & { cursor?: Json },
  between?: (page: number) => void,
): Promise<{ records: PulledRecord[]; cursor: Json; pages: number; total?: number }> {
  let cursor: Json = input.cursor ?? null;
  const records: PulledRecord[] = [];
  let total: number | undefined;
  for (let pages = 1; pages < 10_000; pages++) {
    const page = await connector.pull(ctx, { ...input, cursor });
    records.push(...page.records);
    cursor = page.cursor;
    total = page.total ?? total;
    if (page.done) return { records, cursor, pages, total };
    between?.(pages);
  }
  throw new Error('pull never finished');
}
