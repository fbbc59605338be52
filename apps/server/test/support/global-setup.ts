import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';
import { recreateDatabase, withDatabase } from '../../src/db/databases.ts';
import { ensureDashboardBuilt } from '../../src/app/dashboard-build.ts';

// Names carry this run's pid, so concurrent runs on one server never drop each other's.
const TEMPLATE = `lojal_template_${process.pid}`;
const RUN_PREFIX = `lojal_t${process.pid}_`;

/**
 * One PostgreSQL for the run: DATABASE_URL when set (CI: the machine's server), otherwise an
 * embedded one in a temporary folder. Migrations run once into a template database; every
 * test file then clones it (CREATE DATABASE … TEMPLATE), which takes milliseconds.
 */
export default async function setup(project: TestProject) {
  // The dashboard is built once for the run (when its sources changed), before any test file
  // starts a server: the browser test and the `npm start` process tests then find it ready.
  const dashboard = ensureDashboardBuilt({ info: () => undefined });
  let embedded: EmbeddedPostgres | undefined;
  let dataDir: string | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'lojal-test-pg-'));
    const quiet = { info: () => undefined, debug: () => undefined, warn: () => undefined };
    embedded = await startEmbeddedPostgres(dataDir, quiet);
    serverUrl = embedded.url;
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await recreateDatabase(serverUrl, TEMPLATE);
  const pool = new pg.Pool({ connectionString: withDatabase(serverUrl, TEMPLATE), max: 1 });
  await migrate(pool);
  await pool.end();
  await dashboard;
  project.provide('databaseServerUrl', serverUrl);
  project.provide('templateDatabase', TEMPLATE);
  project.provide('databasePrefix', RUN_PREFIX);

  return async () => {
    const leftovers = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE starts_with(datname, $1) OR datname = $2`,
      [RUN_PREFIX, TEMPLATE],
    );
    for (const { datname } of leftovers.rows) {
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => undefined);
    }
    await admin.end();
    await embedded?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseServerUrl: string;
    templateDatabase: string;
    databasePrefix: string;
  }
}
