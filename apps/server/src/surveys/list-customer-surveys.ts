import type { Db } from '../db/connect.ts';
import { findCustomerId } from '../customers/find-customer-id.ts';
import { categoryOf } from './survey-scale.ts';

/** A customer's surveys, newest first: what was asked, and the answer if there is one. */
export async function listCustomerSurveys(
  db: Db,
  input: { shopId: string; customerId: string; limit: number },
) {
  const customerId = await findCustomerId(db, input.shopId, input.customerId);
  const rows = await db
    .selectFrom('survey_requests as r')
    .leftJoin('survey_answers as a', (j) =>
      j.onRef('a.shop_id', '=', 'r.shop_id').onRef('a.request_id', '=', 'r.id'),
    )
    .select([
      'r.id',
      'r.kind',
      'r.created_at',
      'r.expires_at',
      'r.message_id',
      'a.score',
      'a.comment',
      'a.task_id',
      'a.changes',
      'a.first_answered_at',
      'a.answered_at',
      'a.changeable_until',
    ])
    .where('r.shop_id', '=', input.shopId)
    .where('r.customer_id', '=', customerId)
    .orderBy('r.id', 'desc')
    .limit(input.limit)
    .execute();
  return rows.map((r) => ({
    requestId: r.id,
    kind: r.kind,
    sentAt: r.created_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    messageId: r.message_id,
    answer:
      r.score === null
        ? null
        : {
            score: r.score,
            category: categoryOf(r.kind, r.score),
            comment: r.comment,
            taskId: r.task_id,
            changes: r.changes ?? 0,
            firstAnsweredAt: r.first_answered_at!.toISOString(),
            answeredAt: r.answered_at!.toISOString(),
            changeableUntil: r.changeable_until!.toISOString(),
          },
  }));
}
