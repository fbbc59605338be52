import type { Db } from '../db/connect.ts';
import type { SurveyKind } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { isLocale, type Locale } from '../shared/i18n.ts';
import { DAY_MS } from '../db/shop-days.ts';
import { recordTrigger } from '../events/record-trigger.ts';
import { categoryOf, isScore } from './survey-scale.ts';
import { loadSurveySettings } from './survey-settings.ts';
import { syncFollowUpTask } from './follow-up-task.ts';

export const COMMENT_MAX = 2000;

export interface SurveyState {
  shop: { id: string; name: string; timezone: string };
  requestId: string;
  kind: SurveyKind;
  /** The customer's language, chosen when the survey was sent. */
  locale: Locale;
  expiresAt: Date;
  answer: {
    score: number;
    comment: string | null;
    changeableUntil: Date;
  } | null;
}

export type SurveyOutcome =
  | { status: 'not_found' }
  | {
      /** recorded: first answer; changed: a new score or comment; unchanged: the same again;
       *  locked: a change asked for after changeableUntil, refused. */
      status: 'recorded' | 'changed' | 'unchanged' | 'locked';
      state: SurveyState;
    };

/**
 * Records a customer's score (and comment) from a signed link. The first answer opens a window
 * in which clicking another score or sending the form again changes it; after it the answer
 * stands. Repeating the same answer changes nothing, so link scanners and double clicks are
 * harmless, and a later real click still wins while the window is open.
 */
export async function answerSurvey(
  db: Db,
  clock: Clock,
  input: {
    shopId: string;
    requestId: string;
    score: number;
    comment?: string;
    /** A comment sent from a page opened earlier keeps the score chosen since. */
    keepScore?: boolean;
  },
): Promise<SurveyOutcome> {
  const now = clock.now();
  return db.transaction().execute(async (tx) => {
    // The lock makes two clicks at once take turns: one inserts, the other sees its answer.
    const request = await tx
      .selectFrom('survey_requests')
      .selectAll()
      .where('shop_id', '=', input.shopId)
      .where('id', '=', input.requestId)
      .forUpdate()
      .executeTakeFirst();
    if (!request || request.expires_at < now || !isScore(request.kind, input.score)) {
      return { status: 'not_found' as const };
    }
    const shop = await tx
      .selectFrom('shops')
      .select(['id', 'name', 'timezone', 'locale'])
      .where('id', '=', input.shopId)
      .executeTakeFirstOrThrow();
    const settings = await loadSurveySettings(tx, input.shopId);
    const before = await tx
      .selectFrom('survey_answers')
      .selectAll()
      .where('shop_id', '=', input.shopId)
      .where('request_id', '=', input.requestId)
      .executeTakeFirst();

    const comment = input.comment === undefined ? undefined : input.comment.trim() || null;
    const score = input.keepScore && before ? before.score : input.score;
    const scoreChanged = before?.score !== score;
    const commentChanged = comment !== undefined && comment !== (before?.comment ?? null);
    const state = (answer: SurveyState['answer']): SurveyState => ({
      shop: { id: shop.id, name: shop.name, timezone: shop.timezone },
      requestId: request.id,
      kind: request.kind,
      locale: isLocale(request.locale) ? request.locale : 'pl',
      expiresAt: request.expires_at,
      answer,
    });
    const current = before && {
      score: before.score,
      comment: before.comment,
      changeableUntil: before.changeable_until,
    };

    if (before && !scoreChanged && !commentChanged) {
      return { status: 'unchanged' as const, state: state(current!) };
    }
    if (before && now > before.changeable_until) {
      return { status: 'locked' as const, state: state(current!) };
    }

    const answer = {
      score,
      comment: comment !== undefined ? comment : (before?.comment ?? null),
      changeableUntil:
        before?.changeable_until ?? new Date(now.getTime() + settings.answerChangeDays * DAY_MS),
    };
    const taskId = await syncFollowUpTask(
      tx,
      now,
      {
        shopId: input.shopId,
        requestId: request.id,
        customerId: request.customer_id,
        kind: request.kind,
        score: answer.score,
        comment: answer.comment,
        taskId: before?.task_id ?? null,
      },
      { shopLocale: isLocale(shop.locale) ? shop.locale : 'pl', enabled: settings.followUpTasks },
    );
    if (before) {
      await tx
        .updateTable('survey_answers')
        .set((eb) => ({
          score: answer.score,
          comment: answer.comment,
          task_id: taskId,
          answered_at: now,
          changes: scoreChanged ? eb('changes', '+', 1) : eb.ref('changes'),
        }))
        .where('shop_id', '=', input.shopId)
        .where('request_id', '=', request.id)
        .execute();
    } else {
      await tx
        .insertInto('survey_answers')
        .values({
          shop_id: input.shopId,
          request_id: request.id,
          customer_id: request.customer_id,
          kind: request.kind,
          score: answer.score,
          comment: answer.comment,
          task_id: taskId,
          first_answered_at: now,
          answered_at: now,
          changeable_until: answer.changeableUntil,
        })
        .execute();
    }
    if (scoreChanged) {
      await recordTrigger(tx, {
        shopId: input.shopId,
        customerId: request.customer_id,
        type: 'survey.answered',
        data: {
          requestId: request.id,
          kind: request.kind,
          score: answer.score,
          category: categoryOf(request.kind, answer.score),
          changed: before !== undefined,
          ...(before && { previousScore: before.score }),
          ...(request.run_id && { runId: request.run_id }),
        },
        at: now,
      });
    }
    return { status: before ? ('changed' as const) : ('recorded' as const), state: state(answer) };
  });
}

/** What the page shows without recording anything (a HEAD request). */
export async function findSurveyState(
  db: Db,
  clock: Clock,
  input: { shopId: string; requestId: string },
): Promise<SurveyState | null> {
  const row = await db
    .selectFrom('survey_requests as r')
    .innerJoin('shops as s', 's.id', 'r.shop_id')
    .leftJoin('survey_answers as a', (j) =>
      j.onRef('a.shop_id', '=', 'r.shop_id').onRef('a.request_id', '=', 'r.id'),
    )
    .select([
      'r.id',
      'r.kind',
      'r.locale',
      'r.expires_at',
      's.name',
      's.timezone',
      'a.score',
      'a.comment',
      'a.changeable_until',
    ])
    .where('r.shop_id', '=', input.shopId)
    .where('r.id', '=', input.requestId)
    .executeTakeFirst();
  if (!row || row.expires_at < clock.now()) return null;
  return {
    shop: { id: input.shopId, name: row.name, timezone: row.timezone },
    requestId: row.id,
    kind: row.kind,
    locale: isLocale(row.locale) ? row.locale : 'pl',
    expiresAt: row.expires_at,
    answer:
      row.score === null || row.changeable_until === null
        ? null
        : { score: row.score, comment: row.comment, changeableUntil: row.changeable_until },
  };
}
