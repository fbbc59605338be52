import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { isDatabaseUnavailable, retryWhileUnavailable } from '../db/unavailable.ts';
import type { Clock } from '../shared/clock.ts';
import { groupCommit } from '../shared/group-commit.ts';

/** A message as its claim holds it: only the claim that took it may write its status. */
export interface ClaimRef {
  shop_id: string;
  id: string;
  claim_token: string;
}

/** What the channel answered for a message it took. */
export interface SentOutcome {
  message: ClaimRef;
  sentAt: Date;
  providerId: string;
  segments: number | null;
  subject: string | null;
  bodyText: string;
}

// A restart of PostgreSQL takes seconds; a busy one's shutdown checkpoint, more.
const SETTLE_PATIENCE_MS = 60_000;

/**
 * The two writes every send makes, shared by the round's concurrent senders (group commit):
 * the `sending` mark just before the hand-over and the `sent` outcome just after. Each sender
 * still waits for its own write, so a message is in doubt only from its mark to its outcome's
 * commit, and at most one per sender is.
 */
export function deliveryWrites(db: Db, clock: Clock) {
  return {
    /** Whether the message is still this claim's, now marked `sending`. */
    markSending: groupCommit((messages: ClaimRef[]) => markSending(db, clock.now(), messages)),
    /** The outcome of a message the channel took; an error if it could not be recorded. */
    recordSent: groupCommit((outcomes: SentOutcome[]) => recordSent(db, outcomes)),
  };
}

/**
 * Marks claimed messages `sending`; answers, for each, whether it was still held by its claim (a
 * claim older than the lease may have been taken back by another worker).
 */
export async function markSending(db: Db, now: Date, messages: ClaimRef[]): Promise<boolean[]> {
  const { rows } = await sql<{ shop_id: string; id: string }>`
    UPDATE messages m SET status = 'sending', claimed_at = ${now}
    FROM unnest(${messages.map((m) => m.shop_id)}::text[], ${messages.map((m) => m.id)}::text[],
                ${messages.map((m) => m.claim_token)}::text[]) AS u(shop_id, id, claim_token)
    WHERE m.shop_id = u.shop_id AND m.id = u.id AND m.claim_token = u.claim_token
      AND m.status = 'claimed'
    RETURNING m.shop_id, m.id`.execute(db);
  const mine = new Set(rows.map((r) => `${r.shop_id} ${r.id}`));
  return messages.map((m) => mine.has(`${m.shop_id} ${m.id}`));
}

/**
 * Records sent messages in one statement, retried while the database is unavailable (a restart,
 * a failover; up to a minute) so that a message the channel took is recorded as sent. If the
 * database refuses the statement itself, each outcome is written alone, so one it cannot take
 * leaves no other in doubt. Answers, for each, the error that kept it from being recorded.
 */
export async function recordSent(db: Db, outcomes: SentOutcome[]): Promise<Array<Error | null>> {
  try {
    await retryWhileUnavailable(() => writeSent(db, outcomes), noop, {
      giveUpAfterMs: SETTLE_PATIENCE_MS,
    });
    return outcomes.map(() => null);
  } catch (error) {
    // Still unavailable after a minute: writing them one by one would wait a minute each.
    if (outcomes.length === 1 || isDatabaseUnavailable(error))
      return outcomes.map(() => asError(error));
  }
  const errors: Array<Error | null> = [];
  for (const outcome of outcomes) errors.push(...(await recordSent(db, [outcome])));
  return errors;
}

async function writeSent(db: Db, outcomes: SentOutcome[]): Promise<void> {
  const column = <T>(pick: (o: SentOutcome) => T) => outcomes.map(pick);
  await sql`
    UPDATE messages m SET status = 'sent', sent_at = u.sent_at, provider_id = u.provider_id,
      segments = u.segments, subject = u.subject, body_text = u.body_text, status_reason = NULL
    FROM unnest(${column((o) => o.message.shop_id)}::text[], ${column((o) => o.message.id)}::text[],
                ${column((o) => o.message.claim_token)}::text[], ${column((o) => o.sentAt)}::timestamptz[],
                ${column((o) => o.providerId)}::text[], ${column((o) => o.segments)}::integer[],
                ${column((o) => o.subject)}::text[], ${column((o) => o.bodyText)}::text[])
      AS u(shop_id, id, claim_token, sent_at, provider_id, segments, subject, body_text)
    WHERE m.shop_id = u.shop_id AND m.id = u.id AND m.claim_token = u.claim_token`.execute(db);
}

function noop(): void {}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
