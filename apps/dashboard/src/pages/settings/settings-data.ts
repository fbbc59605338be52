import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Role } from '../../api/types.ts';
import { useShop } from '../../layout/shop-context.ts';
import type { ShopSettings } from './types.ts';

/** Owners and admins alone see the shop's credentials and its audit log (route-roles: MANAGE). */
export const canManage = (role: Role) => role === 'owner' || role === 'admin';

/** GET /v1/shop, under the key the signed-in frame uses, so both show the same shop. */
export function useShopSettings() {
  const { membership } = useShop();
  return useQuery({
    queryKey: ['shop', membership.id],
    queryFn: () => api<ShopSettings>('GET', '/v1/shop'),
  });
}

export type ShopPatch = Partial<
  Pick<ShopSettings, 'name' | 'currency' | 'timezone' | 'locale' | 'returnWindowDays'>
> & {
  storefrontUrl?: string | null;
  storefrontOrigins?: string[];
  storefrontJoinUrl?: string | null;
  brand?: Partial<ShopSettings['brand']>;
};

/** PATCH /v1/shop; the answer replaces the shop everywhere, and the header's shop list. */
export function useUpdateShop() {
  const { membership } = useShop();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: ShopPatch) => api<ShopSettings>('PATCH', '/v1/shop', { body: patch }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['shop', membership.id] });
      await queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });
}
