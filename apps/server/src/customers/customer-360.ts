import type { Db } from '../db/connect.ts';
import type { Clock } from '../shared/clock.ts';
import type { ShopRow } from '../shops/shop.ts';
import { customerView } from './customer-view.ts';

export type CustomerProfile = Awaited<ReturnType<typeof customerView>>;

/** What a part of the customer 360 is given: the customer, already found, and how many to show. */
export interface PanelInput {
  db: Db;
  clock: Clock;
  shop: ShopRow;
  profile: CustomerProfile;
  /** Lojal's id of the customer, and the shop's. */
  customerId: string;
  externalId: string;
  now: Date;
  limit: number;
}

/** One part of the customer 360 (orders, points, messages…), read by the feature that owns it. */
export interface CustomerPanel {
  key: string;
  read(input: PanelInput): Promise<unknown>;
}

const RECENT = 20;

/**
 * Everything about one customer in one answer, for the dashboard's customer page: the profile,
 * then each feature's part (app/customer-panels.ts lists them), each one query or a few, run
 * side by side. An unknown customer is a 404 before any part is read.
 */
export async function customer360(
  db: Db,
  clock: Clock,
  shop: ShopRow,
  externalId: string,
  panels: readonly CustomerPanel[],
): Promise<Record<string, unknown>> {
  const now = clock.now();
  const profile = await customerView(db, shop, externalId, now);
  const input: PanelInput = {
    db,
    clock,
    shop,
    profile,
    customerId: profile.lojalId,
    externalId,
    now,
    limit: RECENT,
  };
  const parts = await Promise.all(panels.map((panel) => panel.read(input)));
  return {
    customer: profile,
    ...Object.fromEntries(panels.map((panel, i) => [panel.key, parts[i]])),
  };
}
