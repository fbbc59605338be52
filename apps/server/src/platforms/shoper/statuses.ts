import { idString } from '../../shared/json.ts';
import { classifyShoperStatus, type ShoperStatusMap } from '../../ingest/shoper.ts';
import type { ShoperSession, ShoperSettings } from './webapi.ts';

/**
 * The shop's status ids by meaning. Every shop defines its own statuses (ids differ from shop to
 * shop); each has a type: 1 new, 2 opened, 3 closed, 4 not completed. By default closed statuses
 * count as paid (the order was completed), and not-completed ones as cancelled, or as refunded
 * when their name says returned/refunded ("zwrócone"). The merchant's own map in the settings wins.
 */
export async function statusMap(
  session: ShoperSession,
  settings: ShoperSettings,
): Promise<ShoperStatusMap> {
  if (settings.statuses) return settings.statuses;
  const map: ShoperStatusMap = { paid: [], cancelled: [], refunded: [] };
  for (let page = 1; ; page++) {
    const answer = await session.list('statuses', { page, purpose: 'read order statuses' });
    for (const row of answer.list) {
      const id = idString(row.status_id);
      if (!id) continue;
      const names = Object.values((row.translations ?? {}) as Record<string, unknown>)
        .map((t) => (t as { name?: unknown } | null)?.name)
        .filter((n): n is string => typeof n === 'string');
      const meaning = classifyShoperStatus(idString(row.type), names);
      if (meaning) map[meaning].push(id);
    }
    if (page >= answer.pages || answer.list.length === 0) return map;
  }
}
