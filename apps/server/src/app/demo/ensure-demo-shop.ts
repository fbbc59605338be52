import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../db/connect.ts';
import type { Clock } from '../../shared/clock.ts';
import type { SecretBox } from '../../shared/secrets.ts';
import { provisionShop } from '../provision-shop.ts';
import { InboxWriter } from '../../ingest/inbox-writer.ts';
import type { EventProcessor } from '../../ingest/event-processor.ts';
import { generateDemoEvents } from './generate-demo-events.ts';
import { apiEventDelivery } from '../../ingest/api-event.ts';
import { configureDemoProgramme } from './configure-demo-programme.ts';
import { refreshClv } from '../../analytics/refresh-clv.ts';

interface DemoShop {
  shopId: string;
  apiKey: string;
  name: string;
}

const DEMO_CUSTOMERS = 400;

/**
 * Creates the demo shop once, fills it with a year of orders through the normal ingestion path,
 * and keeps its API key in the data folder (demo only) so every start can print it.
 */
export async function ensureDemoShop(
  db: Db,
  clock: Clock,
  box: SecretBox,
  dataDir: string,
  processor: EventProcessor,
  log: { info(msg: string): void },
): Promise<DemoShop> {
  const file = path.join(dataDir, 'demo-shop.json');
  if (existsSync(file)) {
    const saved = JSON.parse(await readFile(file, 'utf8')) as DemoShop;
    const shop = await db
      .selectFrom('shops')
      .select('id')
      .where('id', '=', saved.shopId)
      .executeTakeFirst();
    if (shop) return saved;
  }
  log.info('creating the demo shop with a year of orders (once)');
  const shop = await provisionShop(db, clock, box, {
    name: 'Palarnia Kawy Demo',
    currency: 'PLN',
    timezone: 'Europe/Warsaw',
    locale: 'pl',
    isDemo: true,
  });
  const row = await db
    .selectFrom('shops')
    .selectAll()
    .where('id', '=', shop.id)
    .executeTakeFirstOrThrow();
  await configureDemoProgramme(db, clock, row);
  const inbox = new InboxWriter(db);
  const events = generateDemoEvents({ customers: DEMO_CUSTOMERS, until: clock.now() });
  await Promise.all(events.map((event) => inbox.write(apiEventDelivery(shop.id, event))));
  await processor.drain();
  // A CLV model and every customer's prediction, so segments and the 360 show them at once.
  await refreshClv(db, clock, shop.id).catch(() => 0);
  const demo = { shopId: shop.id, apiKey: shop.apiKey, name: shop.name };
  await writeFile(file, JSON.stringify(demo, null, 2) + '\n', { mode: 0o600 });
  log.info(`demo shop ready: ${events.length} events ingested`);
  return demo;
}
