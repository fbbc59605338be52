import type { ReferralStatus } from '../db/schema.ts';

/** A referral and the order that concerns it, as the step decisions see them. */
export interface StepFacts {
  status: ReferralStatus;
  heldStatus: ReferralStatus | null;
  orderId: string | null;
  minOrderValue: number;
  order: { id: string; total: number; refunded: number; paidAt: Date | null; cancelled: boolean };
}

export interface Step {
  status: ReferralStatus;
  heldStatus: ReferralStatus | null;
  purchased?: boolean;
  reject?: string;
  clawBack?: boolean;
  /** The risk score judged again (a fraud check that fired at the purchase). */
  riskScore?: number;
}

/** The order still counts: paid, not cancelled, and its net at least the campaign minimum. */
export function orderCounts(f: StepFacts): boolean {
  const net = f.order.total - f.order.refunded;
  return f.order.paidAt !== null && !f.order.cancelled && net > 0 && net >= f.minOrderValue;
}

/**
 * The friend's first qualifying order: a signed-up referral (or a flagged one waiting at
 * signup) becomes purchased; a flagged one stays flagged, now waiting at purchased.
 */
export function purchaseStep(f: StepFacts): Step | null {
  const stage = f.status === 'flagged' ? f.heldStatus : f.status;
  if (stage !== 'signed_up' || !orderCounts(f)) return null;
  return f.status === 'flagged'
    ? { status: 'flagged', heldStatus: 'purchased', purchased: true }
    : { status: 'purchased', heldStatus: null, purchased: true };
}

/**
 * A refund or cancellation of the referral's order: before the main reward it cancels the
 * referral; after, it claws the rewards back. A partial refund that keeps the order above the
 * minimum changes nothing.
 */
export function refundStep(f: StepFacts): Step | null {
  if (orderCounts(f)) return null;
  const why = f.order.cancelled ? 'order_cancelled' : 'order_refunded';
  if (f.status === 'rewarded') {
    return { status: 'rejected', heldStatus: null, reject: `${why}_after_reward`, clawBack: true };
  }
  if (f.status === 'purchased' || f.status === 'qualified' || f.status === 'flagged') {
    return { status: 'rejected', heldStatus: null, reject: why };
  }
  return null;
}
