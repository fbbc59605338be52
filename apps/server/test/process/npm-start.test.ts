import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../src/shared/process-alive.ts';
import { createShopOver, runUntilExit, startWithNpm } from '../support/server-process.ts';

// `npm start` on the embedded PostgreSQL, stopped as a terminal and as a supervisor stop it.
let dataDir: string;
beforeAll(async () => {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'lojal-npm-start-'));
  await chmod(folder, 0o755); // a folder like a clone's: PostgreSQL's user may pass (when root)
  dataDir = path.join(folder, '.lojal');
});
afterAll(() => rm(path.dirname(dataDir), { recursive: true, force: true }));

/** Lojal's pid (its pid file) and its PostgreSQL's (the cluster's lock file). */
async function pidsIn(dir: string): Promise<{ lojal: number; postgres: number }> {
  const lojal = Number((await readFile(path.join(dir, 'lojal.pid'), 'utf8')).trim());
  const lock = await readFile(path.join(dir, 'pg', 'postmaster.pid'), 'utf8');
  return { lojal, postgres: Number(lock.split('\n')[0]) };
}

function expectCleanStop(output: string, dir: string, pids: { lojal: number; postgres: number }) {
  expect(output).not.toMatch(/"level":(50|60)/); // no error logged
  expect(output).not.toMatch(/^\s+at /m); // no stack trace
  expect(output).toContain('"msg":"stopped"');
  expect(existsSync(path.join(dir, 'lojal.pid'))).toBe(false);
  expect(existsSync(path.join(dir, 'pg', 'postmaster.pid'))).toBe(false); // PostgreSQL shut down
  expect(isProcessAlive(pids.lojal)).toBe(false);
  expect(isProcessAlive(pids.postgres)).toBe(false);
}

describe('npm start on the embedded PostgreSQL', () => {
  it('stops on Ctrl+C (SIGINT to its process group) in under 5 s, exit 0, requests answered, database last', async () => {
    const lojal = await startWithNpm(dataDir);
    const pids = await pidsIn(dataDir);
    const shop = await createShopOver(lojal.url);
    const statuses = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        if (i === 10) process.kill(-lojal.npm.pid!, 'SIGINT');
        try {
          const res = await fetch(`${lojal.url}/v1/events`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${shop.apiKey}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify({
              type: 'customer.created',
              id: `int-${i}`,
              data: { id: `c${i}` },
            }),
          });
          return res.status;
        } catch {
          return 'refused';
        }
      }),
    );
    const signalled = Date.now();
    const code = await lojal.exited;
    expect(Date.now() - signalled).toBeLessThan(5000);
    expect(code, lojal.output()).toBe(0);
    expect(statuses.every((s) => s === 202 || s === 503 || s === 'refused')).toBe(true);
    expectCleanStop(lojal.output(), dataDir, pids);
  }, 90_000);

  it('stops everything it started on SIGTERM to the npm process alone', async () => {
    const lojal = await startWithNpm(dataDir);
    const pids = await pidsIn(dataDir);
    const signalled = Date.now();
    lojal.npm.kill('SIGTERM');
    const code = await lojal.exited;
    // npm exits once Lojal has: Lojal and its PostgreSQL are gone with it.
    expect(Date.now() - signalled).toBeLessThan(5000);
    expect(code, lojal.output()).toBe(0);
    expectCleanStop(lojal.output(), dataDir, pids);
  }, 90_000);

  it('takes its PostgreSQL down when killed outright, and the next start takes the folder over', async () => {
    const killed = await startWithNpm(dataDir);
    const pids = await pidsIn(dataDir);
    process.kill(pids.lojal, 'SIGKILL');
    await killed.exited;
    for (let i = 0; i < 50 && isProcessAlive(pids.postgres); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(isProcessAlive(pids.postgres)).toBe(false); // its watchdog stopped it

    const next = await startWithNpm(dataDir); // over the stale pid file
    const nextPids = await pidsIn(dataDir);
    next.npm.kill('SIGTERM');
    expect(await next.exited, next.output()).toBe(0);
    expectCleanStop(next.output(), dataDir, nextPids);
  }, 90_000);

  it.runIf(process.getuid?.() === 0)(
    'as root, keeps the cluster where the postgres user can reach it when the data folder is out of its reach',
    async () => {
      const home = await mkdtemp(path.join(os.tmpdir(), 'lojal-root-home-')); // mode 700, as /root
      const dir = path.join(home, '.lojal');
      let outside: string | undefined;
      try {
        const lojal = await startWithNpm(dir);
        outside = await readlink(path.join(dir, 'pg'));
        expect(outside.startsWith('/var/lib/lojal/clusters/')).toBe(true);
        const pids = await pidsIn(dir);
        process.kill(-lojal.npm.pid!, 'SIGINT');
        expect(await lojal.exited).toBe(0);
        expectCleanStop(lojal.output(), dir, pids);
      } finally {
        if (outside) await rm(outside, { recursive: true, force: true });
        await rm(home, { recursive: true, force: true });
      }
    },
    90_000,
  );
});

describe('a start that cannot work', () => {
  it('says why in one line, without a stack trace, when the data folder cannot be made', async () => {
    const file = path.join(path.dirname(dataDir), 'not-a-folder');
    await writeFile(file, '');
    const { code, stderr } = await runUntilExit({ LOJAL_DATA_DIR: path.join(file, '.lojal') });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^Lojal cannot write its data folder .*LOJAL_DATA_DIR/),
    ]);
  });

  it('says why in one line, and to set DATABASE_URL, when the embedded PostgreSQL will not start', async () => {
    const dir = path.join(path.dirname(dataDir), 'broken');
    await mkdir(path.join(dir, 'pg'), { recursive: true, mode: 0o700 });
    await writeFile(path.join(dir, 'pg', 'PG_VERSION'), '9\n'); // a cluster it cannot run
    const { code, stderr } = await runUntilExit({ LOJAL_DATA_DIR: dir });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^The embedded PostgreSQL did not start: .+\. Set DATABASE_URL/),
    ]);
    expect(existsSync(path.join(dir, 'lojal.pid'))).toBe(false);
  });
});
