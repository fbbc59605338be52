import type { ReferralSettings } from './referral-settings.ts';
import { normalizeEmail, normalizePhone } from './referral-code.ts';

/** One reason a referral looks wrong, and how much it counts. */
export interface FraudReason {
  reason: string;
  weight: number;
}

export interface PersonFacts {
  customerId: string;
  email: string | null;
  phone: string | null;
}

/** What is known when a referral is judged; every field is gathered by the caller. */
export interface ReferralFacts {
  referrer: PersonFacts;
  friend: PersonFacts;
  /** The friend had a paid order before the referral. */
  friendHadPaidOrder: boolean;
  /** The friend's client (from the link visit or the attribution call). */
  friendClient: { address: string; userAgent: string } | null;
  /** Where the referrer was seen within the same-client window. */
  referrerClients: Array<{ address: string; userAgent: string }>;
  /** Referrals (other friends) from the friend's client address in the past week. */
  referralsFromAddressThisWeek: number;
  /** Distinct friends of the code in the leaked-code window, this one included. */
  friendsOfCodeRecently: number;
  /** The friend's order goes to an address the referrer's orders went to (see addressKey). */
  sameDeliveryAddress?: boolean;
}

export const WEIGHTS = {
  self_referral: 100,
  same_email: 100,
  same_phone: 80,
  same_client: 60,
  existing_customer: 100,
  velocity: 50,
  leaked_code: 50,
  same_address: 60,
} as const;

/** Every check that fires, with its weight. Pure: unit-tested without a database. */
export function fraudReasons(facts: ReferralFacts, settings: ReferralSettings): FraudReason[] {
  const out: FraudReason[] = [];
  const add = (reason: keyof typeof WEIGHTS) => out.push({ reason, weight: WEIGHTS[reason] });
  const { referrer, friend } = facts;
  if (referrer.customerId === friend.customerId) add('self_referral');
  const email = normalizeEmail(friend.email);
  if (email && email === normalizeEmail(referrer.email)) add('same_email');
  const phone = normalizePhone(friend.phone);
  if (phone && phone === normalizePhone(referrer.phone)) add('same_phone');
  const client = facts.friendClient;
  if (
    client &&
    facts.referrerClients.some(
      (c) => c.address === client.address && c.userAgent === client.userAgent,
    )
  ) {
    add('same_client');
  }
  if (facts.friendHadPaidOrder) add('existing_customer');
  if (facts.referralsFromAddressThisWeek >= settings.fraud.velocityPerWeek) add('velocity');
  if (facts.friendsOfCodeRecently > settings.fraud.leakedCodeFriends) add('leaked_code');
  if (facts.sameDeliveryAddress) add('same_address');
  return out;
}

export type Verdict = 'pass' | 'flag' | 'reject';

/** The risk score is the sum of the weights; thresholds come from the campaign. */
export function fraudVerdict(
  reasons: FraudReason[],
  settings: ReferralSettings,
): { verdict: Verdict; score: number } {
  const score = reasons.reduce((sum, r) => sum + r.weight, 0);
  const verdict =
    score >= settings.fraud.rejectAt ? 'reject' : score >= settings.fraud.flagAt ? 'flag' : 'pass';
  return { verdict, score };
}
