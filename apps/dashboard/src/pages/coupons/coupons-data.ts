import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { downloadFile } from '../../api/download.ts';
import { useShop } from '../../layout/shop-context.ts';

export type Discount =
  | { kind: 'fixed'; amount: number; currency: string }
  | { kind: 'percentage'; percent: number; cap?: number | null }
  | { kind: 'free_shipping' }
  | { kind: 'free_product'; productId: string };

/** A campaign as GET /v1/coupon-campaigns gives it. */
export interface Campaign {
  id: string;
  name: string;
  discount: Discount;
  minBasket: number | null;
  startsAt: string | null;
  endsAt: string | null;
  usesPerCode: number | null;
  usesPerCustomer: number | null;
  budget: number | null;
  budgetUsed: number;
  uses: number;
  productIds: string[];
  categoryIds: string[];
  excludeProductIds: string[];
  excludeCategoryIds: string[];
  firstOrderOnly: boolean;
  segmentId: string | null;
  minTier: string | null;
  stackable: boolean;
  returnUseOnCancel: boolean;
  codes: number;
  archived: boolean;
  createdAt: string;
}

export interface CampaignInput {
  name: string;
  discount: Record<string, unknown>;
  code?: string;
  minBasket?: number;
  startsAt?: string;
  endsAt?: string;
  usesPerCode?: number;
  usesPerCustomer?: number;
  budget?: number;
  productIds: string[];
  categoryIds: string[];
  excludeProductIds: string[];
  excludeCategoryIds: string[];
  firstOrderOnly: boolean;
  segmentId?: string;
  minTier?: string;
  stackable: boolean;
  returnUseOnCancel: boolean;
}

export const REFUSALS = [
  'not_found',
  'not_started',
  'expired',
  'usage_limit_reached',
  'budget_exhausted',
  'not_eligible',
  'customer_limit_reached',
  'not_combinable',
  'excluded_items',
  'min_basket',
] as const;

export type Validation =
  | {
      valid: true;
      code: string;
      discount: {
        kind: Discount['kind'];
        amount: number;
        currency: string;
        percent?: number;
        productId?: string;
      };
    }
  | {
      valid: false;
      reason: string;
      message: string;
      messages: { pl: string; en: string };
      reasons?: { reason: string; messages: { pl: string; en: string } }[];
    };

export function useCampaigns() {
  const { membership } = useShop();
  return useQuery({
    queryKey: ['coupon-campaigns', membership.id],
    queryFn: () => api<{ data: Campaign[] }>('GET', '/v1/coupon-campaigns'),
  });
}

export function useCampaign(id: string) {
  const { membership } = useShop();
  return useQuery({
    queryKey: ['coupon-campaigns', membership.id, id],
    queryFn: () => api<Campaign>('GET', `/v1/coupon-campaigns/${encodeURIComponent(id)}`),
  });
}

export function useSegments() {
  const { membership } = useShop();
  return useQuery({
    queryKey: ['segments', membership.id],
    queryFn: async () =>
      (await api<{ data: { id: string; name: string }[] }>('GET', '/v1/segments')).data,
  });
}

export function useCreateCampaign() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CampaignInput) =>
      api<Campaign>('POST', '/v1/coupon-campaigns', { body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['coupon-campaigns'] }),
  });
}

export function useDeleteCampaign() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api('DELETE', `/v1/coupon-campaigns/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['coupon-campaigns'] }),
  });
}

export function useGenerateCodes(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: {
      count: number | undefined;
      pattern: { prefix: string; length: number | undefined };
    }) =>
      api<{ generated: number }>('POST', `/v1/coupon-campaigns/${encodeURIComponent(id)}/codes`, {
        body,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['coupon-campaigns'] }),
  });
}

export function useValidateCode() {
  return useMutation({
    mutationFn: (body: {
      code: string;
      customerId?: string;
      cart: { currency: string; total: number | undefined };
      appliedCodes?: string[];
    }) => api<Validation>('POST', '/v1/coupons/validate', { body }),
  });
}

/**
 * The campaign's codes as a CSV file the browser saves: fetched with the session like every
 * call (a plain link could not send the shop header), then handed over as a download.
 */
export function useDownloadCodes(id: string, fileName: string) {
  const { membership } = useShop();
  return useMutation({
    mutationFn: () =>
      downloadFile(
        `/v1/coupon-campaigns/${encodeURIComponent(id)}/codes.csv`,
        membership.id,
        fileName,
      ),
  });
}

/** "a, b ,c" → ["a", "b", "c"]. */
export const idList = (text: string) =>
  text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
