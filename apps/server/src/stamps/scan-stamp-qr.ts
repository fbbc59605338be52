import { randomBytes } from 'node:crypto';
import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { problems } from '../shared/errors.ts';
import type { SecretBox } from '../shared/secrets.ts';
import type { ShopRow } from '../shops/shop.ts';
import type { Tx } from '../db/connect.ts';
import { addStamps, lockOpenCards } from './add-stamps.ts';
import type { StaffIdentity } from './authenticate-staff.ts';
import { shopQrKey } from './qr-key.ts';
import { qrShopId, verifyQrPayload } from './stamp-qr.ts';
import { cardShopId, isCardPayload, verifyCardPayload } from './card-qr.ts';
import { StampProblem } from './stamp-problems.ts';
import { requireRole } from './staff-roles.ts';

export interface ScanInput {
  payload: string;
  /** Needed only when the shop runs more than one visit card. */
  programmeId?: string;
  /** A manager's device only: stamp even when the customer has reached today's limit. */
  pastDailyLimit?: boolean;
}

/**
 * A staff device stamps the customer whose QR payload it scanned. The staff token fixes the
 * shop, and a payload counts only if that shop's key signed it, so one shop's staff cannot
 * stamp another's customers. The payload's nonce is stored with the stamp under a unique index:
 * a payload stamps once, even when two devices scan it at the same instant.
 */
export async function scanStampQr(
  db: Db,
  clock: Clock,
  box: SecretBox,
  shop: ShopRow,
  staff: StaffIdentity,
  input: ScanInput,
) {
  const now = clock.now();
  requireRole(staff, input.pastDailyLimit ? 'stamp-past-daily-limit' : 'stamp');
  const scanned = await readPayload(db, box, shop.id, input.payload, now);
  return stampVisit(db, now, shop, staff, scanned, input);
}

/**
 * A staff device stamps a customer it found by phone, e-mail or card number (the staff app's
 * search, issue 18) rather than by a QR code: like a printed card's scan, each call is its own
 * stamp, bounded by the card's daily limit (a resend is made harmless by its Idempotency-Key).
 */
export async function stampFoundCustomer(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  staff: StaffIdentity,
  input: { customerId: string; programmeId?: string; pastDailyLimit?: boolean },
) {
  requireRole(staff, input.pastDailyLimit ? 'stamp-past-daily-limit' : 'stamp');
  const nonce = `counter:${randomBytes(16).toString('base64url')}`;
  return stampVisit(
    db,
    clock.now(),
    shop,
    staff,
    { customerId: input.customerId, nonce, replayable: true },
    input,
  );
}

async function stampVisit(
  db: Db,
  now: Date,
  shop: ShopRow,
  staff: StaffIdentity,
  { customerId, nonce, replayable }: { customerId: string; nonce: string; replayable: boolean },
  input: { programmeId?: string; pastDailyLimit?: boolean },
) {
  try {
    return await db.transaction().execute(async (tx) => {
      const customer = await tx
        .selectFrom('customers')
        .select(['id', 'external_id'])
        .where('shop_id', '=', shop.id)
        .where('id', '=', customerId)
        // An erased customer's printed card must stop working (it never expires).
        .where('redacted_at', 'is', null)
        .executeTakeFirst();
      if (!customer) throw new StampProblem('qr-invalid', 'The customer is no longer known.');
      const programme = await visitProgramme(tx, shop.id, input.programmeId);
      const terms = input.pastDailyLimit ? { ...programme, daily_limit: null } : programme;
      const request = { programme: terms, customerId, at: now };
      await lockOpenCards(tx, shop.id, [request]);
      // Checked under the card's lock, so a replay is told it is a replay (not "limit reached").
      if (!replayable) await refuseUsedNonce(tx, shop.id, nonce);
      const [outcome] = await addStamps(tx, shop, [
        { ...request, count: 1, source: 'scan', staffMemberId: staff.id, scanNonce: nonce },
      ]);
      if (outcome!.given === 0) {
        throw new StampProblem(
          'daily-limit-reached',
          `The customer already has ${programme.daily_limit} stamp(s) today on this card.`,
        );
      }
      return {
        stampId: outcome!.stampIds[0]!,
        programmeId: programme.id,
        customerId: customer.external_id,
        staffMember: { id: staff.id, name: staff.name },
        stampedAt: now.toISOString(),
        stampsToday: outcome!.stampedToday,
        dailyLimit: programme.daily_limit,
        card: outcome!.card,
        completedCards: outcome!.completedCards,
        rewards: outcome!.rewards,
      };
    });
  } catch (error) {
    // Another programme's card was stamped with the same payload at the same instant.
    if ((error as { constraint?: string }).constraint === 'stamps_scan_nonce') {
      throw new StampProblem('qr-used');
    }
    throw error;
  }
}

/**
 * The customer a scanned payload names: a phone's payload (signed, 3 minutes, once: its nonce)
 * or a printed loyalty card's (signed, no expiry, scanned again and again: the card's daily
 * limit bounds it, as it bounds a paper card's stamps).
 */
async function readPayload(
  db: Db,
  box: SecretBox,
  shopId: string,
  payload: string,
  now: Date,
): Promise<{ customerId: string; nonce: string; replayable: boolean }> {
  const card = isCardPayload(payload);
  if ((card ? cardShopId(payload) : qrShopId(payload)) !== shopId) {
    throw new StampProblem('qr-invalid', 'The payload is not a stamp QR code of this shop.');
  }
  const key = await shopQrKey(db, box, shopId);
  if (card) {
    const customerId = verifyCardPayload(key, payload);
    if (!customerId) throw new StampProblem('qr-invalid');
    // Each scan of a card is its own stamp: a fresh nonce records it (and says it was a card).
    return { customerId, nonce: `card:${randomBytes(16).toString('base64url')}`, replayable: true };
  }
  const check = verifyQrPayload(key, payload, now);
  if (!check.ok) throw new StampProblem(check.reason);
  return { customerId: check.claims.customerId, nonce: check.claims.nonce, replayable: false };
}

async function refuseUsedNonce(tx: Tx, shopId: string, nonce: string) {
  const used = await tx
    .selectFrom('stamps')
    .select(['created_at', 'staff_member_id'])
    .where('shop_id', '=', shopId)
    .where('scan_nonce', '=', nonce)
    .executeTakeFirst();
  if (used) {
    throw new StampProblem(
      'qr-used',
      `This QR code was already scanned at ${used.created_at.toISOString()}.`,
    );
  }
}

/** The card a scan stamps: the one named, or the shop's only active visit card. */
async function visitProgramme(tx: Tx, shopId: string, programmeId: string | undefined) {
  let query = tx
    .selectFrom('stamp_programmes')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('earn_by', '=', 'visit')
    .where('active', '=', true);
  if (programmeId) query = query.where('id', '=', programmeId);
  const rows = await query.orderBy('id').limit(2).execute();
  if (rows.length === 1) return rows[0]!;
  if (rows.length > 1) throw new StampProblem('programme-required');
  if (programmeId) {
    const exists = await tx
      .selectFrom('stamp_programmes')
      .select('id')
      .where('shop_id', '=', shopId)
      .where('id', '=', programmeId)
      .executeTakeFirst();
    if (!exists) throw problems.notFound(`Stamp card ${programmeId}`);
  }
  throw new StampProblem('programme-inactive');
}
