import type { Selectable } from 'kysely';
import type { ConnectionsTable } from '../db/schema.ts';
import type { ConnectionDeps } from './connection-deps.ts';
import { connectorFor } from './connection-deps.ts';
import type { ConnectorContext, PlatformConnector } from './connector.ts';
import { platformHttp, spacerFor } from './platform-http.ts';

export type ConnectionRow = Selectable<ConnectionsTable>;

/** A connection's row with its connector and the context the connector is called with. */
export interface OpenConnection {
  row: ConnectionRow;
  connector: PlatformConnector;
  ctx: ConnectorContext;
}

/** Loads a connection of a shop, opening its credentials; null when there is none. */
export async function openConnection(
  deps: ConnectionDeps,
  shopId: string,
  connectionId: string,
): Promise<OpenConnection | null> {
  const row = await deps.db
    .selectFrom('connections')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('id', '=', connectionId)
    .executeTakeFirst();
  if (!row) return null;
  const shop = await shopForConnector(deps, shopId);
  const connector = connectorFor(deps, row.platform);
  const credentials: unknown = JSON.parse(deps.box.open(row.credentials).toString('utf8'));
  return {
    row,
    connector,
    ctx: connectorContext(deps, connector, {
      shopId,
      connectionId,
      credentials,
      settings: row.settings,
      shop,
    }),
  };
}

/** What a connector knows of its shop: the time zone, the currency and the storefront's address. */
export async function shopForConnector(
  deps: Pick<ConnectionDeps, 'db'>,
  shopId: string,
): Promise<ConnectorContext['shop']> {
  const shop = await deps.db
    .selectFrom('shops')
    .select(['timezone', 'currency', 'storefront_url'])
    .where('id', '=', shopId)
    .executeTakeFirstOrThrow();
  return { timezone: shop.timezone, currency: shop.currency, publicUrl: shop.storefront_url ?? '' };
}

/** The context of a connector call, with this connection's spaced HTTP client. */
export function connectorContext(
  deps: ConnectionDeps,
  connector: PlatformConnector,
  input: Omit<ConnectorContext, 'http' | 'now'>,
): ConnectorContext {
  return {
    ...input,
    now: deps.clock.now(),
    session: new Map(),
    http: platformHttp({
      connector,
      spacer: spacerFor(input.connectionId, connector),
      policy: deps.policy,
    }),
  };
}
