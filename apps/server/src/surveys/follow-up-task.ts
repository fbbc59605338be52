import type { Db } from '../db/connect.ts';
import type { SurveyKind } from '../db/schema.ts';
import type { Locale } from '../shared/i18n.ts';
import { DAY_MS } from '../db/shop-days.ts';
import { newId } from '../shared/ids.ts';
import { SCALES, needsFollowUp } from './survey-scale.ts';

const SURVEY_ACTOR = 'survey';
const COMMENT_IN_TITLE = 120;

export interface AnsweredSurvey {
  shopId: string;
  requestId: string;
  customerId: string;
  kind: SurveyKind;
  score: number;
  comment: string | null;
  taskId: string | null;
}

/**
 * Keeps one follow-up task per answer in step with its score: a low score opens it (or reopens
 * the one this answer's earlier change cancelled), a new low score or comment retitles it, a
 * good score cancels it while it is still open. A task staff closed stays closed.
 * Returns the answer's task id.
 */
export async function syncFollowUpTask(
  tx: Db,
  now: Date,
  answer: AnsweredSurvey,
  options: { shopLocale: Locale; enabled: boolean },
): Promise<string | null> {
  const title = followUpTitle(options.shopLocale, answer.kind, answer.score, answer.comment);
  const task = answer.taskId
    ? await tx
        .selectFrom('customer_tasks')
        .select(['id', 'status', 'closed_by'])
        .where('shop_id', '=', answer.shopId)
        .where('id', '=', answer.taskId)
        .executeTakeFirst()
    : undefined;

  if (!needsFollowUp(answer.kind, answer.score)) {
    if (task?.status === 'open') {
      await tx
        .updateTable('customer_tasks')
        .set({ status: 'cancelled', closed_at: now, closed_by: SURVEY_ACTOR })
        .where('shop_id', '=', answer.shopId)
        .where('id', '=', task.id)
        .execute();
    }
    return answer.taskId;
  }

  if (!task) {
    if (!options.enabled) return null;
    const id = newId('tsk');
    await tx
      .insertInto('customer_tasks')
      .values({
        shop_id: answer.shopId,
        id,
        customer_id: answer.customerId,
        title,
        due_at: new Date(now.getTime() + DAY_MS),
        source: `survey:${answer.requestId}`,
        created_by: SURVEY_ACTOR,
        created_at: now,
      })
      .execute();
    return id;
  }
  const reopen = task.status === 'cancelled' && task.closed_by === SURVEY_ACTOR;
  if (task.status === 'open' || reopen) {
    await tx
      .updateTable('customer_tasks')
      .set({ title, status: 'open', closed_at: null, closed_by: null })
      .where('shop_id', '=', answer.shopId)
      .where('id', '=', task.id)
      .execute();
  }
  return task.id;
}

/** "Oddzwoń: klient ocenił nas na 3/10 — „Paczka przyszła zgnieciona”" */
export function followUpTitle(
  locale: Locale,
  kind: SurveyKind,
  score: number,
  comment: string | null,
): string {
  const rating = `${score}/${SCALES[kind].max}`;
  const said = comment ? shorten(comment.replace(/\s+/g, ' ').trim(), COMMENT_IN_TITLE) : '';
  if (locale === 'pl') {
    return `Oddzwoń: klient ocenił nas na ${rating}${said ? ` — „${said}”` : ''}`;
  }
  return `Call back: the customer rated us ${rating}${said ? ` — “${said}”` : ''}`;
}

function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
