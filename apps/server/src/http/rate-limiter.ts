/**
 * Fixed one-second windows per key, in process memory: cheap enough to sit in front of
 * ingestion at thousands of requests per second. Each process counts its own traffic.
 */
export class RateLimiter {
  private window = 0;
  private counts = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Returns the seconds to wait when over the limit, or 0 when the request may pass. */
  take(key: string, limitPerSecond: number): number {
    const second = Math.floor(this.now() / 1000);
    if (second !== this.window) {
      this.window = second;
      this.counts.clear();
    }
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return count > limitPerSecond ? 1 : 0;
  }
}
