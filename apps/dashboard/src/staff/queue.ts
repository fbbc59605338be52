import { Refused, request, type Problem } from './api.ts';

/**
 * Actions taken at the counter, kept on the device (IndexedDB) until the server has answered:
 * each gets its own Idempotency-Key when it is taken and keeps it through every resend, so an
 * action is never applied twice (the server answers a resend with the first answer) and never
 * lost (it stays until answered). A refusal is kept with the server's reason until dismissed.
 */
export type ActionKind = 'stamp' | 'purchase' | 'redeem' | 'useReward' | 'signUp' | 'giftCard';

export interface QueuedAction {
  key: string; // the Idempotency-Key, made when the action was taken
  kind: ActionKind;
  path: string;
  body: unknown;
  /** Words for the list: who or what, as the screen said it. */
  label: { who?: string; amount?: string; reward?: string };
  takenAt: string;
  status: 'pending' | 'failed';
  problem?: Problem;
}

export type Outcome =
  { state: 'done'; result: unknown } | { state: 'refused'; problem: Problem } | { state: 'queued' };

const DB = 'lojal-staff';
const STORE = 'actions';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'key' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>) {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export const listActions = () =>
  run('readonly', (s) => s.getAll() as IDBRequest<QueuedAction[]>).then((all) =>
    all.sort((a, b) => a.takenAt.localeCompare(b.takenAt)),
  );
const putAction = (action: QueuedAction) => run('readwrite', (s) => s.put(action));
export const removeAction = (key: string) => run('readwrite', (s) => s.delete(key));

const listeners = new Set<() => void>();
/** Calls `listener` whenever the queue changes; returns the unsubscribe. */
export function onQueueChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
const changed = () => listeners.forEach((l) => l());

const newKey = () =>
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
        b.toString(16).padStart(2, '0'),
      ).join('');

/** A fresh id for the body (a purchase's or sign-up's reference), made when the action is taken. */
export const newReference = newKey;

type Sent = Outcome | { state: 'retry' };

async function send(action: QueuedAction): Promise<Sent> {
  try {
    const result = await request('POST', action.path, {
      body: action.body,
      idempotencyKey: action.key,
    });
    await removeAction(action.key);
    return { state: 'done', result };
  } catch (error) {
    if (!(error instanceof Refused)) return { state: 'retry' }; // the network: try again later
    const { problem } = error;
    if (problem.status === 401) return { state: 'retry' }; // revoked: kept, the app says so
    // The same key still in progress, throttled, or the server's own trouble: try again later.
    if (problem.type === '/problems/conflict' || problem.status === 429 || problem.status >= 500) {
      return { state: 'retry' };
    }
    return { state: 'refused', problem };
  }
}

let flushing: Promise<void> | null = null;

/** Sends every pending action, oldest first, one at a time; stops at the first network failure. */
export function flush(): Promise<void> {
  flushing ??= (async () => {
    try {
      for (const action of await listActions()) {
        if (action.status !== 'pending') continue;
        const sent = await send(action);
        if (sent.state === 'retry') break;
        if (sent.state === 'refused') {
          await putAction({ ...action, status: 'failed', problem: sent.problem });
        }
        changed();
      }
    } finally {
      flushing = null;
      changed();
    }
  })();
  return flushing;
}

/**
 * Takes an action: kept on the device first, then sent at once. Online, the answer comes back
 * (a refusal is shown on the spot and not kept); offline, it waits in the queue.
 */
export async function take(
  kind: ActionKind,
  path: string,
  body: unknown,
  label: QueuedAction['label'] = {},
): Promise<Outcome> {
  const action: QueuedAction = {
    key: newKey(),
    kind,
    path,
    body,
    label,
    takenAt: new Date().toISOString(),
    status: 'pending',
  };
  await putAction(action);
  changed();
  await flushing; // the queue goes first, in the order actions were taken
  const sent = await send(action);
  changed();
  if (sent.state === 'retry') return { state: 'queued' };
  if (sent.state === 'refused') await removeAction(action.key);
  changed();
  return sent;
}
