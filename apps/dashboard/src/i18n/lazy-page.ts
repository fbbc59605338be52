import { lazyRouteComponent as lazyRoute } from '@tanstack/react-router';
import { loadAreaMessages } from './area-store.ts';

/**
 * A page loaded when first opened (its own chunk), together with the pages' texts: TanStack
 * Router's `lazyRouteComponent`, waiting for `loadAreaMessages()` as well.
 */
export function lazyRouteComponent<
  T extends Record<string, unknown>,
  TKey extends keyof T = 'default',
>(importer: () => Promise<T>, exportName?: TKey) {
  return lazyRoute<T, TKey>(
    () => Promise.all([importer(), loadAreaMessages()]).then(([page]) => page),
    exportName,
  );
}
