import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { idMaker } from '../shared/ids.ts';
import { hashToken, newToken } from '../shared/secrets.ts';

export const SESSION_COOKIE = 'lojal_session';
const SESSION_PREFIX = 'lojal_ses_';

/** How long a session lives: since it was last used, and at most since it began. */
export interface SessionLifetime {
  idleMs: number;
  absoluteMs: number;
}

export interface SignedInUser {
  sessionId: string;
  userId: string;
  email: string;
  name: string;
}

// A session is touched at most once a minute: every request of a dashboard page would
// otherwise write a row.
const TOUCH_AFTER_MS = 60_000;

/**
 * A new session for a user who just proved who they are. Always a new random token, never one
 * the browser brought along, so a session planted before sign-in is not the one after it.
 */
export async function startSession(
  db: Db,
  clock: Clock,
  userId: string,
  lifetime: SessionLifetime,
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const now = clock.now();
  const token = newToken(SESSION_PREFIX);
  const id = idMaker(() => now.getTime())('ses');
  const expiresAt = new Date(now.getTime() + lifetime.absoluteMs);
  await db
    .insertInto('user_sessions')
    .values({
      id,
      user_id: userId,
      token_hash: hashToken(token),
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
    })
    .execute();
  return { id, token, expiresAt };
}

/** The user behind a session cookie, or null when it is unknown, ended, idle too long or old. */
export async function userForSession(
  db: Db,
  clock: Clock,
  token: string,
  lifetime: SessionLifetime,
): Promise<SignedInUser | null> {
  if (!token.startsWith(SESSION_PREFIX)) return null;
  const now = clock.now();
  const row = await db
    .selectFrom('user_sessions')
    .innerJoin('users', 'users.id', 'user_sessions.user_id')
    .select([
      'user_sessions.id',
      'user_sessions.last_seen_at',
      'user_sessions.expires_at',
      'users.id as user_id',
      'users.email',
      'users.name',
    ])
    .where('user_sessions.token_hash', '=', hashToken(token))
    .where('user_sessions.ended_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  const idleUntil = row.last_seen_at.getTime() + lifetime.idleMs;
  if (now.getTime() >= row.expires_at.getTime() || now.getTime() >= idleUntil) return null;
  if (now.getTime() - row.last_seen_at.getTime() > TOUCH_AFTER_MS) {
    await db
      .updateTable('user_sessions')
      .set({ last_seen_at: now })
      .where('id', '=', row.id)
      .execute();
  }
  return { sessionId: row.id, userId: row.user_id, email: row.email, name: row.name };
}

/** Ends every session of the user: "log out everywhere", and after a password change. */
export async function endUserSessions(db: Db, clock: Clock, userId: string): Promise<number> {
  const result = await db
    .updateTable('user_sessions')
    .set({ ended_at: clock.now() })
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Ends the one session this token opened, if any (a browser signing in again). */
export async function endSession(db: Db, clock: Clock, token: string): Promise<void> {
  await db
    .updateTable('user_sessions')
    .set({ ended_at: clock.now() })
    .where('token_hash', '=', hashToken(token))
    .where('ended_at', 'is', null)
    .execute();
}
