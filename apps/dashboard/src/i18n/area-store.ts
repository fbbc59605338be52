import { useSyncExternalStore } from 'react';
import { merge, type Locale } from './messages.ts';

type Texts = Record<Locale, Record<string, string>>;

let texts: Texts | undefined;
let loading: Promise<void> | undefined;
const listeners = new Set<() => void>();

/**
 * Loads the pages' texts (`area-messages.ts`, a chunk of its own) once; a failed load (the
 * network) is tried again on the next call. Every page's route waits for it, so a page never
 * shows an id in place of its words.
 */
export function loadAreaMessages(): Promise<void> {
  loading ??= import('./area-messages.ts').then(
    ({ AREAS }) => {
      texts = merge(AREAS);
      for (const listener of listeners) listener();
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The pages' texts once loaded, else undefined. */
export function useAreaMessages(): Texts | undefined {
  return useSyncExternalStore(subscribe, () => texts);
}
