import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { rename, rm, utimes } from 'node:fs/promises';
import path from 'node:path';
import { buildIsStale } from './build-freshness.ts';
import { fileURLToPath } from 'node:url';

/** apps/dashboard, found from this file so that Lojal runs from any working directory. */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../../dashboard', import.meta.url));
export const DASHBOARD_DIST = path.join(DASHBOARD_DIR, 'dist');

// What the build is made from (the lock file: its packages); anything newer than
// dist/index.html means a new build.
const SOURCES = [
  'src',
  'index.html',
  'staff.html',
  'public',
  'vite.config.ts',
  'package.json',
  '../../package-lock.json',
];

/** Whether dist/ is missing or older than a source file (false without the sources). */
export async function dashboardBuildIsStale(dir = DASHBOARD_DIR): Promise<boolean> {
  return buildIsStale(dir, SOURCES, 'index.html');
}

/**
 * Builds the dashboard with Vite (a few seconds) when dist/ is missing or
 * older than its sources, so that `npm install && npm start` serves /admin with no other step.
 * A checkout without the dashboard's sources serves whatever dist/ holds.
 */
export async function ensureDashboardBuilt(
  log: { info: (msg: string) => void },
  dir = DASHBOARD_DIR,
): Promise<boolean> {
  if (!(await dashboardBuildIsStale(dir))) return false;
  log.info('building the dashboard (apps/dashboard) with Vite');
  // Built beside dist/ and swapped in whole, so that a server never serves half a build and
  // two starts at once (or a start during a test run) do not write into one folder.
  const fresh = `dist.build-${process.pid}-${randomBytes(4).toString('hex')}`;
  const old = `${fresh}-old`;
  // The build is as new as the sources it read: a file saved while Vite runs is newer.
  const started = new Date();
  try {
    await viteBuild(dir, fresh);
    await utimes(path.join(dir, fresh, 'index.html'), started, started);
    await rename(path.join(dir, 'dist'), path.join(dir, old)).catch(() => undefined);
    // Another start may have swapped its own build in meanwhile: then that one stays.
    await rename(path.join(dir, fresh), path.join(dir, 'dist')).catch(() => undefined);
  } finally {
    await rm(path.join(dir, fresh), { recursive: true, force: true });
    await rm(path.join(dir, old), { recursive: true, force: true });
  }
  return true;
}

/** `vite build` in its own process: a production build whatever NODE_ENV this one has. */
async function viteBuild(dir: string, outDir: string): Promise<void> {
  const manifest = createRequire(path.join(dir, 'package.json')).resolve('vite/package.json');
  const vite = path.join(path.dirname(manifest), 'bin', 'vite.js');
  const child = spawn(
    process.execPath,
    // Each build writes its own folder (above), so two at once are safe; Vite's own lock would
    // refuse the second ("Found another Vite build process"), failing a start or a test file.
    [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn', '--bypass-lock'],
    {
      cwd: dir,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`the dashboard build failed (vite exited with ${code})`);
}
