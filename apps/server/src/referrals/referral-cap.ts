/** The first instant of `now`'s calendar month, UTC: the cap counts main rewards from there. */
export function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** Whether a referrer who had `used` main rewards this month may get no more. */
export function capReached(used: number, cap: number | null): boolean {
  return cap !== null && used >= cap;
}
