import pg from 'pg';

/**
 * A sampling profile of PostgreSQL's side of a benchmark: every few milliseconds it reads
 * pg_stat_activity for one database and counts, per statement text and wait event, the backends
 * that were active. The shares say where the database's time went (statements that run long or
 * often show up in proportion), without pg_stat_statements, which needs a server restart.
 *
 *   const sampler = startPgSampler(url, 'lojal_bench'); …; console.log(await sampler.stop());
 */
export function startPgSampler(url: string, database: string, everyMs = 5) {
  const client = new pg.Client({ connectionString: url });
  const counts = new Map<string, number>();
  let samples = 0;
  let activeSamples = 0;
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const { rows } = await client.query<{ query: string; wait: string | null }>(
        `SELECT query, wait_event_type || ':' || wait_event AS wait
           FROM pg_stat_activity
          WHERE datname = $1 AND state = 'active' AND pid <> pg_backend_pid()`,
        [database],
      );
      samples++;
      for (const row of rows) {
        activeSamples++;
        const text = row.query.replace(/\s+/g, ' ').slice(0, 110);
        const key = `${row.wait ?? 'CPU'} | ${text}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
    await client.end();
  })();
  return {
    async stop(top = 15): Promise<string> {
      running = false;
      await loop;
      const lines = [...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(
          ([key, n]) =>
            `${((100 * n) / Math.max(1, activeSamples)).toFixed(1).padStart(5)} %  ${key}`,
        );
      return [
        `PostgreSQL sampled ${samples} times: ${(activeSamples / Math.max(1, samples)).toFixed(2)} backends active on average; shares of the active samples (wait event | statement):`,
        ...lines,
      ].join('\n');
    },
  };
}
