/** Whether a path matches a page pattern: `*` stands for any characters, the rest is literal. */
export function pathMatches(pattern: string, path: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i').test(path);
}

/**
 * Whether a pop-up may show on this path: not on an excluded page, and on an included one when
 * the pop-up names any. The query string is left out (a pattern names pages, not searches).
 */
export function pageAllowed(pages: { include: string[]; exclude: string[] }, path: string) {
  const pathname = path.split(/[?#]/, 1)[0]!;
  if (pages.exclude.some((p) => pathMatches(p, pathname))) return false;
  return pages.include.length === 0 || pages.include.some((p) => pathMatches(p, pathname));
}
