import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

async function newestChange(entry: string): Promise<number> {
  const info = await stat(entry).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const children = await readdir(entry);
  const times = await Promise.all(children.map((c) => newestChange(path.join(entry, c))));
  return Math.max(info.mtimeMs, ...times);
}

/**
 * Whether an app's build (`dist/<marker>`, written last) is missing or older than any of its
 * sources (paths relative to the app); false for a checkout without the app's sources.
 */
export async function buildIsStale(dir: string, sources: string[], marker: string) {
  if (!existsSync(path.join(dir, 'src'))) return false;
  const built = await stat(path.join(dir, 'dist', marker)).catch(() => null);
  if (!built) return true;
  const times = await Promise.all(sources.map((s) => newestChange(path.join(dir, s))));
  return Math.max(...times) > built.mtimeMs;
}
