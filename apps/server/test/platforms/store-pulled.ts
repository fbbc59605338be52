import { InboxWriter } from '../../src/ingest/inbox-writer.ts';
import type { PulledRecord } from '../../src/connections/connector.ts';
import type { InboundSource } from '../../src/db/schema.ts';
import type { TestApp } from '../support/app.ts';

/**
 * Stores pulled records in the raw event log as the connection runtime does (delivery id
 * `pull:<key>`, so one version is stored once), then lets the processor apply them.
 */
export async function storePulled(
  t: TestApp,
  shopId: string,
  source: Exclude<InboundSource, 'api'>,
  records: PulledRecord[],
): Promise<{ stored: number; duplicates: number }> {
  const inbox = new InboxWriter(t.db);
  const results = await Promise.all(
    records.map((record) =>
      inbox.write({
        shopId,
        source,
        topic: record.topic,
        deliveryId: `pull:${record.key}`,
        idempotencyKey: null,
        requestHash: null,
        verified: true,
        headers: {},
        body: Buffer.from(record.body),
        occurredAt: record.occurredAt ?? null,
      }),
    ),
  );
  const duplicates = results.filter((r) => r.duplicate).length;
  await t.processor.drain();
  return { stored: records.length - duplicates, duplicates };
}
