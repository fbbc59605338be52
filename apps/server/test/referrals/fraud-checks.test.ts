import { describe, expect, it } from 'vitest';
import {
  fraudReasons,
  fraudVerdict,
  type ReferralFacts,
} from '../../src/referrals/fraud-checks.ts';
import {
  newReferralCode,
  normalizeEmail,
  normalizePhone,
} from '../../src/referrals/referral-code.ts';
import { referralSettings } from '../../src/referrals/referral-settings.ts';
import { purchaseStep, refundStep } from '../../src/referrals/referral-steps.ts';

const settings = referralSettings.parse({});
const facts = (over: Partial<ReferralFacts> = {}): ReferralFacts => ({
  referrer: { customerId: 'a', email: 'anna@example.com', phone: null },
  friend: { customerId: 'b', email: 'basia@example.com', phone: null },
  friendHadPaidOrder: false,
  friendClient: null,
  referrerClients: [],
  referralsFromAddressThisWeek: 0,
  friendsOfCodeRecently: 1,
  ...over,
});

describe('fraud decisions', () => {
  it('passes an ordinary referral with no reasons', () => {
    expect(fraudVerdict(fraudReasons(facts(), settings), settings)).toEqual({
      verdict: 'pass',
      score: 0,
    });
  });

  it('adds the weights of every reason and compares them with the thresholds', () => {
    const reasons = fraudReasons(
      facts({ referralsFromAddressThisWeek: 5, friendsOfCodeRecently: 50 }),
      settings,
    );
    expect(reasons.map((r) => r.reason)).toEqual(['velocity', 'leaked_code']);
    expect(fraudVerdict(reasons, settings)).toEqual({ verdict: 'reject', score: 100 });
  });

  it('normalises Gmail-style addresses and Polish phone numbers', () => {
    expect(normalizeEmail('J.A.N.Kowalski+sklep@GoogleMail.com')).toBe('jankowalski@gmail.com');
    expect(normalizeEmail('jan.kowalski+x@wp.pl')).toBe('jan.kowalski@wp.pl');
    expect(normalizePhone('+48 600-100-200')).toBe(normalizePhone('0048600100200'));
  });

  it('makes codes from first names without diacritics', () => {
    expect(newReferralCode('Łucja')).toMatch(/^LUCJA-.{4}$/);
    expect(newReferralCode('Żaneta')).toMatch(/^ZANETA-.{4}$/);
    expect(newReferralCode(null)).toMatch(/^LOJAL-.{4}$/);
  });
});

describe('referral steps', () => {
  const order = { id: 'o', total: 6000, refunded: 0, paidAt: new Date(), cancelled: false };
  const base = {
    status: 'signed_up' as const,
    heldStatus: null,
    orderId: null,
    minOrderValue: 5000,
    order,
  };

  it('an order below the minimum does not count as the first purchase', () => {
    expect(purchaseStep({ ...base, order: { ...order, total: 4999 } })).toBeNull();
    expect(purchaseStep(base)).toMatchObject({ status: 'purchased', purchased: true });
  });

  it('a flagged referral stays flagged when the friend buys', () => {
    expect(purchaseStep({ ...base, status: 'flagged', heldStatus: 'signed_up' })).toMatchObject({
      status: 'flagged',
      heldStatus: 'purchased',
    });
  });

  it('a partial refund that keeps the minimum changes nothing; one below it cancels', () => {
    const purchased = { ...base, status: 'purchased' as const, orderId: 'o' };
    expect(refundStep({ ...purchased, order: { ...order, refunded: 1000 } })).toBeNull();
    expect(refundStep({ ...purchased, order: { ...order, refunded: 1001 } })).toMatchObject({
      status: 'rejected',
      reject: 'order_refunded',
    });
    expect(
      refundStep({ ...purchased, status: 'rewarded', order: { ...order, cancelled: true } }),
    ).toMatchObject({
      reject: 'order_cancelled_after_reward',
      clawBack: true,
    });
  });
});
