import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { SecretBox } from '../shared/secrets.ts';
import { createShop, type NewShop, type ShopDefault } from '../shops/create-shop.ts';
import { liveProgramme } from '../points/live-programme.ts';
import { addDefaultReward } from '../rewards/manage-rewards.ts';
import { enableReadyFlow } from '../automations/manage-flows.ts';

/** What every new shop starts with, in this order, in the transaction that creates it. */
export const shopDefaults: ShopDefault[] = [
  // API.md's working default: 1 point per currency unit, pending 14 days, one reward.
  async (tx, _clock, shop) => {
    await liveProgramme(tx, shop.id);
  },
  (tx, clock, shop) => addDefaultReward(tx, clock, shop),
  // The welcome series after a first order, switched on (its e-mails need marketing consent).
  async (tx, clock, shop) => {
    await enableReadyFlow(tx, clock, shop, 'welcome');
  },
];

/** A new shop with every feature's defaults: for the CLI, the demo and tests. */
export function provisionShop(db: Db, clock: Clock, box: SecretBox, input: NewShop) {
  return createShop(db, clock, box, input, shopDefaults);
}
