/**
 * Who the visitor is, without a cookie: a random id in localStorage (the variant they see, the
 * frequency caps), and whether they are new (no id before this browser session) or returning.
 * Where storage is blocked, an id for this page only.
 */
const VISITOR = 'lojal:visitor';
const KIND = 'lojal:visitor-kind';

function randomId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function storage(kind: 'local' | 'session'): Storage | null {
  try {
    const s = kind === 'local' ? window.localStorage : window.sessionStorage;
    s.getItem(VISITOR);
    return s;
  } catch {
    return null;
  }
}

export function visitor(): { id: string; kind: 'new' | 'returning' } {
  const local = storage('local');
  const session = storage('session');
  let id = local?.getItem(VISITOR) ?? null;
  let kind = session?.getItem(KIND) as 'new' | 'returning' | null;
  if (kind !== 'new' && kind !== 'returning') {
    kind = id ? 'returning' : 'new';
    session?.setItem(KIND, kind);
  }
  if (!id) {
    id = randomId();
    local?.setItem(VISITOR, id);
  }
  return { id, kind };
}

interface Seen {
  /** When it was last shown (ms), and in which browser session. */
  at: number;
  session: string;
  signedUp?: boolean;
}

function sessionId(): string {
  const s = storage('session');
  let id = s?.getItem('lojal:session') ?? null;
  if (!id) {
    id = randomId();
    s?.setItem('lojal:session', id);
  }
  return id;
}

const seenKey = (popupId: string) => `lojal:popup:${popupId}`;

function readSeen(popupId: string): Seen | null {
  try {
    return JSON.parse(storage('local')?.getItem(seenKey(popupId)) ?? 'null') as Seen | null;
  } catch {
    return null;
  }
}

/**
 * The frequency caps: at most `perSession` times in a browser session, and in another session
 * only once `everyDays` have passed since it was last shown; never again after a sign-up.
 */
export function mayShow(
  popupId: string,
  frequency: { everyDays: number; perSession: number },
  now: number,
): boolean {
  const seen = readSeen(popupId);
  if (seen?.signedUp) return false;
  const count = Number(storage('session')?.getItem(`${seenKey(popupId)}:count`) ?? '0');
  if (count >= frequency.perSession) return false;
  if (seen && seen.session !== sessionId() && now - seen.at < frequency.everyDays * 86_400_000) {
    return false;
  }
  return true;
}

export function markShown(popupId: string, now: number): void {
  const session = storage('session');
  const key = `${seenKey(popupId)}:count`;
  session?.setItem(key, String(Number(session.getItem(key) ?? '0') + 1));
  const previous = readSeen(popupId);
  storage('local')?.setItem(
    seenKey(popupId),
    JSON.stringify({ ...previous, at: now, session: sessionId() }),
  );
}

export function markSignedUp(popupId: string, now: number): void {
  storage('local')?.setItem(
    seenKey(popupId),
    JSON.stringify({ at: now, session: sessionId(), signedUp: true }),
  );
}
