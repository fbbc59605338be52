import pg from 'pg';

/** The same server's URL, pointed at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Drops the database if it exists (closing its connections) and creates it empty. */
export async function recreateDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const id = admin.escapeIdentifier(name);
    await admin.query(`DROP DATABASE IF EXISTS ${id} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${id}`);
  } finally {
    await admin.end();
  }
}
