interface Waiting<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Group commit: items that arrive while a write is in flight are written together by the next
 * one, so many concurrent callers share one round trip (and one WAL flush), with no added wait
 * when only one caller is busy. `write` answers for each item, in order; if it throws, every
 * item of its batch gets the error.
 */
export function groupCommit<T, R>(
  write: (items: T[]) => Promise<R[]>,
  maxBatch = 500,
): (item: T) => Promise<R> {
  const queue: Array<Waiting<T, R>> = [];
  let busy = false;
  const flush = (): void => {
    if (busy || queue.length === 0) return;
    busy = true;
    const batch = queue.splice(0, maxBatch);
    Promise.resolve()
      .then(() => write(batch.map((w) => w.item)))
      .then(
        (results) => batch.forEach((w, i) => w.resolve(results[i]!)),
        (error: unknown) => batch.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        busy = false;
        flush();
      });
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      flush();
    });
}
