import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import { LocalizedProblem } from '../shared/localized-problem.ts';
import { newId } from '../shared/ids.ts';
import { hashToken, newToken } from '../shared/secrets.ts';
import type { ShopRow } from '../shops/shop.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { createStaffMember } from './manage-staff.ts';
import type { StaffRole } from './staff-roles.ts';

export const PAIRING_CODE_PREFIX = 'lojal_pair_';
/** A pairing QR on the owner's screen (or printed) works this long, and once. */
export const PAIRING_TTL_MS = 10 * 60_000;

/** The address the pairing QR holds: the code in the fragment, which no server or log sees. */
export function pairingUrl(publicUrl: string, code: string): string {
  return `${publicUrl.replace(/\/$/, '')}/staff/#pair=${code}`;
}

/**
 * The owner names a device and gets a short-lived, single-use pairing code for its QR. Only the
 * code's SHA-256 is kept; the code is shown once.
 */
export async function createPairing(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  publicUrl: string,
  input: { name: string; role: StaffRole },
) {
  const now = clock.now();
  const code = newToken(PAIRING_CODE_PREFIX);
  const expiresAt = new Date(now.getTime() + PAIRING_TTL_MS);
  const id = newId('spr');
  await db
    .insertInto('staff_pairings')
    .values({
      shop_id: shop.id,
      id,
      name: input.name,
      role: input.role,
      code_hash: hashToken(code),
      created_at: now,
      expires_at: expiresAt,
    })
    .execute();
  return {
    id,
    name: input.name,
    role: input.role,
    code,
    url: pairingUrl(publicUrl, code),
    expiresAt: expiresAt.toISOString(),
  };
}

const PAIRING_REFUSALS = {
  'pairing-invalid': {
    pl: 'Ten kod parowania jest nieprawidłowy. Pokaż nowy kod w panelu.',
    en: 'This pairing code is not valid. Show a new code in the dashboard.',
  },
  'pairing-used': {
    pl: 'Ten kod parowania został już użyty. Pokaż nowy kod w panelu.',
    en: 'This pairing code has already been used. Show a new code in the dashboard.',
  },
  'pairing-expired': {
    pl: 'Kod parowania wygasł (jest ważny 10 minut). Pokaż nowy kod w panelu.',
    en: 'The pairing code has expired (it is valid for 10 minutes). Show a new code in the dashboard.',
  },
};

const pairingRefused = (code: keyof typeof PAIRING_REFUSALS) =>
  new LocalizedProblem(422, code, 'Pairing refused', PAIRING_REFUSALS[code]);

/**
 * The phone exchanges the pairing code for its own staff token, once: the pairing row is taken
 * under a lock, so two phones with one code get one token. Recorded in the audit log with the
 * device's name, the device as actor.
 */
export async function completePairing(db: Db, clock: Clock, code: string) {
  const now = clock.now();
  const found = await db
    .selectFrom('staff_pairings')
    .innerJoin('shops', 'shops.id', 'staff_pairings.shop_id')
    .selectAll('shops')
    .select(['staff_pairings.id as pairing_id'])
    .where('staff_pairings.code_hash', '=', hashToken(code))
    .executeTakeFirst();
  if (!found) throw pairingRefused('pairing-invalid');
  const { pairing_id, ...shop } = found;
  return db.transaction().execute(async (tx) => {
    const pairing = await tx
      .selectFrom('staff_pairings')
      .selectAll()
      .where('shop_id', '=', shop.id)
      .where('id', '=', pairing_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (pairing.used_at) throw pairingRefused('pairing-used');
    if (pairing.expires_at <= now) throw pairingRefused('pairing-expired');
    const member = await createStaffMember(tx, clock, shop, {
      name: pairing.name,
      role: pairing.role,
    });
    await tx
      .updateTable('staff_pairings')
      .set({ used_at: now, staff_member_id: member.id })
      .where('shop_id', '=', shop.id)
      .where('id', '=', pairing.id)
      .execute();
    await recordAudit(tx, {
      shopId: shop.id,
      at: now,
      actor: { type: 'staff', id: member.id, name: member.name },
      action: 'POST /v1/counter/pair',
      target: { type: 'staff', id: member.id },
      after: { pairingId: pairing.id, name: member.name, role: member.role },
    });
    return {
      token: member.token,
      staff: { id: member.id, name: member.name, role: member.role },
      shop: { id: shop.id, name: shop.name },
    };
  });
}
