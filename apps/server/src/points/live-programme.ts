import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Tx } from '../db/connect.ts';
import { defaultProgramme, programmeSchema, type Programme } from './programme.ts';

export interface ProgrammeVersion {
  version: number;
  programme: Programme;
  publishedAt: Date | null;
}

/**
 * The programme in force: the newest published version. A shop that has none yet (created
 * before points existed) gets API.md's default as version 1, written once.
 */
export async function liveProgramme(db: Db | Tx, shopId: string): Promise<ProgrammeVersion> {
  const row = await db
    .selectFrom('programme_versions')
    .select(['version', 'programme', 'published_at'])
    .where('shop_id', '=', shopId)
    .where('published_at', 'is not', null)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (row) {
    return {
      version: row.version,
      programme: programmeSchema.parse(row.programme),
      publishedAt: row.published_at,
    };
  }
  await sql`
    INSERT INTO programme_versions (shop_id, version, programme, published_at, published_by)
    VALUES (${shopId}, 1, ${JSON.stringify(defaultProgramme())}, now(), 'default')
    ON CONFLICT DO NOTHING`.execute(db);
  return liveProgramme(db, shopId);
}
