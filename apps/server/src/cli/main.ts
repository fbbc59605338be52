import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openRuntime, type Runtime } from '../app/runtime.ts';
import { systemClock } from '../shared/clock.ts';
import { silentLogger } from '../shared/logger.ts';
import { Problem } from '../shared/errors.ts';
import { StartupError } from '../shared/startup-error.ts';
import { provisionShop } from '../app/provision-shop.ts';
import { issueApiKey } from '../shops/issue-api-key.ts';
import { listApiKeys, revokeApiKey } from '../shops/api-keys.ts';
import { rotateWebhookSecret } from '../shops/rotate-webhook-secret.ts';
import { shopView } from '../shops/shop.ts';
import { replayEvents } from '../ingest/replay-events.ts';
import { inboundEventView } from '../ingest/inbound-event-view.ts';
import { EventProcessor } from '../ingest/event-processor.ts';
import { localeSchema, timeZoneSchema } from '../http/schemas.ts';
import { currencySchema } from '../shared/bounds.ts';
import { codePatternInput } from '../coupons/campaign-schema.ts';
import { exportCodesCsv, generateCodes } from '../coupons/generate-codes.ts';
import { rebuildAnalyticsRollups } from '../analytics/rebuild-analytics-rollups.ts';
import { reactions } from '../app/reactions.ts';
import { writeShopZip } from '../exports/write-shop-zip.ts';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { IMPORT_KINDS, type ImportKind } from '../imports/import-records.ts';
import { IMPORT_FORMATS, type ImportFormat } from '../imports/import-formats.ts';
import { readImportFile } from '../imports/read-import-file.ts';
import { runImport } from '../imports/run-import.ts';
import { importView } from '../imports/import-view.ts';

const USAGE = `Usage: npm run -s lojal -- <command> [options]   (prints JSON)

  shops create --name <name> [--currency PLN] [--timezone Europe/Warsaw] [--locale pl]
  shops list
  keys list --shop <shopId>
  keys create --shop <shopId> [--label <label>]
  keys revoke --shop <shopId> --key <keyId>
  webhook-secret rotate --shop <shopId> [--secret <the platform's signing secret>]
  events list --shop <shopId> [--status failed|waiting|ignored|pending|processed] [--limit 50]
  events replay --shop <shopId> (--event <eventId> ... | --failed)
  coupons generate --shop <shopId> --campaign <campaignId> --count <n> [--prefix P] [--length 13]
  coupons export --shop <shopId> --campaign <campaignId>      (prints CSV)
  analytics rebuild-rollups --shop <shopId>     (recomputes the analytics rollups from the orders)
  export --shop <shopId> [--format jsonl|csv] > shop.zip   (the whole shop, docs/export.md)
  import <file> --shop <shopId> [--kind customers|orders|refunds|points|tiers|referral-codes|coupons|gift-cards]
         [--format lojal-csv|lojal-json|smile|loyaltylion] [--dry-run]     (docs/import.md)
  import status --shop <shopId> --import <importId>
  import resume --shop <shopId> --import <importId>    (goes on after a crash or a fixed failure)
  migrate

Uses DATABASE_URL, or the embedded PostgreSQL in LOJAL_DATA_DIR (a running Lojal's, if any).`;

type Options = Record<string, string | boolean | string[] | undefined>;
type Command = (rt: Runtime, o: Options) => Promise<unknown>;

