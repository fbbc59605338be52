import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { downloadFile, saveBlob } from '../../api/download.ts';
import { api } from '../../api/client.ts';
import type { Role } from '../../api/types.ts';
import { useShop } from '../../layout/shop-context.ts';

/** The shapes of the referral routes (apps/server/src/http/routes/referrals.ts, affiliates.ts). */
export type CouponDiscount =
  { kind: 'fixed'; amount: number } | { kind: 'percentage'; percent: number; cap?: number | null };

export type ReferralReward =
  | { kind: 'points'; points: number }
  | { kind: 'coupon'; discount: CouponDiscount; minBasket?: number | null; validDays?: number }
  | { kind: 'reward'; rewardId: string };

export interface ReferralSettings {
  lead: { referrer?: ReferralReward | null; friend?: ReferralReward | null };
  main: {
    referrer?: ReferralReward | null;
    friend?: ReferralReward | null;
    everyPurchaseUpTo: number;
  };
  friendDiscount?: CouponDiscount | null;
  minOrderValue: number;
  holdForReturnWindow: boolean;
  monthlyCapPerReferrer?: number | null;
  termsUrl?: string | null;
  attributionWindowDays: number;
  attribution: 'first_touch' | 'last_touch';
  pointValue: number;
  fraud: {
    flagAt: number;
    rejectAt: number;
    sameClientHours: number;
    velocityPerWeek: number;
    leakedCodeFriends: number;
    leakedCodeHours: number;
  };
  [other: string]: unknown;
}

export interface ReferralCampaign {
  id: string;
  name: string;
  startsAt: string | null;
  endsAt: string | null;
  archived: boolean;
  landing: 'page' | 'redirect';
  settings: ReferralSettings;
}

export interface Referral {
  id: string;
  campaignId: string;
  referrerId: string;
  friendCustomerId: string;
  status: string;
  waitingAt: string | null;
  reasons: { reason: string; weight: number }[];
  riskScore: number;
  reviewNote: string | null;
  steps: { flaggedAt: string | null; signedUpAt: string | null; purchasedAt: string | null };
  thankYou: { note: string; at: string } | null;
}

export interface Party {
  customerId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  erased: boolean;
  createdAt: string;
  orders: number;
  revenue: { amount: number; currency: string };
  firstOrderAt: string | null;
  referralsMade: number;
  referralsFlaggedOrRejected: number;
}

export interface QueueItem {
  referral: Referral;
  referrer: Party;
  friend: Party;
}

export type Outcome =
  'approved' | 'rejected' | 'already_approved' | 'already_rejected' | 'not_flagged' | 'not_found';

export interface CustomerValue {
  customers: number;
  orders: number;
  averageOrderValue: { amount: number; currency: string } | null;
  repeatRate: number | null;
}

export interface CampaignResults {
  campaignId: string;
  name: string;
  funnel: {
    clicks: number;
    signups: number;
    firstPurchases: number;
    qualified: number;
    rewarded: number;
    rejected: number;
    flagged: number;
  };
  acquiredCustomers: number;
  revenue: { amount: number; currency: string };
  rewardCost: { amount: number; currency: string };
  costPerAcquiredCustomer: { amount: number; currency: string } | null;
  customerValue: { referred: CustomerValue; others: CustomerValue };
}

export interface ShareMessage {
  channel: string;
  subject: string | null;
  text: string;
  edited: boolean;
  shareUrl: string | null;
}

export interface ShareMessages {
  customerId: string;
  referralCode: string;
  link: string;
  locale: 'pl' | 'en';
  discount: string | null;
  messages: ShareMessage[];
}

export interface Affiliate {
  id: string;
  name: string;
  email: string | null;
  code: string;
  link: string;
  commissionPercent: number;
  attributionWindowDays: number;
  archived: boolean;
  createdAt: string;
}

export interface Payout {
  affiliateId: string;
  affiliateName: string;
  period: string;
  closed: boolean;
  orders: number;
  revenue: { amount: number; currency: string };
  refunds: { amount: number; currency: string };
  netRevenue: { amount: number; currency: string };
  commission: { amount: number; currency: string };
  paid: { at: string; commission: { amount: number; currency: string } } | null;
  difference: { amount: number; currency: string } | null;
}

/** Route-roles of the writes: decisions are SERVICE, payouts paid MANAGE. */
export const PAYOUT_RECORDERS: Role[] = ['owner', 'admin'];

const key = (membershipId: string, ...rest: string[]) => ['referrals', membershipId, ...rest];

export function useReferralCampaigns() {
  const { membership } = useShop();
  return useQuery({
    queryKey: key(membership.id, 'campaigns'),
    queryFn: () => api<ReferralCampaign[]>('GET', '/v1/referral-campaigns'),
  });
}

export function useSaveReferralCampaign(id: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: object) =>
      id
        ? api<ReferralCampaign>('PUT', `/v1/referral-campaigns/${encodeURIComponent(id)}`, {
            body,
          })
        : api<ReferralCampaign>('POST', '/v1/referral-campaigns', { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['referrals'] }),
  });
}

