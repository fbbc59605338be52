import type { Db } from '../db/connect.ts';
import type { ShopRow } from '../shops/shop.ts';
import type { StaffIdentity } from '../stamps/authenticate-staff.ts';
import { listStampProgrammes } from '../stamps/manage-stamp-programmes.ts';
import { counterConsentTexts } from './sign-up-at-counter.ts';

/**
 * What the staff app needs at start (and asks again to learn the device is still paired): the
 * device, the shop, its visit cards and the consent texts the sign-up screen shows.
 */
export async function counterSession(db: Db, shop: ShopRow, staff: StaffIdentity) {
  const [programmes, consentTexts] = await Promise.all([
    listStampProgrammes(db, shop),
    counterConsentTexts(db, shop.id),
  ]);
  return {
    staff: { id: staff.id, name: staff.name, role: staff.role },
    shop: { id: shop.id, name: shop.name, currency: shop.currency, timezone: shop.timezone },
    visitCards: programmes
      .filter((p) => p.active && p.earnBy === 'visit')
      .map((p) => ({
        id: p.id,
        name: p.names,
        stampsRequired: p.stampsRequired,
        dailyLimit: p.dailyLimit,
      })),
    consentTexts,
  };
}
