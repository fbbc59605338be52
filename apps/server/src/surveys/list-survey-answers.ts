import type { Db } from '../db/connect.ts';
import type { SurveyKind } from '../db/schema.ts';
import { startOfDay } from '../db/shop-days.ts';
import { categoryOf, SCALES } from './survey-scale.ts';

export interface SurveyAnswerFilters {
  kind: SurveyKind;
  from?: string;
  to?: string;
  /** Only low scores (detractors, dissatisfied): those that open a follow-up task. */
  low?: boolean;
  withComment?: boolean;
  limit: number;
}

/**
 * The shop's latest answers, newest first, with their comments and follow-up tasks: what
 * customers said behind the NPS and CSAT figures. `from`/`to` are days of the latest answer
 * in the shop's time zone (`to` exclusive).
 */
export async function listSurveyAnswers(
  db: Db,
  shop: { id: string; timezone: string },
  filters: SurveyAnswerFilters,
) {
  let query = db
    .selectFrom('survey_answers as a')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.shop_id', '=', 'a.shop_id').onRef('c.id', '=', 'a.customer_id'),
    )
    .select([
      'a.request_id',
      'a.kind',
      'a.score',
      'a.comment',
      'a.task_id',
      'a.answered_at',
      'c.external_id',
      'c.email',
      'c.first_name',
      'c.last_name',
    ])
    .where('a.shop_id', '=', shop.id)
    .where('a.kind', '=', filters.kind);
  if (filters.from)
    query = query.where('a.answered_at', '>=', startOfDay(filters.from, shop.timezone));
  if (filters.to) query = query.where('a.answered_at', '<', startOfDay(filters.to, shop.timezone));
  if (filters.low)
    query = query.where('a.score', '<=', filters.kind === 'nps' ? 6 : SCALES.csat.min + 1);
  if (filters.withComment)
    query = query.where('a.comment', 'is not', null).where('a.comment', '<>', '');
  const rows = await query
    .orderBy('a.answered_at', 'desc')
    .orderBy('a.request_id', 'desc')
    .limit(filters.limit)
    .execute();
  return rows.map((r) => ({
    requestId: r.request_id,
    customerId: r.external_id,
    customer: {
      email: r.email,
      name: [r.first_name, r.last_name].filter(Boolean).join(' ') || null,
    },
    kind: r.kind,
    score: r.score,
    category: categoryOf(r.kind, r.score),
    comment: r.comment,
    taskId: r.task_id,
    answeredAt: r.answered_at.toISOString(),
  }));
}
