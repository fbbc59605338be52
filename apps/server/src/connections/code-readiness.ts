import type { Db } from '../db/connect.ts';

/**
 * Whether a code just issued works at the shop's checkout: true at once when no connection
 * creates it, else after the push job creates it, waited for up to `waitMs` (the job is woken
 * by the code's own insert), so most customers see a working code in the same answer.
 */
export async function codeReadyInPlatform(
  db: Db,
  shopId: string,
  code: string,
  waitMs = 3000,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<boolean> {
  const started = Date.now();
  for (;;) {
    const pending = await db
      .selectFrom('platform_codes as p')
      .innerJoin('coupons as c', (j) =>
        j.onRef('c.shop_id', '=', 'p.shop_id').onRef('c.id', '=', 'p.coupon_id'),
      )
      .select('p.coupon_id')
      .where('p.shop_id', '=', shopId)
      .where('c.code', '=', code)
      .where('p.state', '=', 'pending')
      .executeTakeFirst();
    if (!pending) return true;
    if (Date.now() - started >= waitMs) return false;
    await sleep(200);
  }
}
