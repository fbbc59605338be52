import { useQuery } from '@tanstack/react-query';
import { api, ApiError, setCurrentShop } from './client.ts';
import type { Me } from './types.ts';

export const meQuery = {
  queryKey: ['me'],
  queryFn: () => api<Me>('GET', '/v1/me', { noShop: true }),
  retry: false,
  staleTime: 60_000,
} as const;

export const useMe = () => useQuery(meQuery);

export const isSignedOut = (error: unknown) => error instanceof ApiError && error.status === 401;

const SHOP_KEY = 'lojal.shop';

/** The shop the person works in: the one chosen before if still theirs, else their first. */
export function chooseShop(me: Me): Me['shops'][number] | undefined {
  const saved = localStorage.getItem(SHOP_KEY);
  const shop = me.shops.find((s) => s.id === saved) ?? me.shops[0];
  setCurrentShop(shop?.id ?? null);
  return shop;
}

export function rememberShop(shopId: string): void {
  localStorage.setItem(SHOP_KEY, shopId);
  setCurrentShop(shopId);
}