const commands: Record<string, Command> = {
  'shops create': async (rt, o) => {
    const input = {
      name: required(o, 'name'),
      currency: check(currencySchema, 'currency', str(o.currency) ?? 'PLN'),
      timezone: check(timeZoneSchema, 'timezone', str(o.timezone) ?? 'Europe/Warsaw'),
      locale: check(localeSchema, 'locale', str(o.locale) ?? 'pl'),
    };
    return provisionShop(rt.db, systemClock, rt.box, input);
  },
  'shops list': async (rt) =>
    (await rt.db.selectFrom('shops').selectAll().orderBy('id').execute()).map(shopView),
  'keys list': async (rt, o) => listApiKeys(rt.db, required(o, 'shop')),
  'keys create': async (rt, o) => issueApiKey(rt.db, await shopId(rt, o), str(o.label) ?? null),
  'keys revoke': async (rt, o) => {
    await revokeApiKey(rt.db, systemClock, await shopId(rt, o), required(o, 'key'));
    return { revoked: required(o, 'key') };
  },
  'webhook-secret rotate': async (rt, o) => {
    const secret = str(o.secret);
    if (secret !== undefined && secret.length < 16)
      throw new UsageError('--secret needs 16 characters or more');
    return rotateWebhookSecret(rt.db, systemClock, rt.box, await shopId(rt, o), secret);
  },
  'events list': async (rt, o) => {
    let query = rt.db
      .selectFrom('inbound_events')
      .selectAll()
      .where('shop_id', '=', await shopId(rt, o))
      .orderBy('id', 'desc')
      .limit(Number(str(o.limit) ?? 50));
    const status = str(o.status);
    if (status) query = query.where('status', '=', status as 'failed');
    return (await query.execute()).map((row) => inboundEventView(row));
  },
  'events replay': async (rt, o) => {
    const shop = await shopId(rt, o);
    const eventIds = Array.isArray(o.event) ? o.event : undefined;
    if (!eventIds && o.failed !== true)
      throw new UsageError('give --event <id> (repeatable) or --failed');
    const replayed = await replayEvents(rt.db, {
      shopId: shop,
      eventIds,
      status: eventIds ? undefined : 'failed',
    });
    // Process now; safe next to a running server (one processor per shop at a time).
    await new EventProcessor(rt.db, systemClock, silentLogger, { reactions }).drain();
    const after = replayed.length
      ? await rt.db
          .selectFrom('inbound_events')
          .select(['id', 'status', 'reason'])
          .where('shop_id', '=', shop)
          .where('id', 'in', replayed)
          .execute()
      : [];
    return { replayed: after };
  },
  'coupons generate': async (rt, o) => {
    const shop = await shopRow(rt, o);
    const count = Number(required(o, 'count'));
    const pattern = codePatternInput.safeParse({
      prefix: str(o.prefix) ?? '',
      length: Number(str(o.length) ?? 13),
    });
    if (!pattern.success) {
      throw new UsageError('--prefix takes up to 12 capital letters or digits, --length 13 to 32');
    }
    const started = Date.now();
    const result = await generateCodes(
      rt.db,
      systemClock,
      shop,
      required(o, 'campaign'),
      { count, pattern: pattern.data },
      progressBar('codes'),
    );
    process.stderr.write('\n');
    return { ...result, seconds: (Date.now() - started) / 1000 };
  },
  'analytics rebuild-rollups': async (rt, o) => {
    const shop = await shopId(rt, o);
    const started = Date.now();
    await rebuildAnalyticsRollups(rt.db, shop);
    return { shop, seconds: (Date.now() - started) / 1000 };
  },
  'coupons export': async (rt, o) => {
    const shop = await shopRow(rt, o);
    return new RawOutput(await exportCodesCsv(rt.db, shop, required(o, 'campaign')));
  },
  export: async (rt, o) => {
    const shop = await shopRow(rt, o);
    const format = str(o.format) ?? 'jsonl';
    if (format !== 'jsonl' && format !== 'csv') throw new UsageError('--format is jsonl or csv');
    if (process.stdout.isTTY)
      throw new UsageError('the zip goes to standard output: add > shop.zip');
    const started = Date.now();
    const summary = await writeShopZip(rt.pool, shop, format, process.stdout, new Date(), {
      end: false,
    });
    const seconds = (Date.now() - started) / 1000;
    process.stderr.write(
      `exported ${summary.rows} rows in ${seconds.toFixed(1)} s (${Math.round(summary.rows / seconds)} rows/s)\n`,
    );
    return new RawOutput('');
  },
  migrate: async () => ({ migrated: true }),
  'import status': async (rt, o) => importView(rt.db, await shopId(rt, o), required(o, 'import')),
  'import resume': async (rt, o) => {
    const shop = await shopRow(rt, o);
    const id = required(o, 'import');
    await runImport(rt.db, systemClock, shop, id, {
      onProgress: progressBar('rows'),
      retryFailed: true,
    });
    process.stderr.write('\n');
    return importView(rt.db, shop.id, id);
  },
};

