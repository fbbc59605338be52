import type { Db } from '../db/connect.ts';
import type { OutboundPolicy } from '../messaging/outbound-url.ts';
import type { Clock } from '../shared/clock.ts';
import type { SecretBox } from '../shared/secrets.ts';
import type { Platform, PlatformConnector } from './connector.ts';

/** What the connections runtime needs, given by app/ (the connectors are app/connectors.ts). */
export interface ConnectionDeps {
  db: Db;
  clock: Clock;
  box: SecretBox;
  connectors: Partial<Record<Platform, PlatformConnector>>;
  /** Where platform calls may go: public addresses only, unless a test or LAN shop allows more. */
  policy: OutboundPolicy;
  /** Told after pulled records are stored, so the event processor takes them now. */
  onRecordsStored?: () => void;
}

/** The connector of a platform, or a clear error for one Lojal cannot connect yet. */
export function connectorFor(deps: Pick<ConnectionDeps, 'connectors'>, platform: string) {
  const connector = deps.connectors[platform as Platform];
  if (!connector) throw new Error(`no connector for ${platform}`);
  return connector;
}
