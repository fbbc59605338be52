import { isIPv6 } from 'node:net';

/**
 * Fixed windows per key (one second unless told), in process memory: cheap enough to sit in
 * front of ingestion at thousands of requests per second. Each process counts its own traffic.
 */
export class RateLimiter {
  private window = 0;
  private counts = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly windowMs = 1000,
  ) {}

  /**
   * Counts a request of `cost` units; returns the seconds to wait when the key is over its
   * limit in this window, or 0 when the request may pass.
   */
  take(key: string, limit: number, cost = 1): number {
    const now = this.now();
    const window = Math.floor(now / this.windowMs);
    if (window !== this.window) {
      this.window = window;
      this.counts.clear();
    }
    const count = (this.counts.get(key) ?? 0) + cost;
    this.counts.set(key, count);
    if (count <= limit) return 0;
    return Math.max(1, Math.ceil(((window + 1) * this.windowMs - now) / 1000));
  }
}

/**
 * The client a per-address limit counts: an IPv4 address (also when IPv4-mapped), or the /64
 * network of an IPv6 address, since one IPv6 client can pick any address of its /64.
 */
export function clientKey(address: string): string {
  const ip = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail] = ip.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const before = groups(head);
  // An IPv4 tail stands for two groups; only the first four groups matter here.
  const after = groups(tail ?? '');
  const width = after.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const all =
    tail === undefined
      ? before
      : [...before, ...Array<string>(8 - before.length - width).fill('0'), ...after];
  return `${all
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
