import type { IntlShape } from 'react-intl';
import type { Segment } from './segments-data.ts';

/**
 * A segment's name and description in the interface's language: the API names built-in
 * segments in the shop's language, so the dashboard words them itself (VIP with its threshold
 * in the shop's currency, read from its rule).
 */
export function segmentText(
  intl: IntlShape,
  segment: Pick<Segment, 'id' | 'name' | 'description' | 'builtIn' | 'rules'>,
  money: (minor: number) => string,
): { name: string; description: string | null } {
  const id = `segments.builtin.${segment.id}`;
  if (!segment.builtIn || !intl.messages[id]) {
    return { name: segment.name, description: segment.description };
  }
  const rule = segment.rules as { value?: unknown };
  const amount = typeof rule.value === 'number' ? money(rule.value) : '';
  return {
    name: intl.formatMessage({ id }),
    description: intl.formatMessage({ id: `${id}.description` }, { amount }),
  };
}
