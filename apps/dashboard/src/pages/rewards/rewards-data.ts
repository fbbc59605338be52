import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { useShop } from '../../layout/shop-context.ts';

export const REWARD_KINDS = [
  'fixed_discount',
  'percentage_discount',
  'free_shipping',
  'free_product',
  'custom_perk',
] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];

/** A reward as GET /v1/rewards gives it. */
export interface Reward {
  id: string;
  name: string;
  names: { pl: string; en: string };
  description: { pl: string; en: string } | null;
  kind: RewardKind;
  pointsCost: number;
  amount: number | null;
  percent: number | null;
  cap: number | null;
  productId: string | null;
  minBasket: number | null;
  startsAt: string | null;
  endsAt: string | null;
  stock: number | null;
  perCustomerLimit: number | null;
  minTier: string | null;
  couponValidDays: number;
  archived: boolean;
}

/** What POST and PUT /v1/rewards take. */
export interface RewardInput {
  name: { pl: string; en: string };
  description?: { pl: string; en: string };
  kind: RewardKind;
  pointsCost: number | undefined;
  amount?: number;
  percent?: number;
  cap?: number;
  productId?: string;
  minBasket?: number;
  startsAt: string | null;
  endsAt: string | null;
  stock: number | null;
  perCustomerLimit: number | null;
  minTier: string | null;
  couponValidDays: number | undefined;
}

export interface TierOption {
  id: string;
  name: { pl: string; en: string };
}

export function useRewards() {
  const { membership } = useShop();
  return useQuery({
    queryKey: ['rewards', membership.id],
    queryFn: () => api<Reward[]>('GET', '/v1/rewards'),
  });
}

/** The shop's tiers, for a reward's minimum tier; none while no tier programme is saved (404). */
export function useTiers() {
  const { membership } = useShop();
  return useQuery({
    queryKey: ['tiers', membership.id],
    queryFn: async () => {
      try {
        return (await api<{ tiers?: TierOption[] }>('GET', '/v1/tiers')).tiers ?? [];
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return [];
        throw error;
      }
    },
  });
}

export function useSaveReward(id: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RewardInput) =>
      id
        ? api<Reward>('PUT', `/v1/rewards/${encodeURIComponent(id)}`, { body: input })
        : api<Reward>('POST', '/v1/rewards', { body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['rewards'] }),
  });
}

export function useDeleteReward() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api('DELETE', `/v1/rewards/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['rewards'] }),
  });
}
