/** The customer list's search, kept in the address (router.tsx validates it). */
export interface CustomersSearch {
  q?: string;
  segment?: string;
  tier?: string;
}

export function customersSearch(search: Record<string, unknown>): CustomersSearch {
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return { q: text(search.q), segment: text(search.segment), tier: text(search.tier) };
}
