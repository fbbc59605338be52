import type { ChunkContext, ChunkFactory } from '../shared/context.ts';

/**
 * Chunk files by name (`{ panel: 'panel-3f2a….js' }`): put into widget.js by build.mjs from the
 * chunks it built, so the loader asks for exactly the files of its own build.
 */
declare const __LOJAL_CHUNKS__: Record<string, string>;
export const CHUNK_FILES: Record<string, string> = __LOJAL_CHUNKS__;

interface Pending {
  promise: Promise<unknown>;
  resolve(api: unknown): void;
  reject(error: unknown): void;
}

/**
 * `define` and `load`: a chunk's script calls define(name, factory) when it runs; load(name)
 * adds the script once and resolves with what the factory returns.
 */
export function chunkRegistry(getContext: () => ChunkContext) {
  const chunks = new Map<string, Pending>();

  function entry(name: string): Pending {
    let found = chunks.get(name);
    if (!found) {
      let resolve!: (api: unknown) => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<unknown>((yes, no) => {
        resolve = yes;
        reject = no;
      });
      found = { promise, resolve, reject };
      chunks.set(name, found);
    }
    return found;
  }

  const requested = new Set<string>();

  return {
    define(name: string, factory: ChunkFactory) {
      const pending = entry(name);
      try {
        Promise.resolve(factory(getContext())).then(pending.resolve, pending.reject);
      } catch (error) {
        pending.reject(error);
      }
    },
    load<T>(name: string): Promise<T> {
      const pending = entry(name);
      if (!requested.has(name)) {
        requested.add(name);
        const file = CHUNK_FILES[name];
        if (!file) {
          pending.reject(new Error(`Lojal: no chunk named ${name}`));
        } else {
          const script = document.createElement('script');
          script.src = `${getContext().api}/widget/${file}`;
          script.async = true;
          script.onerror = () => {
            // A later call may try again (a network blip).
            requested.delete(name);
            chunks.delete(name);
            pending.reject(new Error(`Lojal: ${file} could not be loaded`));
          };
          document.head.appendChild(script);
        }
      }
      return pending.promise as Promise<T>;
    },
  };
}
