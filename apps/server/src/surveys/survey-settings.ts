import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';

export interface SurveySettings {
  /** How long after the first answer a customer can still change it. */
  answerChangeDays: number;
  /** How long survey and review links work after they are made. */
  linkValidDays: number;
  /** Whether a low score opens a follow-up task for staff. */
  followUpTasks: boolean;
}

export const defaultSurveySettings: SurveySettings = {
  answerChangeDays: 7,
  linkValidDays: 30,
  followUpTasks: true,
};

export async function loadSurveySettings(db: Db, shopId: string): Promise<SurveySettings> {
  const row = await db
    .selectFrom('survey_settings')
    .selectAll()
    .where('shop_id', '=', shopId)
    .executeTakeFirst();
  if (!row) return defaultSurveySettings;
  return {
    answerChangeDays: row.answer_change_days,
    linkValidDays: row.link_valid_days,
    followUpTasks: row.follow_up_tasks,
  };
}

/** Changes some settings; the rest keep their current values. */
export async function updateSurveySettings(
  db: Db,
  clock: Clock,
  input: { shopId: string } & Partial<SurveySettings>,
): Promise<SurveySettings> {
  const next = { ...(await loadSurveySettings(db, input.shopId)) };
  if (input.answerChangeDays !== undefined) next.answerChangeDays = input.answerChangeDays;
  if (input.linkValidDays !== undefined) next.linkValidDays = input.linkValidDays;
  if (input.followUpTasks !== undefined) next.followUpTasks = input.followUpTasks;
  const values = {
    answer_change_days: next.answerChangeDays,
    link_valid_days: next.linkValidDays,
    follow_up_tasks: next.followUpTasks,
    updated_at: clock.now(),
  };
  await db
    .insertInto('survey_settings')
    .values({ shop_id: input.shopId, ...values })
    .onConflict((oc) => oc.column('shop_id').doUpdateSet(values))
    .execute();
  return next;
}
