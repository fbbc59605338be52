import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { buildIsStale } from './build-freshness.ts';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** apps/widget, found from this file so that Lojal runs from any working directory. */
export const WIDGET_DIR = fileURLToPath(new URL('../../../widget', import.meta.url));
export const WIDGET_DIST = path.join(WIDGET_DIR, 'dist');

// What the build is made from (the lock file: its packages); anything newer than
// dist/manifest.json (written last) means a new build.
const SOURCES = ['src', 'build.mjs', 'package.json', '../../package-lock.json'];

/** Whether dist/ is missing or older than a source file (false without the sources). */
export async function widgetBuildIsStale(dir = WIDGET_DIR): Promise<boolean> {
  return buildIsStale(dir, SOURCES, 'manifest.json');
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
