import { createContext, useContext } from 'react';
import type { Me, Shop } from '../api/types.ts';

export interface ShopState {
  me: Me;
  membership: Me['shops'][number];
  shop: Shop | undefined;
}

export const ShopContext = createContext<ShopState | null>(null);

/** The signed-in person, their role and the shop they work in (inside the signed-in layout). */
export function useShop(): ShopState {
  const state = useContext(ShopContext);
  if (!state) throw new Error('useShop outside the signed-in layout');
  return state;
}