/** Flagged referrals, newest first, a page at a time ("show older" asks for the next). */
export function useReviewQueue() {
  const { membership } = useShop();
  return useInfiniteQuery({
    queryKey: key(membership.id, 'queue'),
    queryFn: ({ pageParam }) =>
      api<{ data: QueueItem[]; nextCursor: string | null }>('GET', '/v1/referrals/review-queue', {
        query: { limit: 50, ...(pageParam && { cursor: pageParam }) },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** The most referrals one POST /v1/referrals/decisions takes. */
const DECISIONS_PER_CALL = 100;

export function useDecide() {
  const queryClient = useQueryClient();
  return useMutation({
    // A selection larger than one call takes is sent in several calls; each referral is decided
    // on its own anyway, so the outcomes simply add up.
    mutationFn: async (body: {
      decision: 'approve' | 'reject';
      referralIds: string[];
      note?: string;
    }) => {
      const results: { referralId: string; outcome: Outcome; status: string | null }[] = [];
      for (let i = 0; i < body.referralIds.length; i += DECISIONS_PER_CALL) {
        const answer = await api<{
          results: { referralId: string; outcome: Outcome; status: string | null }[];
        }>('POST', '/v1/referrals/decisions', {
          body: { ...body, referralIds: body.referralIds.slice(i, i + DECISIONS_PER_CALL) },
        });
        results.push(...answer.results);
      }
      return { results };
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['referrals'] }),
  });
}

export function useReferralResults() {
  const { membership } = useShop();
  return useQuery({
    queryKey: key(membership.id, 'results'),
    queryFn: () =>
      api<{ data: CampaignResults[] }>('GET', '/v1/referral-campaigns/results').then((r) => r.data),
  });
}

/** Referrals with a friend's thank-you note (the newest 500 referrals). */
export function useThankYouNotes() {
  const { membership } = useShop();
  return useQuery({
    queryKey: key(membership.id, 'thank-you'),
    queryFn: async () =>
      (await api<{ data: Referral[] }>('GET', '/v1/referrals')).data.filter((r) => r.thankYou),
  });
}

export function useShareMessages(customerId: string, locale: 'pl' | 'en') {
  const { membership } = useShop();
  return useQuery({
    queryKey: key(membership.id, 'share', customerId, locale),
    enabled: customerId !== '',
    retry: false,
    queryFn: () =>
      api<ShareMessages>(
        'GET',
        `/v1/customers/${encodeURIComponent(customerId)}/referrals/share-messages`,
        { query: { locale } },
      ),
  });
}

export function useSaveShareMessage(customerId: string, locale: 'pl' | 'en') {
  const queryClient = useQueryClient();
  const path = (channel: string) =>
    `/v1/customers/${encodeURIComponent(customerId)}/referrals/share-messages/${channel}`;
  return useMutation({
    mutationFn: (input: {
      channel: string;
      text?: string;
      subject?: string | null;
      reset?: boolean;
    }) =>
      input.reset
        ? api<ShareMessage>('DELETE', path(input.channel), { query: { locale } })
        : api<ShareMessage>('PUT', path(input.channel), {
            body: { locale, text: input.text, subject: input.subject },
          }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['referrals'] }),
  });
}

export function useAffiliates() {
  const { membership } = useShop();
  return useQuery({
    queryKey: key(membership.id, 'affiliates'),
    queryFn: () => api<{ data: Affiliate[] }>('GET', '/v1/affiliates').then((r) => r.data),
  });
}

export function usePayouts() {
  const { membership } = useShop();
  return useQuery({
    queryKey: key(membership.id, 'payouts'),
    queryFn: () => api<{ data: Payout[] }>('GET', '/v1/affiliates/payouts').then((r) => r.data),
  });
}

export function useCreateAffiliate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: object) => api<Affiliate>('POST', '/v1/affiliates', { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['referrals'] }),
  });
}

export function useMarkPaid() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (p: { affiliateId: string; period: string }) =>
      api<Payout>(
        'POST',
        `/v1/affiliates/${encodeURIComponent(p.affiliateId)}/payouts/${p.period}/paid`,
        { body: {} },
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['referrals'] }),
  });
}

/** Hands a text to the browser as a file to save. */
export function saveFile(fileName: string, text: string, type = 'text/csv') {
  saveBlob(new Blob([text], { type }), fileName);
}

/** The payout report as Lojal writes it (Accept: text/csv), saved as a file. */
export function useDownloadPayouts() {
  const { membership } = useShop();
  return useMutation({
    mutationFn: () =>
      downloadFile('/v1/affiliates/payouts', membership.id, 'affiliate-payouts.csv'),
  });
}

/** One CSV line: quoted where needed, formulas defused. */
export function csvLine(cells: Array<string | number | null>): string {
  return cells
    .map((cell) => {
      if (cell === null) return '';
      let text = String(cell);
      if (/^[=+\-@]/.test(text) && typeof cell === 'string') text = `'${text}`;
      return /[",\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',');
}
