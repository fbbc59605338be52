import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** apps/widget, found from this file so that Lojal runs from any working directory. */
export const WIDGET_DIR = fileURLToPath(new URL('../../../widget', import.meta.url));
export const WIDGET_DIST = path.join(WIDGET_DIR, 'dist');

// What the build is made from (the lock file: its packages); anything newer than
// dist/manifest.json (written last) means a new build.
const SOURCES = ['src', 'build.mjs', 'package.json', '../../package-lock.json'];

async function newestChange(entry: string): Promise<number> {
  const info = await stat(entry).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const children = await readdir(entry);
  const times = await Promise.all(children.map((c) => newestChange(path.join(entry, c))));
  return Math.max(info.mtimeMs, ...times);
}

/** Whether dist/ is missing or older than a source file (false without the sources). */
export async function widgetBuildIsStale(dir = WIDGET_DIR): Promise<boolean> {
  if (!existsSync(path.join(dir, 'src'))) return false;
  const built = await stat(path.join(dir, 'dist', 'manifest.json')).catch(() => null);
  if (!built) return true;
  const times = await Promise.all(SOURCES.map((s) => newestChange(path.join(dir, s))));
  return Math.max(...times) > built.mtimeMs;
}

export interface WidgetManifest {
  loader: string;
  chunks: Record<string, string>;
  sizes: Record<string, { bytes: number; gzip: number }>;
}

/** Builds apps/widget into `outDir` with its own build.mjs (esbuild, in this process). */
export async function buildWidgetInto(outDir: string, dir = WIDGET_DIR): Promise<WidgetManifest> {
  const script = pathToFileURL(path.join(dir, 'build.mjs')).href;
  const build = (await import(script)) as { buildWidget(out: string): Promise<WidgetManifest> };
  return build.buildWidget(outDir);
}

/**
 * Builds the storefront widget (well under a second) when dist/ is missing or older than its
 * sources, so that `npm install && npm start` serves /widget.js with no other step. A checkout
 * without the widget's sources serves whatever dist/ holds.
 */
export async function ensureWidgetBuilt(
  log: { info: (msg: string) => void },
  dir = WIDGET_DIR,
): Promise<boolean> {
  if (!(await widgetBuildIsStale(dir))) return false;
  log.info('building the storefront widget (apps/widget) with esbuild');
  // Built beside dist/ and swapped in whole (as the dashboard): never half a build served.
  const fresh = `dist.build-${process.pid}-${randomBytes(4).toString('hex')}`;
  const old = `${fresh}-old`;
  try {
    await buildWidgetInto(path.join(dir, fresh), dir);
    await rename(path.join(dir, 'dist'), path.join(dir, old)).catch(() => undefined);
    await rename(path.join(dir, fresh), path.join(dir, 'dist')).catch(() => undefined);
  } finally {
    await rm(path.join(dir, fresh), { recursive: true, force: true });
    await rm(path.join(dir, old), { recursive: true, force: true });
  }
  return true;
}
