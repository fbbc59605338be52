import type { Db } from '../db/connect.ts';
import { listMembers } from '../accounts/team.ts';
import type { ShopRow } from '../shops/shop.ts';
import { liveProgramme } from './live-programme.ts';
import { programmeSchema } from './programme.ts';

export interface PublishedBy {
  type: 'user' | 'api_key' | 'system';
  id: string | null;
  /** The member's name while they are in the team; null for keys and former members. */
  name: string | null;
}

/**
 * The published versions of the shop's programme, newest first, each with its rules,
 * campaigns and settings and who published it when: what the dashboard compares to show what
 * changed. The draft is not among them.
 */
export async function listProgrammeVersions(db: Db, shop: ShopRow) {
  await liveProgramme(db, shop.id); // a shop without a version gets the default, as on every read
  const rows = await db
    .selectFrom('programme_versions')
    .select(['version', 'programme', 'published_at', 'published_by'])
    .where('shop_id', '=', shop.id)
    .where('published_at', 'is not', null)
    .orderBy('version', 'desc')
    .execute();
  const names = new Map((await listMembers(db, shop.id)).map((m) => [m.userId, m.name]));
  return {
    data: rows.map((row) => ({
      version: row.version,
      publishedAt: row.published_at!.toISOString(),
      publishedBy: publisher(row.published_by, names),
      ...programmeSchema.parse(row.programme),
    })),
  };
}

/** `published_by` is `user:<id>`, `api_key:<id>`, `api_key` or `default` (the first version). */
function publisher(value: string | null, names: Map<string, string>): PublishedBy {
  const [kind, id = null] = (value ?? '').split(/:(.*)/s, 2) as [string, string | undefined];
  if (kind === 'user') return { type: 'user', id, name: (id && names.get(id)) ?? null };
  if (kind === 'api_key') return { type: 'api_key', id: id || null, name: null };
  return { type: 'system', id: null, name: null };
}
