import type { Platform } from '../../src/connections/connector.ts';

/**
 * A platform's local fake server, speaking exactly the format ../shared/INTEGRATIONS.md
 * documents (signatures, paging, rate-limit headers, 429s, id quirks, zone-less times), on
 * 127.0.0.1. Each platform's fake implements this, so the shared scenarios in
 * platform-scenarios.ts run against every one of them.
 */
export interface FakePlatform {
  platform: Platform;
  /** What POST /v1/connections takes to reach this fake. */
  connection: { credentials: unknown; settings: unknown };
  /**
   * Adds `orders` paid orders placed evenly over [from, to), with customers, every
   * `refundEvery`-th refunded in part; answers what a direct count of the platform's data says.
   * Money in minor units of `currency`.
   */
  seedHistory(input: {
    orders: number;
    from: Date;
    to: Date;
    refundEvery: number;
    currency: string;
  }): Promise<{ orders: number; refunds: number; revenue: number; refunded: number }>;
  /** While down, every call answers 503 (or the platform's own outage answer). */
  setDown(down: boolean): void;
  /** Every call it answered: real-clock start time in ms, method, path, status. */
  calls(): Array<{ at: number; method: string; path: string; status: number }>;
  /** The limit it enforces (429 past it), as the connector's rateLimit should respect. */
  rateLimit: { requests: number; perMs: number };
  /** While on, creating a discount code answers the platform's refusal. */
  refuseCodes(refuse: boolean): void;
  /** The codes Lojal created there, in Lojal's terms (minor units, Date), whatever the platform's shape. */
  codes(): FakeCode[];
  close(): Promise<void>;
}

export interface FakeCode {
  code: string;
  kind: 'fixed' | 'percentage' | 'free_shipping' | 'free_product';
  /** fixed: minor units */
  amount: number | null;
  percent: number | null;
  minBasket: number | null;
  expiresAt: Date | null;
  usageLimit: number | null;
  /** Restricted to this customer's e-mail (or external id), where the platform can. */
  customer: string | null;
  /** False once disabled. */
  active: boolean;
}
