import { sql } from 'kysely';
import type { Tx } from '../db/connect.ts';
import { zonedTime } from '../shared/zoned-time.ts';

/** The graphile-worker task that sends a sold card's voucher e-mail (app/worker.ts runs it). */
export const GIFT_CARD_DELIVERY = 'gift-card-delivery';
/** The local hour a dated card is delivered at, in the shop's time zone. */
export const DELIVERY_HOUR = 8;

export interface DeliveryJob {
  shopId: string;
  giftCardId: string;
}

export function deliveryJobKey(job: DeliveryJob): string {
  return `${GIFT_CARD_DELIVERY}:${job.shopId}:${job.giftCardId}`;
}

/**
 * When a card is to be delivered: 08:00 in the shop's zone on the buyer's date, or at once when
 * there is no date or that moment has passed.
 */
export function deliveryTime(deliverOn: string | null, timeZone: string, now: Date): Date {
  if (!deliverOn) return now;
  const [y, m, d] = deliverOn.split('-').map(Number) as [number, number, number];
  const at = zonedTime(timeZone, y, m, d, DELIVERY_HOUR, 0);
  return at > now ? at : now;
}

/**
 * Books the voucher e-mail as a durable job, in the caller's transaction (so it exists exactly
 * when the sale does): graphile-worker runs it at `runAt`, and its key makes a second booking of
 * the same card change nothing.
 */
export async function scheduleDelivery(tx: Tx, job: DeliveryJob, runAt: Date): Promise<void> {
  await sql`SELECT graphile_worker.add_job(
    ${GIFT_CARD_DELIVERY}, ${JSON.stringify(job)}::json,
    run_at := ${runAt}::timestamptz, max_attempts := 10::smallint,
    job_key := ${deliveryJobKey(job)}, job_key_mode := 'preserve_run_at')`.execute(tx);
}
