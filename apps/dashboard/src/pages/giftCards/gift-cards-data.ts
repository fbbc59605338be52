import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useShop } from '../../layout/shop-context.ts';

interface Money {
  amount: number;
  currency: string;
}

/** A card as the API shows it: the full code only in the answer to the issue. */
export interface GiftCard {
  id: string;
  code?: string;
  maskedCode: string;
  currency: string;
  balance: Money;
  initialAmount: Money;
  expiresAt: string | null;
  customerId: string | null;
  status: 'active' | 'expired' | 'disabled';
  createdAt?: string;
}

export interface GiftCardMove {
  id: string;
  type: 'issued' | 'spent' | 'refunded' | 'expired' | 'adjusted' | 'topped_up' | 'voided';
  amount: Money;
  balanceAfter: Money;
  orderId: string | null;
  refundOf: string | null;
  actor: string | null;
  createdAt: string;
}

const path = (code: string) => `/v1/gift-cards/${encodeURIComponent(code)}`;

export function useGiftCardList() {
  const { membership } = useShop();
  return useInfiniteQuery({
    queryKey: ['gift-cards', membership.id, 'list'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      api<{ data: GiftCard[]; nextBefore: string | null }>('GET', '/v1/gift-cards', {
        query: { limit: 20, before: pageParam },
      }),
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
}

/** A card by its code, with its movements; nothing asked until a code is given. */
export function useGiftCard(code: string | null) {
  const { membership } = useShop();
  const card = useQuery({
    queryKey: ['gift-cards', membership.id, 'card', code],
    queryFn: () => api<GiftCard>('GET', path(code!)),
    enabled: !!code,
    retry: false,
  });
  const moves = useQuery({
    queryKey: ['gift-cards', membership.id, 'moves', code],
    queryFn: async () =>
      (await api<{ data: GiftCardMove[] }>('GET', `${path(code!)}/transactions`)).data,
    enabled: !!code && card.isSuccess,
    retry: false,
  });
  return { card, moves };
}

export function useIssueGiftCard() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: {
      amount: number | undefined;
      currency: string;
      expiresAt?: string;
      customerId?: string;
    }) => api<GiftCard>('POST', '/v1/gift-cards', { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['gift-cards'] }),
  });
}

export function useSpendGiftCard(code: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { amount: number | undefined; currency: string; orderId?: string }) =>
      api<{ spendId: string; balanceAfter: number }>('POST', `${path(code)}/spends`, { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['gift-cards'] }),
  });
}

export function useRefundGiftCard(code: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { spendId: string; amount?: number }) =>
      api<{ refundId: string; balanceAfter: number }>('POST', `${path(code)}/refunds`, { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['gift-cards'] }),
  });
}