/** `import <file>`: reads the file, then applies it (or, with --dry-run, reports what would change). */
async function importFile(rt: Runtime, file: string, o: Options): Promise<unknown> {
  const shop = await shopRow(rt, o);
  const format = (str(o.format) ??
    (/\.(jsonl|ndjson|json)$/i.test(file) ? 'lojal-json' : 'lojal-csv')) as ImportFormat;
  if (!IMPORT_FORMATS.includes(format)) throw new UsageError(`--format "${format}" is not known`);
  const kind = (str(o.kind) ??
    (format === 'smile' || format === 'loyaltylion' ? 'customers' : '')) as ImportKind;
  if (!IMPORT_KINDS.includes(kind)) throw new UsageError('--kind is required (see the list above)');
  const started = Date.now();
  process.stderr.write(`reading ${file}…\n`);
  const id = await readImportFile(rt.db, rt.pool, systemClock, shop, {
    kind,
    format,
    fileName: basename(file),
    dryRun: o['dry-run'] === true,
    actor: 'cli',
    body: createReadStream(file),
    maxBytes: Number.MAX_SAFE_INTEGER,
  });
  await runImport(rt.db, systemClock, shop, id, { onProgress: progressBar('rows') });
  process.stderr.write('\n');
  const view = await importView(rt.db, shop.id, id);
  return { ...view, seconds: (Date.now() - started) / 1000 };
}

/** A command's output printed as it is, not as JSON (CSV, say). */
class RawOutput {
  constructor(readonly text: string) {}
}

/** A progress bar on stderr, so stdout stays clean for the JSON answer. */
function progressBar(what: string) {
  let last = 0;
  return (done: number, total: number) => {
    const now = Date.now();
    if (done < total && now - last < 100) return;
    last = now;
    const width = 30;
    const filled = Math.round((done / total) * width);
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    process.stderr.write(`\r[${bar}] ${done}/${total} ${what}`);
  };
}

async function shopRow(rt: Runtime, o: Options) {
  const id = await shopId(rt, o);
  return rt.db.selectFrom('shops').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

class UsageError extends Error {}

function str(value: Options[string]): string | undefined {
  return typeof value === 'string' ? value : Array.isArray(value) ? value[0] : undefined;
}

function required(o: Options, name: string): string {
  const value = str(o[name]);
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

function check<T>(
  schema: { safeParse(v: unknown): { success: boolean; data?: T } },
  name: string,
  value: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`--${name} "${value}" is not valid`);
  return result.data as T;
}

async function shopId(rt: Runtime, o: Options): Promise<string> {
  const id = required(o, 'shop');
  const shop = await rt.db.selectFrom('shops').select('id').where('id', '=', id).executeTakeFirst();
  if (!shop) throw new UsageError(`shop ${id} does not exist`);
  return shop.id;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      currency: { type: 'string' },
      timezone: { type: 'string' },
      locale: { type: 'string' },
      shop: { type: 'string' },
      key: { type: 'string' },
      label: { type: 'string' },
      secret: { type: 'string' },
      status: { type: 'string' },
      limit: { type: 'string' },
      event: { type: 'string', multiple: true },
      failed: { type: 'boolean' },
      campaign: { type: 'string' },
      count: { type: 'string' },
      prefix: { type: 'string' },
      length: { type: 'string' },
      kind: { type: 'string' },
      format: { type: 'string' },
      import: { type: 'string' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const name = positionals.join(' ');
  const file = positionals[0] === 'import' && positionals.length === 2 ? positionals[1]! : null;
  const command: Command | undefined =
    commands[name] ?? (file && !commands[name] ? (rt, o) => importFile(rt, file, o) : undefined);
  if (values.help || !command) {
    process.stderr.write(USAGE + '\n');
    return values.help ? 0 : 2;
  }
  const quiet = {
    info: () => undefined,
    debug: () => undefined,
    warn: (m: string) => process.stderr.write(m + '\n'),
  };
  const runtime = await openRuntime(loadConfig(), quiet, { cli: true });
  try {
    const result = await command(runtime, values);
    process.stdout.write(
      result instanceof RawOutput ? result.text : JSON.stringify(result, null, 2) + '\n',
    );
    return 0;
  } finally {
    await runtime.close();
  }
}

// `lojal coupons export | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main().then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof UsageError || error instanceof Problem) {
      process.stderr.write(`error: ${error.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    if (error instanceof StartupError) process.stderr.write(`error: ${error.message}\n`);
    else process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
