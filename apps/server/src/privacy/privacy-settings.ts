import { randomBytes } from 'node:crypto';
import type { Db } from '../db/connect.ts';

/** A shop's retention periods; null keeps that data for good (the default). */
export interface RetentionSettings {
  rawEventsDays: number | null;
  messageBodiesDays: number | null;
  visitLogsDays: number | null;
  inactiveCustomerYears: number | null;
}

const NONE: RetentionSettings = {
  rawEventsDays: null,
  messageBodiesDays: null,
  visitLogsDays: null,
  inactiveCustomerYears: null,
};

export async function getRetention(db: Db, shopId: string): Promise<RetentionSettings> {
  const row = await db
    .selectFrom('privacy_settings')
    .select([
      'raw_events_days',
      'message_bodies_days',
      'visit_logs_days',
      'inactive_customer_years',
    ])
    .where('shop_id', '=', shopId)
    .executeTakeFirst();
  if (!row) return NONE;
  return {
    rawEventsDays: row.raw_events_days,
    messageBodiesDays: row.message_bodies_days,
    visitLogsDays: row.visit_logs_days,
    inactiveCustomerYears: row.inactive_customer_years,
  };
}

/** Sets the periods (all four; the salt is made here if the shop has none yet). */
export async function setRetention(
  db: Db,
  shopId: string,
  settings: RetentionSettings,
  now: Date,
): Promise<RetentionSettings> {
  const values = {
    raw_events_days: settings.rawEventsDays,
    message_bodies_days: settings.messageBodiesDays,
    visit_logs_days: settings.visitLogsDays,
    inactive_customer_years: settings.inactiveCustomerYears,
    updated_at: now,
  };
  await db
    .insertInto('privacy_settings')
    .values({ shop_id: shopId, suppression_salt: randomBytes(32), ...values })
    .onConflict((oc) => oc.column('shop_id').doUpdateSet(values))
    .execute();
  return getRetention(db, shopId);
}

/** The shops with any retention period set: the daily task's list. */
export async function shopsWithRetention(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('privacy_settings')
    .select('shop_id')
    .where((eb) =>
      eb.or([
        eb('raw_events_days', 'is not', null),
        eb('message_bodies_days', 'is not', null),
        eb('visit_logs_days', 'is not', null),
        eb('inactive_customer_years', 'is not', null),
      ]),
    )
    .execute();
  return rows.map((r) => r.shop_id);
}
