import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useShop } from '../../layout/shop-context.ts';

/** A platform product the shop sells as a gift card. */
export interface GiftCardProduct {
  productId: string;
  name: string | null;
  amounts: 'any' | 'fixed';
  variantAmounts: Record<string, number>;
  validMonths: number | null;
  updatedAt: string;
}

export interface GiftCardReportMonth {
  month: string;
  issued: number;
  spent: number;
  voided: number;
  breakage: number;
  adjusted: number;
  liability: number;
}

export interface GiftCardReport {
  data: Array<{
    currency: string;
    outstanding: number;
    activeCards: number;
    months: GiftCardReportMonth[];
  }>;
}

export function useGiftCardProducts() {
  const { membership } = useShop();
  return useQuery({
    queryKey: ['gift-cards', membership.id, 'products'],
    queryFn: async () =>
      (await api<{ data: GiftCardProduct[] }>('GET', '/v1/gift-card-products')).data,
  });
}

export function useSaveGiftCardProduct() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      productId,
      ...body
    }: {
      productId: string;
      amounts: 'any' | 'fixed';
      variantAmounts?: Record<string, number>;
      validMonths?: number | null;
    }) =>
      api<GiftCardProduct>('PUT', `/v1/gift-card-products/${encodeURIComponent(productId)}`, {
        body,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['gift-cards'] }),
  });
}

export function useDeleteGiftCardProduct() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (productId: string) =>
      api<void>('DELETE', `/v1/gift-card-products/${encodeURIComponent(productId)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['gift-cards'] }),
  });
}

export function useGiftCardReport() {
  const { membership } = useShop();
  return useQuery({
    queryKey: ['gift-cards', membership.id, 'report'],
    queryFn: () => api<GiftCardReport>('GET', '/v1/gift-card-report'),
  });
}
