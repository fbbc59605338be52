import { TABS, type Tab } from './analytics-data.ts';

/** The analytics tab, kept in the address (`/admin/analytics?tab=lift`); router.tsx validates it. */
export function analyticsSearch(search: Record<string, unknown>): { tab?: Tab } {
  return (TABS as readonly unknown[]).includes(search.tab) ? { tab: search.tab as Tab } : {};
}
