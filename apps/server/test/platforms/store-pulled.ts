import type { PulledRecord } from '../../src/connections/connector.ts';
import { storePulledRecords } from '../../src/connections/store-pulled-records.ts';
import type { InboundSource } from '../../src/db/schema.ts';
import type { TestApp } from '../support/app.ts';

/**
 * Stores records a connector pulled with the runtime's own writer (delivery id `pull:<key>`, so
 * one version is stored once), then lets the processor apply them.
 */
export async function storePulled(
  t: TestApp,
  shopId: string,
  source: Exclude<InboundSource, 'api'>,
  records: PulledRecord[],
): Promise<{ stored: number; duplicates: number }> {
  const stored = await storePulledRecords(t.db, {
    shopId,
    platform: source,
    records,
    mode: 'sync',
    history: false,
    receivedAt: t.clock.now(),
  });
  await t.processor.drain();
  return { stored, duplicates: records.length - stored };
}
